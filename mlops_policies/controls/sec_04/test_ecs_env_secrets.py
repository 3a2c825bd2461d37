"""Cases for `sec-04-ecs-env-secrets`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import json
from typing import Any

from mlops_policies.controls.sec_04._fixtures import PASSWORD
from mlops_policies.controls.sec_04.ecs_env_secrets import ecs_env_secrets
from tests.policies.harness import UNKNOWN, changed, run_resource
from tests.policies.secrets_fixtures import TAGS

ECS = "aws:ecs/taskDefinition:TaskDefinition"


CONTAINER_DEFINITION = {
    "name": "scorer",
    "image": "registry/scorer@sha256:ef",
    "environment": [{"name": "LOG_LEVEL", "value": "info"}],
    "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:1:secret:db"}],
}


COMPLIANT_TASK = {
    "family": "acme-scorer",
    "containerDefinitions": json.dumps([CONTAINER_DEFINITION]),
    "tags": TAGS,
}


def task_with_environment(environment: list[dict[str, str]]) -> dict[str, Any]:
    return changed(
        COMPLIANT_TASK,
        "containerDefinitions",
        json.dumps([{**CONTAINER_DEFINITION, "environment": environment}]),
    )


def test_pass_ecs_task_taking_secrets_from_value_from():
    assert run_resource(ecs_env_secrets, ECS, COMPLIANT_TASK).passed


def test_fail_ecs_task_with_plaintext_password_in_environment():
    outcome = run_resource(
        ecs_env_secrets, ECS, task_with_environment([{"name": "DB_PASSWORD", "value": PASSWORD}])
    )
    assert outcome.violations == [
        "aws:ecs/taskDefinition:TaskDefinition 'subject' containerDefinitions[0] ('scorer') environment "
        "'DB_PASSWORD' has a literal value under a name that suggests a secret (PASSWORD); required: "
        "secrets[{name, valueFrom: <Secrets Manager or SSM ARN>}]"
    ]


def test_pass_ecs_container_definitions_that_are_not_json_are_judged_as_empty():
    assert run_resource(
        ecs_env_secrets, ECS, changed(COMPLIANT_TASK, "containerDefinitions", "[{oops")
    ).passed


def test_undecided_ecs_container_definitions_unknown():
    outcome = run_resource(ecs_env_secrets, ECS, changed(COMPLIANT_TASK, "containerDefinitions", UNKNOWN))
    assert outcome.undecided is not None
