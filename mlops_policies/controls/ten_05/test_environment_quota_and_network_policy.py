"""Cases for `ten-05-environment-quota-and-network-policy`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlops_policies.controls.ten_05._fixtures import replaced, without
from mlops_policies.controls.ten_05.environment_quota_and_network_policy import (
    environment_quota_and_network_policy,
)
from tests.policies.harness import Res, run_stack
from tests.policies.tenancy_fixtures import DENY_ALL, DNS, STACK, TENANT, environment


def test_fail_environment_without_quota():
    outcome = run_stack(environment_quota_and_network_policy, without(STACK, "prod-quota"), tenant=TENANT)
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' (environment 'prod') has no ResourceQuota; required: one "
        "per environment namespace"
    ]


@pytest.mark.parametrize(
    "spec",
    [
        {"podSelector": {}, "policyTypes": ["Ingress"]},
        {"podSelector": {"matchLabels": {"app": "x"}}, "policyTypes": ["Ingress", "Egress"]},
        {**DENY_ALL, "ingress": [{"from": [{"podSelector": {}}]}]},
        {**DENY_ALL, "egress": [DNS, {"ports": [{"port": 443}]}]},
        {**DENY_ALL, "egress": [{**DNS, "to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}]},
    ],
)
def test_fail_network_policy_that_is_not_default_deny(spec: dict[str, Any]):
    stack = replaced(STACK, "dev-deny", {"metadata": {"namespace": "acme-dev"}, "spec": spec})
    violations = run_stack(environment_quota_and_network_policy, stack, tenant=TENANT).violations
    assert violations == [
        "kubernetes:core/v1:Namespace 'acme-dev' (environment 'dev') has no default-deny NetworkPolicy "
        "(spec.podSelector {}, policyTypes [Ingress, Egress], no ingress rules, egress at most DNS to "
        "kube-system); required: one per environment namespace"
    ]


def test_pass_first_preview_auto_named_namespaces_found_through_dependencies():
    stack = [*environment("dev", name=""), *environment("prod", name="")]
    assert run_stack(environment_quota_and_network_policy, stack, tenant=TENANT).passed


def test_undecided_quota_namespace_unknown_without_dependency():
    stack = [
        Res(r.type, r.name, r.props) if r.name == "dev-quota" else r for r in environment("dev", name="")
    ]
    stack = [*stack, *environment("prod")]
    outcome = run_stack(environment_quota_and_network_policy, stack, tenant=TENANT)
    assert outcome.violations == [] and outcome.undecided is not None
