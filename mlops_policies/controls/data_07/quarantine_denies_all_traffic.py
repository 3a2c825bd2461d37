"""DATA-07 on a quarantined stack: every tenant namespace denies all traffic, DNS included."""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies.incident import quarantine
from mlops_policies.props import as_list, get, known
from mlops_policies.rule import StackCheck, label, stack_rule

NAMESPACE = "kubernetes:core/v1:Namespace"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"


def _in_namespace(stack: StackCheck, policy: PolicyResource, namespace: PolicyResource) -> bool:
    if any(dep.urn == namespace.urn for dep in stack.referenced_by(policy, "metadata")):
        return True
    name = known(namespace.props, "metadata", "name")
    return isinstance(name, str) and known(policy.props, "metadata", "namespace") == name


def _denies_all(policy: PolicyResource) -> bool:
    spec = get(policy.props, "spec", default={})
    selector = get(spec, "podSelector", default={}) or {}
    every_pod = not get(selector, "matchLabels") and not get(selector, "matchExpressions")
    types = set(as_list(get(spec, "policyTypes")))
    return every_pod and {"Ingress", "Egress"} <= types and not _allowed(policy)


def _allowed(policy: PolicyResource) -> list[str]:
    spec = get(policy.props, "spec", default={})
    return [
        f"{len(as_list(get(spec, direction)))} {direction} rule(s)"
        for direction in ("ingress", "egress")
        if as_list(get(spec, direction))
    ]


@stack_rule(
    "data-07-quarantine-denies-all-traffic",
    control="DATA-07",
    types=[NAMESPACE, NETWORK_POLICY],
    description="On a quarantined stack every tenant namespace has a NetworkPolicy selecting every pod "
    "with policyTypes Ingress and Egress and no rules, and no NetworkPolicy in it allows any traffic, "
    "DNS included (policies add up: one allowing DNS keeps DNS open).",
    remediation="Deploy the stack as `tenantctl quarantine` left it: the program adds quarantine-deny-all "
    "to each namespace and drops the default-deny's DNS rule; remove any other allowing policy.",
    severity=Severity.CRITICAL,
)
def quarantine_denies_all_traffic(stack: StackCheck) -> None:
    incident = quarantine()
    policies = stack.of_type(NETWORK_POLICY)
    for namespace in stack.of_type(NAMESPACE):
        with stack.deciding(namespace):
            inside = [p for p in policies if _in_namespace(stack, p, namespace)]
            if not any(_denies_all(p) for p in inside):
                stack.fail(
                    namespace,
                    f"{label(namespace)}: no NetworkPolicy denies all traffic while quarantined "
                    f"(ticket {incident.ticket}); required: podSelector {{}}, policyTypes Ingress and "
                    "Egress, no ingress or egress rules",
                )
            for policy in inside:
                allowed = _allowed(policy)
                if allowed:
                    stack.fail(
                        policy,
                        f"{label(policy)} allows {' and '.join(allowed)} while quarantined "
                        f"(ticket {incident.ticket}); required: none",
                    )
