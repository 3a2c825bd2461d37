"""Cases for `data-07-namespace-default-deny`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlops_policies.controls.data_07._fixtures import DEFAULT_DENY, NETPOL, namespace_stack
from mlops_policies.controls.data_07.namespace_default_deny import namespace_default_deny
from mlops_policies.controls.data_07.network_policy_no_open_peers import network_policy_no_open_peers
from tests.policies.data_leakage_fixtures import without
from tests.policies.harness import Res, changed, run_stack


def test_pass_namespace_with_default_deny_in_first_preview():
    assert run_stack(namespace_default_deny, namespace_stack()).passed
    assert run_stack(network_policy_no_open_peers, namespace_stack()).passed


def test_pass_default_deny_matched_by_known_namespace_name():
    policy = changed(DEFAULT_DENY, "metadata.namespace", "acme-prod")
    stack = [
        r if r.name != "prod-default-deny" else Res(NETPOL, r.name, policy) for r in namespace_stack(policy)
    ]
    assert run_stack(namespace_default_deny, stack).passed


def test_fail_namespace_without_default_deny():
    outcome = run_stack(namespace_default_deny, without(namespace_stack(), "prod-default-deny"))
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'prod' has no default-deny NetworkPolicy (no NetworkPolicy selects "
        "all pods); required: spec.podSelector {}, spec.policyTypes ['Ingress', 'Egress'], no ingress "
        "rules, egress only to kube-system on port 53"
    ]


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("spec.policyTypes", ["Ingress"], "spec.policyTypes ['Ingress'], required ['Ingress', 'Egress']"),
        ("spec.ingress", [{"from": [{"podSelector": {}}]}], "spec.ingress has 1 rule(s), required none"),
        ("spec.egress.0.ports.0.port", 443, "spec.egress[0] allows more than port 53 to kube-system"),
        (
            "spec.egress.0.to.0",
            {"ipBlock": {"cidr": "10.0.0.0/8"}},
            "spec.egress[0] allows more than port 53 to kube-system",
        ),
    ],
)
def test_fail_default_deny_that_allows_too_much(path: str, value: Any, problem: str):
    outcome = run_stack(namespace_default_deny, namespace_stack(changed(DEFAULT_DENY, path, value)))
    assert len(outcome.violations) == 1
    assert (
        f"(kubernetes:networking.k8s.io/v1:NetworkPolicy 'prod-default-deny' has {problem}"
        in outcome.violations[0]
    )
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'prod' has no default-deny NetworkPolicy "
        f"(kubernetes:networking.k8s.io/v1:NetworkPolicy 'prod-default-deny' has {problem}); required: "
        "spec.podSelector {}, spec.policyTypes ['Ingress', 'Egress'], no ingress rules, egress only to "
        "kube-system on port 53"
    ]


def test_undecided_namespace_when_a_policy_namespace_is_unknown_without_dependency():
    stack = [
        r if r.name != "prod-default-deny" else Res(NETPOL, r.name, DEFAULT_DENY) for r in namespace_stack()
    ]
    outcome = run_stack(namespace_default_deny, stack)
    assert outcome.undecided is not None and outcome.violations == []
