"""The rule `ten-05-environment-quota-and-network-policy`, one of the TEN-05 rules.

TEN-05: Environments are separated.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource, Severity

from mlops_policies.controls.ten_05._environments import environment_namespaces
from mlops_policies.namespaces import NAMESPACE, NETWORK_POLICY, RESOURCE_QUOTA, TenantNamespace
from mlops_policies.props import as_int, as_list, get
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule


def _dns_to_kube_system(rule: Any) -> bool:
    """An egress rule that only lets pods resolve names: port 53 to the kube-system namespace."""
    ports = as_list(get(rule, "ports"))
    peers = as_list(get(rule, "to"))
    only_dns = bool(ports) and all(as_int(get(p, "port")) == 53 for p in ports)
    kube_system = bool(peers) and all(
        get(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "kube-system"
        and get(peer, "ipBlock") is None
        for peer in peers
    )
    return only_dns and kube_system


def is_default_deny(policy: PolicyResource) -> bool:
    """spec.podSelector selects every pod, policyTypes has Ingress and Egress, no ingress rule allows
    anything, and egress rules allow at most DNS to kube-system (pods must resolve names)."""
    spec = get(policy.props, "spec")
    selector = get(spec, "podSelector")
    every_pod = not get(selector, "matchLabels") and not get(selector, "matchExpressions")
    types = {t for t in as_list(get(spec, "policyTypes")) if isinstance(t, str)}
    no_ingress = not as_list(get(spec, "ingress"))
    dns_only = all(_dns_to_kube_system(rule) for rule in as_list(get(spec, "egress")))
    return every_pod and {"Ingress", "Egress"} <= types and no_ingress and dns_only


def _judge_environment_namespace(stack: StackCheck, env: str, namespace: TenantNamespace) -> None:
    where = f"{label(namespace.resource)} (environment '{env}')"
    if not namespace.of_type(RESOURCE_QUOTA):
        if namespace.unresolved_of_type(RESOURCE_QUOTA):
            raise Undecided(["a ResourceQuota's metadata.namespace is unknown"])
        stack.fail(
            namespace.resource, f"{where} has no ResourceQuota; required: one per environment namespace"
        )
    policies = namespace.of_type(NETWORK_POLICY)
    if not any(is_default_deny(p) for p in policies):
        if namespace.unresolved_of_type(NETWORK_POLICY):
            raise Undecided(["a NetworkPolicy's metadata.namespace is unknown"])
        stack.fail(namespace.resource, f"{where} has no default-deny NetworkPolicy (spec.podSelector {{}}, "
                   "policyTypes [Ingress, Egress], no ingress rules, egress at most DNS to kube-system); "
                   "required: one per environment namespace")  # fmt: skip


@stack_rule(
    "ten-05-environment-quota-and-network-policy",
    control="TEN-05",
    types=[NAMESPACE, RESOURCE_QUOTA, NETWORK_POLICY],
    severity=Severity.MEDIUM,
    description="Every environment Namespace has a ResourceQuota and a default-deny NetworkPolicy "
    "(podSelector {}, policyTypes [Ingress, Egress], no ingress rules, egress rules at most DNS (port 53) to "
    "kube-system); allow policies may be added next to it.",
    remediation="Create in each environment namespace a kubernetes.core.v1.ResourceQuota and a "
    "kubernetes.networking.v1.NetworkPolicy with spec={'pod_selector': {}, 'policy_types': ['Ingress', "
    "'Egress']} and metadata={'namespace': ns.metadata.name}.",
)
def environment_quota_and_network_policy(stack: StackCheck) -> None:
    for env, namespace in environment_namespaces(stack).items():
        if namespace is not None:
            with stack.deciding(namespace.resource):
                _judge_environment_namespace(stack, env, namespace)
