"""The rule `data-07-network-policy-no-open-peers`, one of the DATA-07 rules.

DATA-07: Tenant namespaces deny traffic by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.controls.data_07._namespaces import NAMESPACE, NETWORK_POLICY, selects_namespace
from mlops_policies.props import as_list, get, known, tags_of
from mlops_policies.rule import StackCheck, label, stack_rule


def _peer_problem(peer: Any, names: set[str], tenant: str | None) -> str | None:
    if not isinstance(peer, Mapping):
        return None
    cidr = get(peer, "ipBlock", "cidr")
    if net.is_open(cidr):
        return f"ipBlock.cidr {cidr!r}"
    selector = get(peer, "namespaceSelector")
    if selector is None or selects_namespace(selector, names, tenant):
        return None
    labels = tags_of(selector, "matchLabels")
    if labels:
        return f"namespaceSelector.matchLabels {labels}"
    return (
        "namespaceSelector.matchExpressions" if get(selector, "matchExpressions") else "namespaceSelector {}"
    )


@stack_rule(
    "data-07-network-policy-no-open-peers",
    control="DATA-07",
    types=[NETWORK_POLICY, NAMESPACE],
    severity=Severity.HIGH,
    description="No NetworkPolicy allows traffic from or to 0.0.0.0/0 or ::/0, every source or destination "
    "(a rule without peers), or namespaces other than the tenant's own and kube-system.",
    remediation="Name peers precisely: pod selectors, namespace selectors on kubernetes.io/metadata.name "
    "of the tenant's namespaces (or kube-system) or on label tenant=<tenant>, and ip_block CIDRs narrower "
    "than 0.0.0.0/0. Every ingress rule needs from_, every egress rule needs to.",
)
def network_policy_no_open_peers(stack: StackCheck) -> None:
    names = {
        n
        for n in (known(ns.props, "metadata", "name") for ns in stack.of_type(NAMESPACE))
        if isinstance(n, str)
    }
    names.add("kube-system")
    for policy in stack.of_type(NETWORK_POLICY):
        with stack.deciding(policy):
            for direction, peers_key in (("ingress", "from"), ("egress", "to")):
                for index, rule in enumerate(as_list(get(policy.props, "spec", direction))):
                    where = f"spec.{direction}[{index}].{peers_key}"
                    peers = as_list(get(rule, peers_key))
                    if not peers:
                        message = f"{label(policy)} has {where} missing, which allows every peer"
                        stack.fail(policy, f"{message}; required: peers inside the tenant")
                    for position, peer in enumerate(peers):
                        problem = _peer_problem(peer, names, stack.tenant.id)
                        if problem:
                            stack.fail(
                                policy,
                                f"{label(policy)} has {where}[{position}].{problem}; required: peers inside "
                                f"the tenant (its namespaces, label tenant={stack.tenant.id}, kube-system)",
                            )
