"""SEC-04: credentials in other encodings. One compliant baseline per resource kind, one change each.

Rules are looked up by policy name, so these tests follow them wherever their module lives.
Every secret-looking value is a documented example or a made-up placeholder.
"""

from __future__ import annotations

import base64
import gzip
import json
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any

from mlops_policies import credentials
from mlops_policies.packs import all_rules
from tests.policies.harness import changed, run_resource

RULES = {rule.name: rule for rule in all_rules()}
k8s_env_secrets = RULES["sec-04-k8s-env-secrets"]
lambda_env_secrets = RULES["sec-04-lambda-env-secrets"]
ecs_env_secrets = RULES["sec-04-ecs-env-secrets"]
sagemaker_env_secrets = RULES["sec-04-sagemaker-env-secrets"]
user_data_secrets = RULES["sec-04-user-data-secrets"]

ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
PLACEHOLDER = "Not-A-Real-Pass-42"
TAGS = {"tenant": "acme", "environment": "dev", "managed-by": "mlops-landing-zone"}


def assert_no_secret_in(messages: list[str]) -> None:
    assert messages
    for message in messages:
        assert PLACEHOLDER not in message and ACCESS_KEY_ID not in message


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


# ---------------------------------------------------------------- Kubernetes env

DEPLOYMENT = "kubernetes:apps/v1:Deployment"
ENV = "spec.template.spec.containers.0.env"
DEPLOYMENT_PROPS: dict[str, Any] = {
    "metadata": {"namespace": "acme-dev", "labels": {"tenant": "acme"}},
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "server",
                        "image": "registry/server@sha256:" + "a" * 64,
                        "env": [
                            {"name": "DB_HOST", "value": "db.acme-dev.svc"},
                            {
                                "name": "DB_PASSWORD",
                                "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}},
                            },
                            # Kubernetes expands $(VAR): a reference to the secret-backed variable above.
                            {"name": "DATABASE_URL", "value": "postgres://app:$(DB_PASSWORD)@db/app"},
                            {"name": "ADMIN_PASSWORD", "value": "$(DB_PASSWORD)"},
                        ],
                    }
                ]
            }
        }
    },
}
K8S_FIX = "required: valueFrom.secretKeyRef (or a mounted Secret volume)"
K8S_WHERE = f"{DEPLOYMENT} 'subject' container 'server' (spec.template.spec.containers[0]) env"


def deployment_env(*extra: dict[str, str]) -> dict[str, Any]:
    base = DEPLOYMENT_PROPS["spec"]["template"]["spec"]["containers"][0]["env"]
    return changed(DEPLOYMENT_PROPS, ENV, [*base, *extra])


def test_pass_k8s_env_referencing_variables_with_kubernetes_expansion():
    assert run_resource(k8s_env_secrets, DEPLOYMENT, DEPLOYMENT_PROPS).passed


def test_fail_k8s_env_literal_starting_with_a_dollar_under_a_secret_name():
    props = deployment_env({"name": "API_TOKEN", "value": "$" + PLACEHOLDER})
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.violations == [
        f"{K8S_WHERE} 'API_TOKEN' has a literal value under a name that suggests a secret (TOKEN); {K8S_FIX}"
    ]
    assert_no_secret_in(outcome.violations)


def test_fail_k8s_env_url_with_an_empty_user_and_a_password():
    props = deployment_env({"name": "CACHE_URL", "value": f"redis://:{PLACEHOLDER}@cache:6379/0"})
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.violations == [
        f"{K8S_WHERE} 'CACHE_URL' has a literal value that looks like a password in a URL; {K8S_FIX}"
    ]


def test_fail_k8s_env_base64_encoded_access_key_id():
    props = deployment_env({"name": "BOOT", "value": b64(f"aws_access_key_id = {ACCESS_KEY_ID}")})
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.violations == [
        f"{K8S_WHERE} 'BOOT' has a literal value that looks like an AWS access key id (base64-decoded); "
        f"{K8S_FIX}"
    ]


# ---------------------------------------------------------------- Lambda, ECS, SageMaker

LAMBDA = "aws:lambda/function:Function"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:acme-db"
LAMBDA_PROPS = {
    "runtime": "python3.12",
    "environment": {"variables": {"DB_SECRET_ARN": SECRET_ARN}},
    "tags": TAGS,
}
LAMBDA_FIX = "required: the secret's ARN, read at runtime from Secrets Manager"


def test_pass_lambda_with_a_secret_arn():
    assert run_resource(lambda_env_secrets, LAMBDA, LAMBDA_PROPS).passed


def test_fail_lambda_dollar_literal_is_not_a_reference_because_lambda_expands_nothing():
    props = changed(LAMBDA_PROPS, "environment.variables.DB_PASSWORD", "$(DB_PASSWORD_FROM_ELSEWHERE)")
    outcome = run_resource(lambda_env_secrets, LAMBDA, props)
    assert outcome.violations == [
        f"{LAMBDA} 'subject' environment.variables 'DB_PASSWORD' has a literal value under a name that "
        f"suggests a secret (PASSWORD); {LAMBDA_FIX}"
    ]


def test_fail_lambda_connection_string_with_an_account_key():
    value = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=bm90LWEta2V5LWF0LWFsbA==;"
    props = changed(LAMBDA_PROPS, "environment.variables.STORAGE", value)
    outcome = run_resource(lambda_env_secrets, LAMBDA, props)
    assert outcome.violations == [
        f"{LAMBDA} 'subject' environment.variables 'STORAGE' has a literal value that looks like a key in a "
        f"connection string; {LAMBDA_FIX}"
    ]


ECS = "aws:ecs/taskDefinition:TaskDefinition"
ECS_FIX = "required: secrets[{name, valueFrom: <Secrets Manager or SSM ARN>}]"


def task(definition: dict[str, Any]) -> dict[str, Any]:
    return {"family": "acme-scorer", "containerDefinitions": json.dumps([definition]), "tags": TAGS}


ECS_DEFINITION = {"Name": "scorer", "Image": "registry/scorer@sha256:" + "b" * 64,
                  "Environment": [{"Name": "LOG_LEVEL", "Value": "info"}]}  # fmt: skip


def test_pass_ecs_pascal_case_definition_without_secrets():
    assert run_resource(ecs_env_secrets, ECS, task(ECS_DEFINITION)).passed


def test_fail_ecs_pascal_case_environment_entry_with_a_password():
    definition = {**ECS_DEFINITION, "Environment": [{"Name": "DB_PASSWORD", "Value": PLACEHOLDER}]}
    outcome = run_resource(ecs_env_secrets, ECS, task(definition))
    assert outcome.violations == [
        f"{ECS} 'subject' containerDefinitions[0] ('scorer') Environment 'DB_PASSWORD' has a literal value "
        f"under a name that suggests a secret (PASSWORD); {ECS_FIX}"
    ]
    assert_no_secret_in(outcome.violations)


def test_fail_ecs_every_spelling_of_environment_is_scanned():
    definition = {
        **ECS_DEFINITION,
        "environment": [{"name": "ODBC", "value": f"Server=db;Pwd={PLACEHOLDER};"}],
    }
    outcome = run_resource(ecs_env_secrets, ECS, task(definition))
    assert outcome.violations == [
        f"{ECS} 'subject' containerDefinitions[0] ('scorer') environment 'ODBC' has a literal value that "
        f"looks like a password assignment; {ECS_FIX}"
    ]


SAGEMAKER = "aws:sagemaker/model:Model"
MODEL_CONTAINER = {
    "image": "registry/llm@sha256:" + "c" * 64,
    "environment": {"HF_MODEL_ID": "/opt/ml/model"},
}
SAGEMAKER_PROPS = {"primaryContainer": MODEL_CONTAINER, "tags": TAGS}


def test_pass_sagemaker_model_path():
    assert run_resource(sagemaker_env_secrets, SAGEMAKER, SAGEMAKER_PROPS).passed


def test_fail_sagemaker_env_holding_a_shell_export_of_a_token():
    props = changed(SAGEMAKER_PROPS, "primaryContainer.environment.SM_BOOT", f"export HF_TOKEN={PLACEHOLDER}")
    outcome = run_resource(sagemaker_env_secrets, SAGEMAKER, props)
    assert outcome.violations == [
        f"{SAGEMAKER} 'subject' primaryContainer.environment 'SM_BOOT' has a literal value that looks like a "
        f"literal assigned to a secret-named variable; {LAMBDA_FIX}"
    ]


# ---------------------------------------------------------------- launch template user data

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
UD_FIX = "required: no credentials in user data (fetch them at boot with the instance role)"
BOOT = (
    "#!/bin/bash\nset -euo pipefail\n"
    "TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token \\\n"
    "  -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')\n"
    'export HF_TOKEN="$(aws secretsmanager get-secret-value --secret-id acme-hf --query SecretString)"\n'
)


def multipart(*parts: MIMEText | MIMEApplication) -> str:
    message = MIMEMultipart()
    for part in parts:
        message.attach(part)
    return message.as_string()


COMPLIANT_USER_DATA = b64(multipart(MIMEText("#cloud-config\npackages: [jq]\n", "cloud-config"),
                                    MIMEApplication(gzip.compress(BOOT.encode()), "gzip")))  # fmt: skip
LAUNCH_TEMPLATE_PROPS = {"userData": COMPLIANT_USER_DATA, "tags": TAGS}


def test_pass_multipart_user_data_fetching_secrets_at_boot():
    assert run_resource(user_data_secrets, LAUNCH_TEMPLATE, LAUNCH_TEMPLATE_PROPS).passed


def test_fail_user_data_with_an_export_of_a_token_in_a_gzipped_mime_part():
    script = BOOT + f"export HF_TOKEN={PLACEHOLDER}\n"
    user_data = b64(multipart(MIMEText("#cloud-config\npackages: [jq]\n", "cloud-config"),
                              MIMEApplication(gzip.compress(script.encode()), "gzip")))  # fmt: skip
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(LAUNCH_TEMPLATE_PROPS, "userData", user_data)
    )
    assert outcome.violations == [
        f"{LAUNCH_TEMPLATE} 'subject' has userData (base64-decoded, MIME part 2, gunzipped) containing a "
        f"literal assigned to a secret-named variable at line 6; {UD_FIX}"
    ]
    assert_no_secret_in(outcome.violations)


def test_fail_user_data_with_a_cloud_init_write_files_entry_encoded_gz_b64():
    content = b64(gzip.compress(f"[default]\naws_access_key_id = {ACCESS_KEY_ID}\n".encode()))
    cloud_config = (
        "#cloud-config\nwrite_files:\n- path: /root/.aws/credentials\n  encoding: gz+b64\n"
        f"  content: {content}\n"
    )
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(LAUNCH_TEMPLATE_PROPS, "userData", cloud_config)
    )
    assert outcome.violations == [
        f"{LAUNCH_TEMPLATE} 'subject' has userData (base64-decoded (line 5), gunzipped) containing an AWS "
        f"access key id at line 2; {UD_FIX}"
    ]


def test_fail_user_data_nested_beyond_the_decoding_bound_fails_closed():
    value = "#!/bin/sh\necho hello\n"
    for _ in range(credentials.MAX_DEPTH + 1):
        value = b64(value)
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(LAUNCH_TEMPLATE_PROPS, "userData", value)
    )
    assert outcome.violations == [
        f"{LAUNCH_TEMPLATE} 'subject' has userData that cannot be read to the end (it is nested more than "
        f"{credentials.MAX_DEPTH} encodings deep); required: user data within {credentials.MAX_DEPTH} "
        "encoding layers and 4 MiB decoded, with no credentials"
    ]


# ---------------------------------------------------------------- SEC-07 through a ServiceAccountPatch

sa_token_automount = RULES["sec-07-sa-token-automount"]
SA_PATCH = "kubernetes:core/v1:ServiceAccountPatch"


def test_pass_service_account_patch_that_leaves_automount_alone():
    props = {"metadata": {"name": "default", "namespace": "acme-dev", "labels": {"team": "ml"}}}
    assert run_resource(sa_token_automount, SA_PATCH, props).passed


def test_fail_service_account_patch_turning_automount_on():
    props = {"metadata": {"name": "default", "namespace": "acme-dev"}, "automountServiceAccountToken": True}
    assert run_resource(sa_token_automount, SA_PATCH, props).violations == [
        f"{SA_PATCH} 'subject' has automountServiceAccountToken true; required: false, or the annotation "
        "eks.amazonaws.com/role-arn"
    ]


def test_pass_secret_named_flags_that_are_metadata_about_a_token():
    assert credentials.scan_text("vault write auth/token --token-duration 3600 --token-ttl 60") == []


# ---------------------------------------------------------------- command lines

COMMAND = "spec.template.spec.containers.0.command"
ARGS = "spec.template.spec.containers.0.args"
K8S_COMMAND = f"{DEPLOYMENT} 'subject' container 'server' (spec.template.spec.containers[0]) command/args"


def test_pass_k8s_command_reading_the_token_from_its_secret_backed_variable():
    props = changed(
        DEPLOYMENT_PROPS, COMMAND, ["sh", "-c", 'export HF_TOKEN="$(cat /run/secrets/hf)"; serve']
    )
    props = changed(props, ARGS, ["--api-key", "$(API_KEY)", "--max-new-tokens", "512"])
    assert run_resource(k8s_env_secrets, DEPLOYMENT, props).passed


def test_fail_k8s_command_exporting_a_literal_token():
    props = changed(DEPLOYMENT_PROPS, COMMAND, ["sh", "-c", f"export HF_TOKEN={PLACEHOLDER} && serve"])
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.violations == [
        f"{K8S_COMMAND} contains a literal assigned to a secret-named variable; {K8S_FIX}"
    ]
    assert_no_secret_in(outcome.violations)


def test_fail_k8s_args_passing_an_api_key_flag_across_two_items():
    outcome = run_resource(
        k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, ARGS, ["--api-key", PLACEHOLDER])
    )
    assert outcome.violations == [
        f"{K8S_COMMAND} contains a literal assigned to a secret-named variable; {K8S_FIX}"
    ]


def test_fail_ecs_command_with_a_password_in_a_url():
    definition = {**ECS_DEFINITION, "Command": ["worker", f"--broker=amqp://:{PLACEHOLDER}@mq:5672/"]}
    outcome = run_resource(ecs_env_secrets, ECS, task(definition))
    assert outcome.violations == [
        f"{ECS} 'subject' containerDefinitions[0] ('scorer') entryPoint/command contains a password in a "
        f"URL; {ECS_FIX}"
    ]


def test_pass_k8s_command_passing_tokenizer_settings_and_token_counts():
    props = changed(DEPLOYMENT_PROPS, COMMAND, ["sh", "-c", "export MAX_TOKEN=512 PAD_TOKEN='[PAD]'; serve"])
    props = changed(props, ARGS, ["--max-token", "4096", "--token-budget", "100000000"])
    assert run_resource(k8s_env_secrets, DEPLOYMENT, props).passed


def test_fail_k8s_command_exporting_a_number_as_a_secret():
    props = changed(DEPLOYMENT_PROPS, COMMAND, ["sh", "-c", "export APP_SECRET=1234 && serve"])
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.violations == [
        f"{K8S_COMMAND} contains a literal assigned to a secret-named variable; {K8S_FIX}"
    ]


# ---------------------------------------------------------------- Kubernetes $(VAR) expansion


def test_fail_k8s_env_password_expanding_a_literal_from_an_earlier_variable():
    props = deployment_env({"name": "X", "value": PLACEHOLDER}, {"name": "API_PASSWORD", "value": "$(X)"})
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.violations == [
        f"{K8S_WHERE} 'API_PASSWORD' expands $(X), which the container sets to a literal value, and so has "
        f"a literal value under a name that suggests a secret (PASSWORD); {K8S_FIX}"
    ]
    assert_no_secret_in(outcome.violations)


def test_fail_k8s_env_url_expanding_a_literal_password():
    props = deployment_env(
        {"name": "P", "value": PLACEHOLDER}, {"name": "CACHE_URL", "value": "redis://app:$(P)@cache:6379"}
    )
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.violations == [
        f"{K8S_WHERE} 'CACHE_URL' expands $(P), which the container sets to a literal value, and so has a "
        f"literal value that looks like a password in a URL; {K8S_FIX}"
    ]
    assert_no_secret_in(outcome.violations)


def test_fail_k8s_env_password_expanding_a_chain_of_variables():
    props = deployment_env(
        {"name": "X", "value": PLACEHOLDER},
        {"name": "Y", "value": "$(X)"},
        {"name": "API_PASSWORD", "value": "$(Y)"},
    )
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.violations == [
        f"{K8S_WHERE} 'API_PASSWORD' expands $(Y), which the container sets to a literal value, and so has "
        f"a literal value under a name that suggests a secret (PASSWORD); {K8S_FIX}"
    ]


def test_pass_k8s_env_url_expanding_a_literal_user_and_host_around_a_secret_backed_password():
    props = deployment_env(
        {"name": "DB_USER", "value": "app"},
        {"name": "DSN", "value": "postgres://$(DB_USER):$(DB_PASSWORD)@$(DB_HOST)/app"},
    )
    assert run_resource(k8s_env_secrets, DEPLOYMENT, props).passed


def test_pass_k8s_env_escaped_reference_is_not_expanded():
    props = deployment_env({"name": "X", "value": PLACEHOLDER}, {"name": "HINT", "value": "echo $$(X)"})
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, props)
    assert outcome.passed


def test_pass_kubernetes_expansion_follows_kubelets_escape_rules():
    assert credentials.kubernetes_references("a$(X)b", "X")
    assert not credentials.kubernetes_references("a$$(X)b", "X")
    assert credentials.kubernetes_references("a$$$(X)b", "X")
    assert credentials.kubernetes_expand("u:$$$(X)@h", "X", "pw") == "u:\0pw@h"
    assert credentials.kubernetes_expand("$(X)", "X", "$(Y)") == "\0"
    assert credentials.kubernetes_expand("$(X)", "X", "$$(Y)") == "$$(Y)"
