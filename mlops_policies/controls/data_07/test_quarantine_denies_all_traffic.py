from __future__ import annotations

from typing import Any

from mlops_policies.controls.data_07.quarantine_denies_all_traffic import (
    quarantine_denies_all_traffic as rule,
)
from tests.policies.harness import Res, run_stack
from tests.policies.incident import quarantined

NAMESPACE = "kubernetes:core/v1:Namespace"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
DENY_ALL = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
DNS = {
    "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
    "ports": [{"protocol": "UDP", "port": 53}],
}


def policy(name: str, spec: dict[str, Any]) -> Res:
    return Res(
        NETWORK_POLICY,
        name,
        {"metadata": {"name": name, "namespace": "acme-dev"}, "spec": spec},
        prop_deps={"metadata": ["acme-workspace-dev-namespace"]},
    )


def stack(*policies: Res) -> list[Res]:
    return [Res(NAMESPACE, "acme-workspace-dev-namespace", {"metadata": {"name": "acme-dev"}}), *policies]


def test_pass_every_namespace_denies_all_traffic_dns_included() -> None:
    with quarantined():
        outcome = run_stack(
            rule,
            stack(
                policy("acme-workspace-dev-default-deny", {**DENY_ALL, "egress": []}),
                policy("deny-all", DENY_ALL),
            ),
        )

    assert outcome.passed


def test_pass_is_not_applicable_to_a_stack_that_is_not_quarantined() -> None:
    with quarantined(None):
        assert (
            run_stack(rule, stack()).not_applicable
            == "the stack is not quarantined (no landingzone:incident)"
        )


def test_fail_a_namespace_without_a_deny_all_policy() -> None:
    with quarantined():
        outcome = run_stack(rule, stack())

    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-workspace-dev-namespace': no NetworkPolicy denies all traffic "
        "while quarantined (ticket INC-42); required: podSelector {}, policyTypes Ingress and Egress, no "
        "ingress or egress rules"
    ]


def test_fail_a_policy_that_still_allows_dns_beside_the_deny_all() -> None:
    with quarantined():
        outcome = run_stack(
            rule,
            stack(
                policy("acme-workspace-dev-default-deny", {**DENY_ALL, "egress": [DNS]}),
                policy("deny-all", DENY_ALL),
            ),
        )

    assert outcome.violations == [
        "kubernetes:networking.k8s.io/v1:NetworkPolicy 'acme-workspace-dev-default-deny' allows 1 egress "
        "rule(s) while quarantined (ticket INC-42); required: none"
    ]
