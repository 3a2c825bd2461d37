"""Tenant namespaces of a stack and the namespaced objects (quotas, network policies...) in each.

An object is in a Namespace when its `metadata.namespace` input was computed from that Namespace
(property dependency `metadata` -> the Namespace's URN: works in a first preview, where an
auto-named Namespace's name is unknown) or when its known `metadata.namespace` equals the
Namespace's known `metadata.name`. An object whose `metadata.namespace` is unknown and that has no
dependency information may or may not be in it: it is "unresolved", so a rule that finds nothing
better can say "undecided" instead of failing or passing.

An object without `metadata.namespace` lands in the Kubernetes provider's default namespace, which
the analyzer does not show; it is judged as in none of the stack's Namespaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pulumi_policy import PolicyResource

from mlops_policies.props import UNKNOWN, known

NAMESPACE = "kubernetes:core/v1:Namespace"
RESOURCE_QUOTA = "kubernetes:core/v1:ResourceQuota"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"


def namespace_name(namespace: PolicyResource) -> str | None:
    """The Namespace's known `metadata.name`; None when absent (auto-named) or unknown."""
    name = known(namespace.props, "metadata", "name")
    return name if isinstance(name, str) and name is not UNKNOWN else None


def in_namespace(resource: PolicyResource, namespace: PolicyResource) -> bool | None:
    """True / False when decidable; None when neither the value nor dependencies can tell."""
    if resource.urn == namespace.urn:
        return False
    deps = resource.property_dependencies.get("metadata") or []
    if any(dep.urn == namespace.urn for dep in deps):
        return True
    value = known(resource.props, "metadata", "namespace")
    if value is UNKNOWN:
        # Depending on something else (another Namespace, a config output) says "not this one".
        return False if deps else None
    if not isinstance(value, str):
        return False
    name = namespace_name(namespace)
    if name is not None:
        return value == name
    return None


@dataclass
class TenantNamespace:
    """One Namespace of the stack with the objects known to be in it and those that may be."""

    resource: PolicyResource
    name: str | None
    members: list[PolicyResource] = field(default_factory=list)
    unresolved: list[PolicyResource] = field(default_factory=list)

    def of_type(self, *types: str) -> list[PolicyResource]:
        return [r for r in self.members if r.resource_type in types]

    def unresolved_of_type(self, *types: str) -> list[PolicyResource]:
        return [r for r in self.unresolved if r.resource_type in types]


def tenant_namespaces(resources: Sequence[PolicyResource]) -> list[TenantNamespace]:
    """Every Namespace in the stack (in a tenant stack, every Namespace is a tenant namespace)."""
    found = []
    for namespace in (r for r in resources if r.resource_type == NAMESPACE):
        entry = TenantNamespace(namespace, namespace_name(namespace))
        for candidate in resources:
            if candidate.resource_type == NAMESPACE or not candidate.resource_type.startswith("kubernetes:"):
                continue
            belongs = in_namespace(candidate, namespace)
            if belongs:
                entry.members.append(candidate)
            elif belongs is None:
                entry.unresolved.append(candidate)
        found.append(entry)
    return found
