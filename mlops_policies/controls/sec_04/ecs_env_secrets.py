"""The rule `sec-04-ecs-env-secrets`, one of the SEC-04 rules.

SEC-04: No plaintext secrets in environment variables or user data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies.controls.sec_04._env_scan import EnvScan, any_case_keys, any_case_value, items
from mlops_policies.props import UNKNOWN, known
from mlops_policies.rule import ResourceCheck, resource_rule

ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"


def _container_definitions(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [d for _, d in items(value)]


@resource_rule(
    "sec-04-ecs-env-secrets",
    control="SEC-04",
    types=[ECS_TASK_DEFINITION],
    severity=Severity.CRITICAL,
    description="No ECS container definition (keys in any case, as AWS reads them) has an environment entry "
    "with a literal value that looks like a credential, or a literal value under a secret-suggesting name, "
    "and no entryPoint/command carries a credential; secrets come from `secrets` valueFrom.",
    remediation="Move the entry from environment to secrets=[{'name': ..., 'valueFrom': <secret ARN>}] in "
    "container_definitions and rotate the credential.",
)
def ecs_env_secrets(r: ResourceCheck) -> None:
    scan = EnvScan(r, "secrets[{name, valueFrom: <Secrets Manager or SSM ARN>}]")
    definitions = known(r.props, "containerDefinitions")
    if definitions is UNKNOWN:
        scan.unknown("containerDefinitions")
    for index, definition in enumerate(_container_definitions(definitions)):
        name = any_case_value(definition, "name")
        where = f"containerDefinitions[{index}]" + (f" ({name!r})" if isinstance(name, str) else "")
        # The provider passes the JSON to RegisterTaskDefinition as written, and AWS reads `Environment`
        # like `environment`: every spelling is scanned, not just the one the last key would keep.
        spellings = any_case_keys(definition, "environment") if isinstance(definition, Mapping) else []
        for key in spellings:
            scan.name_value_list(f"{where} {key}", known(definition, key), any_case=True)
        parts = [p for key in ("entryPoint", "command") for _, p in items(any_case_value(definition, key))]
        scan.command_line(f"{where} entryPoint/command", parts)
    scan.done()
