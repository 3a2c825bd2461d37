"""Cases for `sec-04-k8s-env-secrets`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlops_policies.controls.sec_04._fixtures import HF_TOKEN, PASSWORD, assert_no_secret_in
from mlops_policies.controls.sec_04.k8s_env_secrets import k8s_env_secrets
from tests.policies.harness import UNKNOWN, changed, run_resource
from tests.policies.secrets_fixtures import ACCESS_KEY_ID

POD_SPEC: dict[str, Any] = {
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


WORKLOADS: dict[str, Any] = {
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
    assert outcome.violations == [
        "kubernetes:apps/v1:Deployment 'subject' container 'main' "
        "(spec.template.spec.containers[0]) env 'DB_PASSWORD' has a literal value under a name "
        "that suggests a secret (PASSWORD); required: valueFrom.secretKeyRef (or a mounted Secret "
        "volume)",
        "kubernetes:apps/v1:Deployment 'subject' container 'main' "
        "(spec.template.spec.containers[0]) env 'HUGGING_FACE_HUB_TOKEN' has a literal value that "
        "looks like a Hugging Face token, under a name that suggests a secret (TOKEN); required: "
        "valueFrom.secretKeyRef (or a mounted Secret volume)",
        "kubernetes:apps/v1:Deployment 'subject' container 'main' "
        "(spec.template.spec.containers[0]) env 'DSN' has a literal value that looks like a "
        "password in a URL; required: valueFrom.secretKeyRef (or a mounted Secret volume)",
        "kubernetes:apps/v1:Deployment 'subject' container 'main' "
        "(spec.template.spec.containers[0]) env 'TLS_KEY' has a literal value that looks like a "
        "private key block; required: valueFrom.secretKeyRef (or a mounted Secret volume)",
    ]


def test_fail_unknown_value_under_a_secret_name_does_not_hide_a_definite_finding_beside_it():
    env = [{"name": "DB_PASSWORD", "value": UNKNOWN}, {"name": "API_KEY", "value": "abc123def"}]
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env))
    assert outcome.violations == [
        "kubernetes:apps/v1:Deployment 'subject' container 'main' (spec.template.spec.containers[0]) env "
        "'API_KEY' has a literal value under a name that suggests a secret (API_KEY); required: "
        "valueFrom.secretKeyRef (or a mounted Secret volume)"
    ]
    assert outcome.undecided is None


def test_undecided_unknown_value_under_a_secret_name_alone():
    env = [{"name": "DB_PASSWORD", "value": UNKNOWN}]
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env))
    assert outcome.violations == [] and "DB_PASSWORD" in (outcome.undecided or "")


def test_pass_unknown_value_under_an_ordinary_name():
    env = [{"name": "BUCKET", "value": UNKNOWN}]
    assert run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env)).passed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("UNK_TOKEN", "[UNK]"),
        ("MASK_TOKEN", "[MASK]"),
        ("CLS_TOKEN", "[CLS]"),
        ("SEP_TOKEN", "[SEP]"),
        ("PAD_TOKEN", "[PAD]"),
        ("BOS_TOKEN", "<s>"),
        ("MAX_TOKEN", "512"),
        ("MAX_TOKENS", "512"),
        ("TOKEN_BUDGET", "1000"),
        ("PASSWORD_HASH_ALGO", "bcrypt"),
        ("ACCESS_KEY_ROTATION_DAYS", "30"),
    ],
)
def test_pass_tokenizer_special_tokens_token_counts_and_settings_about_secrets(name, value):
    env = [*POD_SPEC["containers"][0]["env"], {"name": name, "value": value}]
    assert run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env)).passed


@pytest.mark.parametrize(
    ("name", "value", "word"),
    [
        ("JUPYTER_TOKEN", "c8de56fa4deed24899803e9", "TOKEN"),
        ("HF_TOKEN", "12345678", "TOKEN"),
        ("API_TOKEN", "[ABCDEFGHIJK]", "TOKEN"),
        ("DB_PASSWORD", "1234", "PASSWORD"),
        ("SECRET_TOKEN", "[PAD]", "SECRET"),
        ("PGPASSWORD", PASSWORD, "PASSWORD"),
    ],
)
def test_fail_values_that_could_be_the_secret_still_fail_under_secret_names(name, value, word):
    env = [{"name": name, "value": value}]
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env))
    assert outcome.violations == [
        f"kubernetes:apps/v1:Deployment 'subject' container 'main' (spec.template.spec.containers[0]) env "
        f"'{name}' has a literal value under a name that suggests a secret ({word}); required: "
        "valueFrom.secretKeyRef (or a mounted Secret volume)"
    ]


def test_fail_a_literal_routed_into_a_secret_named_variable_by_dependent_expansion():
    env = [{"name": "X", "value": PASSWORD}, {"name": "DB_PASSWORD", "value": "$(X)"}]
    outcome = run_resource(k8s_env_secrets, DEPLOYMENT, changed(DEPLOYMENT_PROPS, MAIN_ENV, env))
    assert outcome.violations == [
        "kubernetes:apps/v1:Deployment 'subject' container 'main' (spec.template.spec.containers[0]) env "
        "'DB_PASSWORD' expands $(X), which the container sets to a literal value, and so has a literal "
        "value under a name that suggests a secret (PASSWORD); required: valueFrom.secretKeyRef (or a "
        "mounted Secret volume)"
    ]
    assert_no_secret_in(outcome.violations)


def test_pass_a_reference_to_a_variable_of_another_container_is_not_expanded():
    init_env = "spec.template.spec.initContainers.0.env"
    props = changed(DEPLOYMENT_PROPS, init_env, [{"name": "X", "value": PASSWORD}])
    props = changed(props, MAIN_ENV, [{"name": "DB_PASSWORD", "value": "$(X)"}])
    assert run_resource(k8s_env_secrets, DEPLOYMENT, props).passed
