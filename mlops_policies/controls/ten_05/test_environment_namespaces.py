"""Cases for `ten-05-environment-namespaces`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.ten_05._fixtures import replaced
from mlops_policies.controls.ten_05.environment_namespaces import environment_namespaces_exist
from mlops_policies.controls.ten_05.environment_quota_and_network_policy import (
    environment_quota_and_network_policy,
)
from mlops_policies.controls.ten_05.environment_workload_role import environment_workload_role
from mlops_policies.controls.ten_05.role_single_environment import role_single_environment
from tests.policies.harness import ACME, run_stack
from tests.policies.tenancy_fixtures import STACK, TENANT

TEN_05 = [
    environment_namespaces_exist,
    environment_quota_and_network_policy,
    environment_workload_role,
    role_single_environment,
]


def test_pass_every_environment_has_namespace_quota_deny_policy_and_role():
    for rule in TEN_05:
        assert run_stack(rule, STACK, tenant=TENANT).passed, rule.name


def test_fail_configured_environment_without_namespace():
    outcome = run_stack(
        environment_namespaces_exist, STACK, tenant={**ACME, "environments": ["dev", "train", "prod"]}
    )
    assert outcome.violations == [
        "stack has no Namespace for environment 'train' (metadata.labels.environment 'train' or "
        "metadata.name 'acme-train'); required: one Namespace per configured environment"
    ]
    assert outcome.urns == [None]


def test_pass_default_environments_when_the_config_lists_none():
    assert run_stack(environment_namespaces_exist, STACK, tenant=ACME).passed


def test_fail_one_namespace_serving_two_environments():
    shared = {"metadata": {"name": "acme-dev", "labels": {"tenant": "acme", "environment": "prod"}}}
    other = {"metadata": {"name": "acme-other", "labels": {"tenant": "acme", "environment": "staging"}}}
    stack = replaced(replaced(STACK, "acme-prod", other), "acme-dev", shared)
    outcome = run_stack(environment_namespaces_exist, stack, tenant=TENANT)
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-dev' serves environments dev, prod; required: one Namespace per "
        "environment"
    ]


def test_fail_malformed_environments_config():
    outcome = run_stack(environment_namespaces_exist, STACK, tenant={**ACME, "environments": "dev"})
    assert outcome.violations == [
        "stack config landingzone:tenant.environments is not a list of environment names; required: a "
        "non-empty list such as ['dev', 'eval', 'train', 'staging', 'prod']"
    ]
