"""SEC: one compliant fixture per resource type (or stack), one changed property per failing case."""

from __future__ import annotations

import base64
import gzip
import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies import credentials
from mlops_policies.controls.sec_01.kms_deletion_window import kms_deletion_window
from mlops_policies.controls.sec_01.kms_key_rotation import kms_key_rotation
from mlops_policies.controls.sec_02.secret_tenant_key import secret_tenant_key
from mlops_policies.controls.sec_03.secret_rotation import secret_rotation
from mlops_policies.controls.sec_04.ecs_env_secrets import ecs_env_secrets
from mlops_policies.controls.sec_04.k8s_env_secrets import k8s_env_secrets
from mlops_policies.controls.sec_04.lambda_env_secrets import lambda_env_secrets
from mlops_policies.controls.sec_04.sagemaker_env_secrets import sagemaker_env_secrets
from mlops_policies.controls.sec_04.user_data_secrets import user_data_secrets
from mlops_policies.controls.sec_05.no_iam_access_keys import no_iam_access_keys
from mlops_policies.controls.sec_05.no_iam_login_profiles import no_iam_login_profiles
from mlops_policies.controls.sec_06.irsa_session_duration import irsa_session_duration
from mlops_policies.controls.sec_06.irsa_trust_one_service_account import irsa_trust_one_service_account
from mlops_policies.controls.sec_06.no_wildcard_trust import no_wildcard_trust
from mlops_policies.controls.sec_07.sa_token_automount import sa_token_automount
from mlops_policies.controls.sec_08.kms_explicit_key_policy import kms_explicit_key_policy
from mlops_policies.controls.sec_08.kms_no_public_decrypt import kms_no_public_decrypt
from mlops_policies.schedules import schedule_max_gap_days
from tests.policies.harness import DELETE, GLOBEX, UNKNOWN, Res, area_rules, changed, run_resource, run_stack

TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}
KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
SECRET = "aws:secretsmanager/secret:Secret"
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
ROLE = "aws:iam/role:Role"

# Credential-looking values used below; no message may ever contain one of them.
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
PASSWORD = "hunter2-Correct-Horse"
HF_TOKEN = "hf_" + "AbCdEfGhIj" * 4


def assert_no_secret_in(messages: list[str]) -> None:
    for message in messages:
        for value in (ACCESS_KEY_ID, PASSWORD, HF_TOKEN, "PRIVATE KEY-----"):
            assert value not in message


# ---------------------------------------------------------------- SEC-01

COMPLIANT_KEY = {
    "description": "acme data key (mlops-landing-zone)",
    "enableKeyRotation": True,
    "rotationPeriodInDays": 365,
    "deletionWindowInDays": 30,
    "policy": json.dumps({"Version": "2012-10-17", "Statement": []}),
    "tags": {**TAGS, "purpose": "data-key"},
}


def test_pass_symmetric_key_with_rotation_and_30_day_window():
    assert run_resource(kms_key_rotation, KEY, COMPLIANT_KEY).passed
    assert run_resource(kms_deletion_window, KEY, COMPLIANT_KEY).passed


def test_fail_rotation_disabled_names_property_and_required_value():
    outcome = run_resource(kms_key_rotation, KEY, changed(COMPLIANT_KEY, "enableKeyRotation", False))
    assert outcome.violations == ["aws:kms/key:Key 'subject' has enableKeyRotation False; required: true"]


def test_fail_rotation_missing_means_disabled():
    outcome = run_resource(kms_key_rotation, KEY, changed(COMPLIANT_KEY, "enableKeyRotation", DELETE))
    assert outcome.violations == ["aws:kms/key:Key 'subject' has enableKeyRotation missing; required: true"]


@pytest.mark.parametrize("spec", ["RSA_2048", "ECC_NIST_P256", "HMAC_256"])
def test_pass_asymmetric_and_hmac_keys_cannot_rotate_and_are_exempt(spec):
    props = changed(changed(COMPLIANT_KEY, "enableKeyRotation", DELETE), "customerMasterKeySpec", spec)
    assert run_resource(kms_key_rotation, KEY, props).passed


def test_pass_key_in_custom_key_store_is_exempt_even_if_the_store_id_is_unknown():
    props = changed(changed(COMPLIANT_KEY, "enableKeyRotation", DELETE), "customKeyStoreId", UNKNOWN)
    assert run_resource(kms_key_rotation, KEY, props).passed


def test_fail_explicit_symmetric_default_spec_still_needs_rotation():
    props = changed(
        changed(COMPLIANT_KEY, "enableKeyRotation", DELETE), "customerMasterKeySpec", "SYMMETRIC_DEFAULT"
    )
    assert len(run_resource(kms_key_rotation, KEY, props).violations) == 1


def test_undecided_unknown_rotation_flag():
    outcome = run_resource(kms_key_rotation, KEY, changed(COMPLIANT_KEY, "enableKeyRotation", UNKNOWN))
    assert outcome.undecided is not None and outcome.violations == []


def test_pass_missing_deletion_window_means_aws_default_30():
    assert run_resource(
        kms_deletion_window, KEY, changed(COMPLIANT_KEY, "deletionWindowInDays", DELETE)
    ).passed


def test_fail_seven_day_deletion_window():
    outcome = run_resource(kms_deletion_window, KEY, changed(COMPLIANT_KEY, "deletionWindowInDays", 7))
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' has deletionWindowInDays 7; required: at least 14"
    ]


def test_fail_deletion_window_that_is_not_a_number():
    outcome = run_resource(kms_deletion_window, KEY, changed(COMPLIANT_KEY, "deletionWindowInDays", "soon"))
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' has deletionWindowInDays 'soon'; required: at least 14"
    ]


def test_fail_deletion_window_below_a_configured_minimum():
    props = changed(COMPLIANT_KEY, "deletionWindowInDays", 20)
    outcome = run_resource(kms_deletion_window, KEY, props, config={"minDeletionWindowDays": 30})
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' has deletionWindowInDays 20; required: at least 30"
    ]


# ---------------------------------------------------------------- SEC-02

TENANT_KEY = Res(KEY, "acme-secrets", COMPLIANT_KEY)
COMPLIANT_SECRET = {"name": "acme/db", "kmsKeyId": UNKNOWN, "recoveryWindowInDays": 30, "tags": TAGS}


def secret_stack(props: dict[str, Any] = COMPLIANT_SECRET, deps: list[str] | None = None) -> list[Res]:
    deps = ["acme-secrets"] if deps is None else deps
    return [TENANT_KEY, Res(SECRET, "acme-db", props, prop_deps={"kmsKeyId": deps} if deps else {})]


def test_pass_first_preview_secret_whose_key_arn_comes_from_the_tenant_key():
    assert run_stack(secret_tenant_key, secret_stack()).passed


def test_fail_secret_without_kms_key_id():
    outcome = run_stack(
        secret_tenant_key, secret_stack(changed(COMPLIANT_SECRET, "kmsKeyId", DELETE), deps=[])
    )
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId missing; "
        "required: a customer-managed KMS key of tenant acme"
    ]


def test_fail_secret_with_the_aws_managed_key():
    props = changed(COMPLIANT_SECRET, "kmsKeyId", "alias/aws/secretsmanager")
    outcome = run_stack(secret_tenant_key, secret_stack(props, deps=[]))
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId 'alias/aws/secretsmanager' (an AWS-managed "
        "key); "
        "required: a customer-managed KMS key of tenant acme"
    ]


def test_fail_secret_under_a_key_tagged_for_another_tenant():
    other = Res(KEY, "globex-secrets", changed(COMPLIANT_KEY, "tags.tenant", "globex"))
    stack = [other, Res(SECRET, "acme-db", COMPLIANT_SECRET, prop_deps={"kmsKeyId": ["globex-secrets"]})]
    outcome = run_stack(secret_tenant_key, stack)
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId aws:kms/key:Key 'globex-secrets', which is "
        "not tagged tenant=acme; required: a customer-managed KMS key of tenant acme"
    ]


def test_pass_secret_using_the_tenant_alias_resource():
    alias = Res(ALIAS, "acme-secrets-alias", {"name": "alias/acme-secrets", "targetKeyId": UNKNOWN},
                prop_deps={"targetKeyId": ["acme-secrets"]})  # fmt: skip
    stack = [
        TENANT_KEY,
        alias,
        Res(SECRET, "acme-db", COMPLIANT_SECRET, prop_deps={"kmsKeyId": [alias.name]}),
    ]
    assert run_stack(secret_tenant_key, stack).passed


def test_pass_known_tenant_alias_without_dependencies():
    props = changed(COMPLIANT_SECRET, "kmsKeyId", "alias/acme-secrets")
    assert run_stack(secret_tenant_key, secret_stack(props, deps=[])).passed


def test_fail_known_key_arn_that_is_not_a_key_of_this_stack():
    props = changed(COMPLIANT_SECRET, "kmsKeyId", "arn:aws:kms:us-east-1:999999999999:key/1234abcd")
    outcome = run_stack(secret_tenant_key, secret_stack(props, deps=[]))
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId "
        "'arn:aws:kms:us-east-1:999999999999:key/1234abcd', a key in account 999999999999, not the "
        "tenant's account 111122223333; required: a customer-managed KMS key of tenant acme"
    ]


def test_undecided_unknown_key_without_dependency_information():
    outcome = run_stack(secret_tenant_key, secret_stack(deps=[]))
    assert outcome.undecided is not None and "acme-db" in outcome.undecided and outcome.violations == []


# ---------------------------------------------------------------- SEC-03

ROTATED_SECRET = {"name": "acme/db", "kmsKeyId": UNKNOWN, "tags": TAGS}
COMPLIANT_ROTATION = {
    "secretId": UNKNOWN,
    "rotationLambdaArn": UNKNOWN,
    "rotationRules": {"automaticallyAfterDays": 30},
}


def rotation_stack(rotation: dict[str, Any] = COMPLIANT_ROTATION, deps: list[str] | None = None) -> list[Res]:
    deps = ["acme-db"] if deps is None else deps
    return [
        Res(SECRET, "acme-db", ROTATED_SECRET),
        Res(ROTATION, "acme-db-rotation", rotation, prop_deps={"secretId": deps} if deps else {}),
    ]


def test_pass_first_preview_rotation_attached_through_dependency():
    assert run_stack(secret_rotation, rotation_stack()).passed


def test_pass_rotation_attached_by_known_secret_name():
    assert run_stack(
        secret_rotation, rotation_stack(changed(COMPLIANT_ROTATION, "secretId", "acme/db"), [])
    ).passed


def test_fail_secret_without_rotation():
    outcome = run_stack(secret_rotation, [Res(SECRET, "acme-db", ROTATED_SECRET)])
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has no aws:secretsmanager/secretRotation:SecretRotation; "
        "required: rotation at least every 90 days"
    ]


def test_fail_rotation_every_120_days():
    outcome = run_stack(secret_rotation, rotation_stack(changed(COMPLIANT_ROTATION, "rotationRules", {
        "automaticallyAfterDays": 120}))).violations  # fmt: skip
    assert outcome == [
        "aws:secretsmanager/secret:Secret 'acme-db' rotates through "
        "aws:secretsmanager/secretRotation:SecretRotation 'acme-db-rotation' with rotationRules "
        "automaticallyAfterDays 120; required: rotation at least every 90 days (automaticallyAfterDays <= "
        "90, "
        "rate(N days) with N <= 90, or a cron firing every month)"
    ]


@pytest.mark.parametrize(
    "expression", ["rate(30 days)", "rate(4 hours)", "cron(0 4 1 * ? *)", "cron(0 4 ? * MON *)"]
)
def test_pass_schedule_expressions_that_rotate_in_time(expression):
    rotation = changed(COMPLIANT_ROTATION, "rotationRules", {"scheduleExpression": expression})
    assert run_stack(secret_rotation, rotation_stack(rotation)).passed


@pytest.mark.parametrize(
    "expression", ["rate(120 days)", "cron(0 4 1 1 ? *)", "cron(0 4 31 * ? *)", "weekly"]
)
def test_fail_schedule_expressions_that_cannot_be_shown_to_rotate_in_time(expression):
    rotation = changed(COMPLIANT_ROTATION, "rotationRules", {"scheduleExpression": expression})
    violations = run_stack(secret_rotation, rotation_stack(rotation)).violations
    assert len(violations) == 1 and f"scheduleExpression {expression!r}" in violations[0]


@pytest.mark.parametrize(
    ("expression", "gap"),
    [
        ("rate(1 day)", 1),
        ("rate(10 days)", 10),
        ("rate(23 hours)", 1),
        ("rate(0 days)", None),
        ("cron(0 0 * * ? *)", 1),
        ("cron(0 0 1,15 * ? *)", 31),
        ("cron(0 0 15W * ? *)", 33),
        ("cron(0 0 L * ? *)", 31),
        ("cron(0 0 ? * MON-FRI *)", 7),
        ("cron(0 0 ? * MON#1 *)", 35),
        ("cron(0 0 ? * MON#5 *)", None),
        ("cron(0 0 1 */3 ? *)", None),
        ("cron(0 0 1 * ? 2030)", None),
        ("cron(0 0 30 * ? *)", None),
        ("cron(0 0 1 * MON *)", None),
    ],
)
def test_schedule_gap_is_the_longest_wait_between_rotations(expression, gap):
    assert schedule_max_gap_days(expression) == gap


def test_fail_monthly_cron_when_the_maximum_is_shorter_than_a_month():
    rotation = changed(COMPLIANT_ROTATION, "rotationRules", {"scheduleExpression": "cron(0 4 1 * ? *)"})
    outcome = run_stack(secret_rotation, rotation_stack(rotation), config={"maxRotationDays": 14})
    assert len(outcome.violations) == 1 and "at least every 14 days" in outcome.violations[0]


def test_fail_rotation_without_rules():
    outcome = run_stack(secret_rotation, rotation_stack(changed(COMPLIANT_ROTATION, "rotationRules", DELETE)))
    assert "with rotationRules no automaticallyAfterDays or scheduleExpression" in outcome.violations[0]


def test_undecided_rotation_with_unknown_secret_and_no_dependencies():
    outcome = run_stack(secret_rotation, rotation_stack(deps=[]))
    assert (
        outcome.violations == [] and outcome.undecided is not None and "acme-db-rotation" in outcome.undecided
    )


def test_undecided_unknown_rotation_interval():
    rotation = changed(COMPLIANT_ROTATION, "rotationRules.automaticallyAfterDays", UNKNOWN)
    outcome = run_stack(secret_rotation, rotation_stack(rotation))
    assert outcome.violations == [] and outcome.undecided is not None


# ---------------------------------------------------------------- SEC-04: Kubernetes workloads

POD_SPEC = {
    "serviceAccountName": "trainer",
    "initContainers": [
        {"name": "fetch", "image": "registry/fetch@sha256:ab", "env": [{"name": "MODE", "value": "x"}]}
    ],
    "containers": [
        {
            "name": "main",
            "image": "registry/trainer@sha256:cd",
            "env": [
                {"name": "MAX_NEW_TOKENS", "value": "512"},
                {"name": "TOKENIZERS_PARALLELISM", "value": "false"},
                {"name": "GOOGLE_APPLICATION_CREDENTIALS", "value": "/var/run/secrets/gcp/key.json"},
                {"name": "DB_PASSWORD_SECRET_ARN", "value": "arn:aws:secretsmanager:us-east-1:1:secret:db"},
                {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                {"name": "HF_TOKEN", "value": "$(HF_TOKEN_FROM_FILE)"},
            ],
        }
    ],
}
META = {"name": "trainer", "namespace": "acme", "labels": {"tenant": "acme"}}
TEMPLATE = {"metadata": {"labels": {"app": "trainer"}}, "spec": POD_SPEC}
WORKLOADS = {
    "kubernetes:core/v1:Pod": ({"metadata": META, "spec": POD_SPEC}, "spec"),
    "kubernetes:apps/v1:Deployment": (
        {"metadata": META, "spec": {"template": TEMPLATE}},
        "spec.template.spec",
    ),
    "kubernetes:apps/v1:StatefulSet": (
        {"metadata": META, "spec": {"template": TEMPLATE}},
        "spec.template.spec",
    ),
    "kubernetes:apps/v1:DaemonSet": (
        {"metadata": META, "spec": {"template": TEMPLATE}},
        "spec.template.spec",
    ),
    "kubernetes:batch/v1:Job": ({"metadata": META, "spec": {"template": TEMPLATE}}, "spec.template.spec"),
    "kubernetes:batch/v1:CronJob": (
        {"metadata": META, "spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": TEMPLATE}}}},
        "spec.jobTemplate.spec.template.spec",
    ),
}
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
DEPLOYMENT_PROPS = WORKLOADS[DEPLOYMENT][0]
MAIN_ENV = "spec.template.spec.containers.0.env"


@pytest.mark.parametrize("type_", list(WORKLOADS))
def test_pass_workloads_taking_secrets_from_secret_refs(type_):
    assert run_resource(k8s_env_secrets, type_, WORKLOADS[type_][0]).passed


@pytest.mark.parametrize("type_", list(WORKLOADS))
def test_fail_literal_password_in_every_workload_kind(type_):
    props, path = WORKLOADS[type_]
    env = [*POD_SPEC["containers"][0]["env"], {"name": "DB_PASSWORD", "value": PASSWORD}]
    outcome = run_resource(k8s_env_secrets, type_, changed(props, f"{path}.containers.0.env", env))
    assert outcome.violations == [
        f"{type_} 'subject' container 'main' ({path}.containers[0]) env 'DB_PASSWORD' has a literal value "
        "under "
        "a name that suggests a secret (PASSWORD); required: valueFrom.secretKeyRef (or a mounted Secret "
        "volume)"
    ]


def test_fail_access_key_id_under_an_innocent_name_in_an_init_container():
    props = changed(
        DEPLOYMENT_PROPS, "spec.template.spec.initContainers.0.env", [{"name": "X", "value": ACCESS_KEY_ID}]
    )
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.violations == [
        "kubernetes:apps/v1:Deployment 'subject' container 'fetch' (spec.template.spec.initContainers[0]) "
        "env 'X' "
        "has a literal value that looks like an AWS access key id; required: valueFrom.secretKeyRef "
        "(or a mounted Secret volume)"
    ]
    assert_no_secret_in(outcome.violations)


def test_fail_messages_never_contain_the_secret_values():
    env = [
        {"name": "DB_PASSWORD", "value": PASSWORD},
        {"name": "HUGGING_FACE_HUB_TOKEN", "value": HF_TOKEN},
        {"name": "DSN", "value": f"postgres://app:{PASSWORD}@db:5432/app"},
        {"name": "TLS_KEY", "value": "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----"},
    ]
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env))
    assert len(outcome.violations) == 4
    assert_no_secret_in(outcome.violations)
    assert "a password in a URL" in outcome.violations[2]
    assert "a private key block" in outcome.violations[3]


def test_fail_unknown_value_under_a_secret_name_does_not_hide_a_definite_finding_beside_it():
    env = [{"name": "DB_PASSWORD", "value": UNKNOWN}, {"name": "API_KEY", "value": "abc123def"}]
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env))
    assert len(outcome.violations) == 1 and "'API_KEY'" in outcome.violations[0]
    assert outcome.undecided is None


def test_undecided_unknown_value_under_a_secret_name_alone():
    env = [{"name": "DB_PASSWORD", "value": UNKNOWN}]
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env))
    assert outcome.violations == [] and "DB_PASSWORD" in (outcome.undecided or "")


def test_pass_unknown_value_under_an_ordinary_name():
    env = [{"name": "BUCKET", "value": UNKNOWN}]
    assert run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env)).passed


# ---------------------------------------------------------------- SEC-04: Lambda, ECS, SageMaker

LAMBDA = "aws:lambda/function:Function"
COMPLIANT_LAMBDA = {
    "runtime": "python3.12",
    "role": UNKNOWN,
    "environment": {
        "variables": {"DB_SECRET_ARN": UNKNOWN, "MODEL_BUCKET": "acme-model-registry-1", "DEBUG": "0"}
    },
    "tags": TAGS,
}


def test_pass_lambda_passing_secret_arns():
    assert run_resource(lambda_env_secrets, LAMBDA, COMPLIANT_LAMBDA).passed


def test_fail_lambda_with_literal_api_key():
    props = changed(
        COMPLIANT_LAMBDA, "environment.variables.OPENAI_API_KEY", "sk-proj-abc123def456ghi789jkl0"
    )
    outcome = run_resource(lambda_env_secrets, LAMBDA, props)
    assert outcome.violations == [
        "aws:lambda/function:Function 'subject' environment.variables 'OPENAI_API_KEY' has a literal value "
        "that "
        "looks like an API key (sk-...), under a name that suggests a secret (API_KEY); required: the "
        "secret's "
        "ARN, read at runtime from Secrets Manager"
    ]
    assert "sk-proj" not in outcome.violations[0]


def test_undecided_lambda_with_computed_password():
    outcome = run_resource(
        lambda_env_secrets, LAMBDA, changed(COMPLIANT_LAMBDA, "environment.variables.PASSWORD", UNKNOWN)
    )
    assert outcome.violations == [] and outcome.undecided is not None


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


SAGEMAKER = "aws:sagemaker/model:Model"
COMPLIANT_MODEL = {
    "executionRoleArn": UNKNOWN,
    "primaryContainer": {"image": "registry/llm@sha256:01", "environment": {"HF_MODEL_ID": "/opt/ml/model"}},
    "tags": TAGS,
}


def test_pass_sagemaker_model_without_secrets():
    assert run_resource(sagemaker_env_secrets, SAGEMAKER, COMPLIANT_MODEL).passed


def test_fail_sagemaker_primary_container_with_hugging_face_token():
    props = changed(COMPLIANT_MODEL, "primaryContainer.environment.HF_TOKEN", HF_TOKEN)
    outcome = run_resource(sagemaker_env_secrets, SAGEMAKER, props)
    assert outcome.violations == [
        "aws:sagemaker/model:Model 'subject' primaryContainer.environment 'HF_TOKEN' has a literal value "
        "that "
        "looks like a Hugging Face token, under a name that suggests a secret (TOKEN); required: the "
        "secret's "
        "ARN, read at runtime from Secrets Manager"
    ]


def test_fail_sagemaker_inference_pipeline_container_with_password():
    props = changed(COMPLIANT_MODEL, "primaryContainer", DELETE)
    props["containers"] = [{"image": "a"}, {"image": "b", "environment": {"DB_PASSWORD": PASSWORD}}]
    outcome = run_resource(sagemaker_env_secrets, SAGEMAKER, props)
    assert len(outcome.violations) == 1 and "containers[1].environment 'DB_PASSWORD'" in outcome.violations[0]


# ---------------------------------------------------------------- SEC-04: launch template user data

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
BOOTSTRAP = (
    "#!/bin/bash\nset -euo pipefail\n"
    "/etc/eks/bootstrap.sh acme-cluster --kubelet-extra-args '--node-labels=tenant=acme'\n"
)
COMPLIANT_LAUNCH_TEMPLATE = {"userData": base64.b64encode(BOOTSTRAP.encode()).decode(), "tags": TAGS}


def encoded(script: str) -> str:
    return base64.b64encode(script.encode()).decode()


def test_pass_plain_bootstrap_user_data():
    assert run_resource(user_data_secrets, LAUNCH_TEMPLATE, COMPLIANT_LAUNCH_TEMPLATE).passed


def test_fail_base64_user_data_with_an_access_key_id():
    script = BOOTSTRAP + f"export AWS_ACCESS_KEY_ID={ACCESS_KEY_ID}\n"
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", encoded(script))
    )
    assert outcome.violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'subject' has userData (base64-decoded) containing an AWS "
        "access key "
        "id at line 4; required: no credentials in user data (fetch them at boot with the instance role)"
    ]


def test_fail_plain_text_user_data_with_a_private_key_and_a_password():
    script = (
        "#cloud-config\nchpasswd: {expire: False}\npassword: " + PASSWORD + "\nwrite_files:\n- content: |\n"
    )
    script += "    -----BEGIN OPENSSH PRIVATE KEY-----\n"
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", script)
    )
    assert [v.split(" containing ")[1].split(";")[0] for v in outcome.violations] == [
        "a password assignment at line 3",
        "a private key block at line 6",
    ]
    assert_no_secret_in(outcome.violations)


def test_fail_gzipped_user_data_is_unpacked():
    packed = base64.b64encode(gzip.compress(f"export HF_TOKEN={HF_TOKEN}\n".encode())).decode()
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", packed)
    )
    assert (
        len(outcome.violations) == 1
        and "(base64-decoded, gunzipped) containing a Hugging Face token" in outcome.violations[0]
    )


def test_undecided_user_data_computed_from_cluster_outputs():
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", UNKNOWN)
    )
    assert outcome.undecided is not None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ASIAY34FZKBOKMUTVV7A", "an AWS access key id"),
        ("-----BEGIN EC PRIVATE KEY-----", "a private key block"),
        ("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'", "a bearer token"),
        ("ghp_" + "a1" * 18, "a GitHub token"),
        ("github_pat_" + "A1b2_" * 9, "a GitHub token"),
        ("xoxb-1234567890-abcdef", "a Slack token"),
        ("sk-ant-api03-" + "x9" * 12, "an API key (sk-...)"),
        ("mysql://root:topsecret@db/app", "a password in a URL"),
        ("--password=topsecret", "a password assignment"),
    ],
)
def test_credential_patterns_recognise_common_formats(text, kind):
    assert [f.kind for f in credentials.scan_text(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "postgres://app:${DB_PASSWORD}@db/app",
        "password_file=/run/secrets/db",
        "lock_passwd: true",
        "docker login --password-stdin",
        "token_type: bearer",
        "sk-learn-style-identifier-without-digits",
        "risk-assessment-20240101-report-generator",
        "AKIAIOSFODNN7EXAMPLEEXTRA",
    ],
)
def test_credential_patterns_ignore_look_alikes(text):
    assert credentials.scan_text(text) == []


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("DB_PASSWORD", "PASSWORD"),
        ("clientSecret", "SECRET"),
        ("HF_TOKEN", "TOKEN"),
        ("myAPIKey", "API_KEY"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET"),
        ("S3_ACCESS_KEY", "ACCESS_KEY"),
        ("SSH_PRIVATE_KEY", "PRIVATE_KEY"),
        ("GOOGLE_APPLICATION_CREDENTIALS", "CREDENTIAL"),
        ("MAX_NEW_TOKENS", None),
        ("TOKENIZERS_PARALLELISM", None),
        ("DB_SECRET_ARN", None),
        ("TOKEN_URL", None),
        ("AWS_ACCESS_KEY_ID", None),
    ],
)
def test_secret_suggesting_names(name, word):
    assert credentials.secret_name(name) == word


# ---------------------------------------------------------------- SEC-05


def test_fail_any_iam_access_key():
    outcome = run_resource(no_iam_access_keys, "aws:iam/accessKey:AccessKey", {"user": "ci"})
    assert outcome.violations == [
        "aws:iam/accessKey:AccessKey 'subject' creates a long-lived IAM access key; "
        "required: no access keys (use workload identity)"
    ]


def test_fail_any_login_profile():
    outcome = run_resource(
        no_iam_login_profiles, "aws:iam/userLoginProfile:UserLoginProfile", {"user": "bob"}
    )
    assert outcome.violations == [
        "aws:iam/userLoginProfile:UserLoginProfile 'subject' creates an IAM console password; "
        "required: no login profiles (use federated sign-in)"
    ]


def test_pass_users_and_roles_without_keys_or_passwords_are_not_judged():
    # Both rules forbid a type outright; anything else (a user, a workload-identity role) passes by scope.
    for rule, type_ in ((no_iam_access_keys, "aws:iam/user:User"), (no_iam_login_profiles, ROLE)):
        outcome = run_resource(rule, type_, {"name": "ci"})
        assert outcome.violations == [] and outcome.not_applicable is not None


# ---------------------------------------------------------------- SEC-06

PROVIDER_HOST = "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789"
PROVIDER_ARN = f"arn:aws:iam::111122223333:oidc-provider/{PROVIDER_HOST}"
IRSA_STATEMENT = {
    "Effect": "Allow",
    "Principal": {"Federated": PROVIDER_ARN},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
        "StringEquals": {
            f"{PROVIDER_HOST}:sub": "system:serviceaccount:acme:trainer",
            f"{PROVIDER_HOST}:aud": "sts.amazonaws.com",
        }
    },
}


def trust(*statements: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {
        "assumeRolePolicy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)}),
        "tags": TAGS,
        **props,
    }


COMPLIANT_ROLE = trust(IRSA_STATEMENT)


def test_pass_irsa_role_scoped_to_one_service_account():
    for rule in (irsa_trust_one_service_account, irsa_session_duration, no_wildcard_trust):
        assert run_resource(rule, ROLE, COMPLIANT_ROLE).passed


def test_fail_string_like_wildcard_on_subject():
    statement = irsa_statement(sub=DELETE)
    statement["Condition"]["StringLike"] = {f"{PROVIDER_HOST}:sub": "system:serviceaccount:acme:*"}
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(statement))
    sub = f"'{PROVIDER_HOST}:sub'"
    exact = "exactly one 'system:serviceaccount:<namespace>:<name>' without wildcards"
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy statement #1 (web identity) has no StringEquals "
        "condition on "
        f"{sub}; required: StringEquals {sub}: {exact}",
        f"aws:iam/role:Role 'subject' assumeRolePolicy statement #1 (web identity) has StringLike {sub} "
        f"'system:serviceaccount:acme:*'; required: StringEquals {sub} with {exact}, no StringLike wildcards",
    ]


def irsa_statement(**string_equals: Any) -> dict[str, Any]:
    """The compliant IRSA statement with condition keys changed (`sub=`, `aud=`; DELETE removes one).

    Provider hosts contain dots, so `changed()` dotted paths cannot reach these keys."""
    statement = json.loads(json.dumps(IRSA_STATEMENT))
    for suffix, value in string_equals.items():
        if value is DELETE:
            statement["Condition"]["StringEquals"].pop(f"{PROVIDER_HOST}:{suffix}")
        else:
            statement["Condition"]["StringEquals"][f"{PROVIDER_HOST}:{suffix}"] = value
    return statement


def test_fail_subject_naming_two_service_accounts():
    statement = irsa_statement(sub=["system:serviceaccount:acme:a", "system:serviceaccount:acme:b"])
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(statement))
    assert len(outcome.violations) == 1
    assert (
        "has StringEquals" in outcome.violations[0]
        and "['system:serviceaccount:acme:a'" in outcome.violations[0]
    )


def test_fail_subject_with_wildcard_inside_string_equals():
    statement = irsa_statement(sub="system:serviceaccount:*:*")
    assert len(run_resource(irsa_trust_one_service_account, ROLE, trust(statement)).violations) == 1


def test_fail_missing_audience_condition():
    statement = {**irsa_statement(aud=DELETE), "Sid": "Trainer"}
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(statement))
    assert outcome.violations == [
        f"aws:iam/role:Role 'subject' assumeRolePolicy statement 'Trainer' (web identity) has StringEquals "
        f"'{PROVIDER_HOST}:aud' missing; required: StringEquals '{PROVIDER_HOST}:aud': 'sts.amazonaws.com'"
    ]


def test_fail_wildcard_action_still_counts_as_web_identity():
    statement = {**IRSA_STATEMENT, "Action": "sts:*", "Condition": {}}
    assert len(run_resource(irsa_trust_one_service_account, ROLE, trust(statement)).violations) == 2


def test_pass_condition_keys_are_case_insensitive():
    statement = {**IRSA_STATEMENT, "Condition": {"StringEquals": {
        f"{PROVIDER_HOST.upper()}:SUB": "system:serviceaccount:acme:trainer",
        f"{PROVIDER_HOST}:Aud": "sts.amazonaws.com",
    }}}  # fmt: skip
    assert run_resource(irsa_trust_one_service_account, ROLE, trust(statement)).passed


def test_fail_irsa_session_longer_than_an_hour():
    outcome = run_resource(irsa_session_duration, ROLE, {**COMPLIANT_ROLE, "maxSessionDuration": 43200})
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' trusts web identity with maxSessionDuration 43200; required: at most "
        "3600"
    ]


def test_pass_long_sessions_for_roles_without_web_identity():
    service = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    assert run_resource(irsa_session_duration, ROLE, trust(service, maxSessionDuration=43200)).passed


@pytest.mark.parametrize(
    ("principal", "found"),
    [
        ("*", "Principal '*'"),
        ({"AWS": "*"}, "Principal {'AWS': '*'}"),
        ({"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Principal {'AWS': '*'}"),
        ({"AWS": "arn:aws:iam::*:root"}, "Principal {'AWS': 'arn:aws:iam::*:root'}"),
    ],
)
def test_fail_trust_policy_with_a_bare_wildcard_principal(principal, found):
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    outcome = run_resource(no_wildcard_trust, ROLE, trust(statement))
    assert outcome.violations == [
        f"aws:iam/role:Role 'subject' assumeRolePolicy statement #1 allows {found}; "
        "required: named principals"
    ]


def test_fail_allow_with_not_principal_trusts_everyone_else():
    statement = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::1:root"},
        "Action": "sts:AssumeRole",
    }
    assert len(run_resource(no_wildcard_trust, ROLE, trust(statement)).violations) == 1


def test_pass_deny_statement_with_wildcard_principal_only_restricts():
    deny = {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-123"}}}  # fmt: skip
    assert run_resource(no_wildcard_trust, ROLE, trust(IRSA_STATEMENT, deny)).passed


def test_undecided_unknown_trust_policy():
    for rule in (irsa_trust_one_service_account, no_wildcard_trust):
        outcome = run_resource(rule, ROLE, changed(COMPLIANT_ROLE, "assumeRolePolicy", UNKNOWN))
        assert outcome.undecided is not None and outcome.violations == []


def test_pass_known_short_session_decides_even_when_the_trust_policy_is_unknown():
    props = changed(changed(COMPLIANT_ROLE, "assumeRolePolicy", UNKNOWN), "maxSessionDuration", 3600)
    assert run_resource(irsa_session_duration, ROLE, props).passed


def test_undecided_long_session_with_an_unknown_trust_policy():
    props = changed(changed(COMPLIANT_ROLE, "assumeRolePolicy", UNKNOWN), "maxSessionDuration", 43200)
    outcome = run_resource(irsa_session_duration, ROLE, props)
    assert outcome.undecided is not None and outcome.violations == []


# ---------------------------------------------------------------- SEC-07

SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
COMPLIANT_SERVICE_ACCOUNT = {
    "metadata": {"name": "notebook", "namespace": "acme"},
    "automountServiceAccountToken": False,
}


def test_pass_service_account_without_token_automount():
    assert run_resource(sa_token_automount, SERVICE_ACCOUNT, COMPLIANT_SERVICE_ACCOUNT).passed


def test_fail_service_account_relying_on_the_default():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", DELETE)
    outcome = run_resource(sa_token_automount, SERVICE_ACCOUNT, props)
    assert outcome.violations == [
        "kubernetes:core/v1:ServiceAccount 'subject' has automountServiceAccountToken missing (Kubernetes "
        "default: "
        "true); required: false, or the annotation eks.amazonaws.com/role-arn"
    ]


def test_fail_service_account_mounting_tokens():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", True)
    assert (
        "automountServiceAccountToken true"
        in run_resource(sa_token_automount, SERVICE_ACCOUNT, props).violations[0]
    )


def test_pass_irsa_service_account_in_a_first_preview():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", DELETE)
    props["metadata"]["annotations"] = {"eks.amazonaws.com/role-arn": UNKNOWN}
    assert run_resource(sa_token_automount, SERVICE_ACCOUNT, props).passed


def test_undecided_annotations_unknown_as_a_whole():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", DELETE)
    props["metadata"]["annotations"] = UNKNOWN
    outcome = run_resource(sa_token_automount, SERVICE_ACCOUNT, props)
    assert outcome.undecided is not None and outcome.violations == []


def test_undecided_unknown_automount_without_irsa():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", UNKNOWN)
    assert run_resource(sa_token_automount, SERVICE_ACCOUNT, props).undecided is not None


# ---------------------------------------------------------------- SEC-08

ADMIN_ROLE = "arn:aws:iam::111122223333:role/platform-admin"
GUARDED_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Admin",
            "Effect": "Allow",
            "Principal": {"AWS": ADMIN_ROLE},
            "Action": ["kms:Create*", "kms:Describe*"],
            "Resource": "*",
        },
        {
            "Sid": "TenantUse",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": ["kms:Encrypt", "kms:Decrypt"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/tenant": "globex"}},
        },
    ],
}
REGULATED_KEY = {**COMPLIANT_KEY, "policy": json.dumps(GUARDED_POLICY), "tags": {**TAGS, "tenant": "globex"}}
PUBLIC = {"Sid": "Public", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}


def with_statement(props: dict[str, Any], statement: dict[str, Any]) -> dict[str, Any]:
    document = {**GUARDED_POLICY, "Statement": [*GUARDED_POLICY["Statement"], statement]}
    return changed(props, "policy", json.dumps(document))


def test_pass_regulated_key_with_guarded_policy():
    assert run_resource(kms_no_public_decrypt, KEY, REGULATED_KEY, tenant=GLOBEX).passed
    assert run_stack(kms_explicit_key_policy, [Res(KEY, "globex-data", REGULATED_KEY)], tenant=GLOBEX).passed


def test_fail_key_policy_granting_everything_to_everyone():
    outcome = run_resource(kms_no_public_decrypt, KEY, with_statement(REGULATED_KEY, PUBLIC), tenant=GLOBEX)
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' policy statement 'Public' allows kms:Decrypt (Action 'kms:*') to "
        "Principal {'AWS': '*'} without a Condition; required: named principals or a Condition"
    ]


@pytest.mark.parametrize("action", ["*", "kms:Decrypt", "kms:Decr*", ["kms:Encrypt", "KMS:DECRYPT"]])
def test_fail_every_spelling_of_decrypt(action):
    props = with_statement(REGULATED_KEY, {**PUBLIC, "Action": action})
    outcome = run_resource(kms_no_public_decrypt, KEY, props, tenant=GLOBEX)
    assert len(outcome.violations) == 1


def test_pass_public_statement_with_a_condition_or_without_decrypt():
    conditioned = {**PUBLIC, "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}
    assert run_resource(
        kms_no_public_decrypt, KEY, with_statement(REGULATED_KEY, conditioned), tenant=GLOBEX
    ).passed
    encrypt_only = {**PUBLIC, "Action": "kms:Encrypt"}
    assert run_resource(
        kms_no_public_decrypt, KEY, with_statement(REGULATED_KEY, encrypt_only), tenant=GLOBEX
    ).passed


def test_fail_standalone_key_policy_resource_granting_decrypt_to_everyone():
    props = with_statement(
        {"keyId": UNKNOWN, "policy": ""}, {**PUBLIC, "Principal": "*", "Action": "kms:Decrypt"}
    )
    outcome = run_resource(kms_no_public_decrypt, KEY_POLICY, props, tenant=GLOBEX)
    assert outcome.violations == [
        "aws:kms/keyPolicy:KeyPolicy 'subject' policy statement 'Public' allows kms:Decrypt (Action "
        "'kms:Decrypt') "
        "to Principal '*' without a Condition; required: named principals or a Condition"
    ]


def test_fail_key_without_explicit_policy():
    key = Res(KEY, "globex-data", changed(REGULATED_KEY, "policy", DELETE))
    outcome = run_stack(kms_explicit_key_policy, [key], tenant=GLOBEX)
    assert outcome.violations == [
        "aws:kms/key:Key 'globex-data' has policy missing and no aws:kms/keyPolicy:KeyPolicy attached; "
        "required: an explicit key policy"
    ]


def test_pass_first_preview_key_policy_attached_through_dependency():
    key = Res(KEY, "globex-data", changed(REGULATED_KEY, "policy", DELETE))
    policy = Res(KEY_POLICY, "globex-data-policy", {"keyId": UNKNOWN, "policy": json.dumps(GUARDED_POLICY)},
                 prop_deps={"keyId": ["globex-data"]})  # fmt: skip
    assert run_stack(kms_explicit_key_policy, [key, policy], tenant=GLOBEX).passed


def test_undecided_key_policy_with_unknown_key_and_no_dependencies():
    key = Res(KEY, "globex-data", changed(REGULATED_KEY, "policy", DELETE))
    policy = Res(KEY_POLICY, "orphan-policy", {"keyId": UNKNOWN, "policy": "{}"})
    outcome = run_stack(kms_explicit_key_policy, [key, policy], tenant=GLOBEX)
    assert outcome.violations == [] and outcome.undecided is not None and "orphan-policy" in outcome.undecided


def test_not_applicable_key_policy_rules_for_standard_tenant():
    assert (
        run_resource(kms_no_public_decrypt, KEY, with_statement(COMPLIANT_KEY, PUBLIC)).not_applicable
        is not None
    )
    key = Res(KEY, "acme-data", changed(COMPLIANT_KEY, "policy", DELETE))
    assert run_stack(kms_explicit_key_policy, [key]).not_applicable is not None


# ---------------------------------------------------------------- robustness: malformed inputs never raise

FUZZ_KEYS = [
    "env", "name", "value", "spec", "template", "containers", "Statement", "Principal", "Action", "Effect",
    "Condition", "policy", "variables", "environment", "rotationRules", "tags", "automaticallyAfterDays",
    "scheduleExpression", "metadata", "kmsKeyId", "secretId",
]  # fmt: skip
FUZZ_PROPS = [
    "enableKeyRotation", "deletionWindowInDays", "customerMasterKeySpec", "customKeyStoreId", "policy",
    "kmsKeyId", "environment", "containerDefinitions", "primaryContainer", "containers", "userData",
    "assumeRolePolicy", "maxSessionDuration", "metadata", "automountServiceAccountToken", "spec", "tags",
    "secretId", "rotationRules", "keyId", "name", "arn", "targetKeyId",
]  # fmt: skip
FUZZ_LEAVES = [UNKNOWN, "*", "kms:*", ACCESS_KEY_ID, "alias/aws/x", "rate(5 days)", "cron(0 0 1 * ? *)"]
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
JSON_LIKE = st.recursive(
    SCALARS | st.sampled_from(FUZZ_LEAVES),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(FUZZ_KEYS), children, max_size=5)
    ),
    max_leaves=20,
)
# JSON strings too: policies, container definitions and trust documents arrive as JSON text.
PROPS = st.dictionaries(st.sampled_from(FUZZ_PROPS), JSON_LIKE | JSON_LIKE.map(json.dumps), max_size=6)
RESOURCE_RULES = [rule for rule in area_rules("secrets") if rule.kind == "resource"]
STACK_RULES = [rule for rule in area_rules("secrets") if rule.kind == "stack"]
STACK_TYPES = [KEY, ALIAS, KEY_POLICY, SECRET, ROTATION]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(props=PROPS, data=st.data())
def test_resource_rules_never_raise_on_malformed_props(props, data):
    rule = data.draw(st.sampled_from(RESOURCE_RULES))
    type_ = data.draw(st.sampled_from(rule.resource_types))
    run_resource(rule, type_, props, tenant=GLOBEX)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shapes=st.lists(st.tuples(st.sampled_from(STACK_TYPES), PROPS), min_size=1, max_size=5), data=st.data()
)
def test_stack_rules_never_raise_on_malformed_props(shapes, data):
    resources = []
    for index, (type_, props) in enumerate(shapes):
        deps = {
            prop: [f"r{data.draw(st.integers(0, index))}"]
            for prop in ("kmsKeyId", "secretId", "keyId", "targetKeyId")
            if index and data.draw(st.booleans())
        }
        resources.append(Res(type_, f"r{index}", props, prop_deps=deps))
    for rule in STACK_RULES:
        run_stack(rule, resources, tenant=GLOBEX)


def test_scanning_large_pathological_user_data_stays_linear():
    # Quadratic regexes take minutes on these; linear ones take well under a second.
    started = time.monotonic()
    for text in ("a" * 100_000, "a:" * 50_000, "password" * 12_000, "AbC" * 30_000):
        credentials.scan_text(text)
        credentials.user_data_texts(text)
        credentials.secret_name(text)
    assert time.monotonic() - started < 10
