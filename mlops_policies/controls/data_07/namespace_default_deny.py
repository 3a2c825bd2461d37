"""The rule `data-07-namespace-default-deny`, one of the DATA-07 rules.

DATA-07: Tenant namespaces deny traffic by default.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource, Severity

from mlops_policies.controls.data_07._namespaces import NAMESPACE, NETWORK_POLICY, selects_namespace
from mlops_policies.props import UNKNOWN, as_int, as_list, get, known
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule


def _in_namespace(policy: PolicyResource, namespace: PolicyResource) -> bool | None:
    deps = [
        dep
        for key in ("metadata", "metadata.namespace")
        for dep in policy.property_dependencies.get(key) or []
    ]
    if any(dep.urn == namespace.urn for dep in deps):
        return True
    value = known(policy.props, "metadata", "namespace", default="default")
    name = known(namespace.props, "metadata", "name")
    if value is UNKNOWN:
        return False if deps else None
    if name is UNKNOWN:
        return None
    return isinstance(value, str) and value == name


def _only_dns_to_kube_system(rule: Any) -> bool:
    peers, ports = as_list(get(rule, "to")), as_list(get(rule, "ports"))
    if not peers or not ports:
        return False
    for peer in peers:
        if get(peer, "ipBlock") is not None or not selects_namespace(
            get(peer, "namespaceSelector"), {"kube-system"}, None
        ):
            return False
    for port in ports:
        if as_int(get(port, "port")) != 53 or get(port, "protocol", default="TCP") not in ("UDP", "TCP"):
            return False
        if get(port, "endPort") is not None and as_int(get(port, "endPort")) != 53:
            return False
    return True


def _default_deny_problems(policy: PolicyResource) -> list[str] | None:
    """What keeps a NetworkPolicy from being a default deny; None when it selects only some pods."""
    spec = get(policy.props, "spec")
    selector = get(spec, "podSelector")
    if get(selector, "matchLabels") or get(selector, "matchExpressions"):
        return None
    problems = []
    types = [t for t in as_list(get(spec, "policyTypes")) if isinstance(t, str)]
    if not {"Ingress", "Egress"} <= set(types):
        problems.append(f"spec.policyTypes {types}, required ['Ingress', 'Egress']")
    ingress = as_list(get(spec, "ingress"))
    if ingress:
        problems.append(f"spec.ingress has {len(ingress)} rule(s), required none")
    for index, rule in enumerate(as_list(get(spec, "egress"))):
        if not _only_dns_to_kube_system(rule):
            problems.append(f"spec.egress[{index}] allows more than port 53 to kube-system")
    return problems


@stack_rule(
    "data-07-namespace-default-deny",
    control="DATA-07",
    types=[NAMESPACE, NETWORK_POLICY],
    severity=Severity.HIGH,
    description="Every namespace of the stack has a NetworkPolicy selecting all pods with policyTypes "
    "Ingress and Egress, no ingress rules, and egress only to kube-system on port 53 (DNS).",
    remediation="Add kubernetes.networking.v1.NetworkPolicy(metadata={'namespace': ns.metadata.name}, "
    "spec={'pod_selector': {}, 'policy_types': ['Ingress', 'Egress'], 'egress': [{'to': "
    "[{'namespace_selector': {'match_labels': {'kubernetes.io/metadata.name': 'kube-system'}}}], "
    "'ports': [{'port': 53, 'protocol': 'UDP'}, {'port': 53, 'protocol': 'TCP'}]}]}); allow other "
    "traffic with separate, narrower policies.",
)
def namespace_default_deny(stack: StackCheck) -> None:
    for namespace in stack.of_type(NAMESPACE):
        with stack.deciding(namespace):
            matches = [(p, _in_namespace(p, namespace)) for p in stack.of_type(NETWORK_POLICY)]
            judged = [(p, _default_deny_problems(p)) for p, inside in matches if inside]
            if any(problems == [] for _, problems in judged):
                continue
            unresolved = [label(p) for p, inside in matches if inside is None]
            if unresolved:
                raise Undecided(
                    [f"metadata.namespace unknown without dependency information on {', '.join(unresolved)}"]
                )
            found = "; ".join(f"{label(p)} has {', '.join(problems)}" for p, problems in judged if problems)
            stack.fail(
                namespace,
                f"{label(namespace)} has no default-deny NetworkPolicy "
                f"({found or 'no NetworkPolicy selects all pods'}); required: spec.podSelector {{}}, "
                "spec.policyTypes ['Ingress', 'Egress'], no ingress rules, egress only to kube-system on "
                "port 53",
            )
