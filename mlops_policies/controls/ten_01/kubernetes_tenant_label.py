"""The rule `ten-01-kubernetes-tenant-label`, one of the TEN-01 rules.

TEN-01: Everything is labelled with its tenant.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.namespaces import NAMESPACE
from mlops_policies.props import get, known, shown
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.tenancy import NO_TENANT

# Kinds that live in a namespace even when metadata.namespace is left to the provider's default.
NAMESPACED_KINDS = frozenset({
    "Pod", "PodTemplate", "ReplicationController", "Service", "ServiceAccount", "ConfigMap", "Secret",
    "Endpoints", "Event", "LimitRange", "ResourceQuota", "PersistentVolumeClaim", "Binding",
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision", "Job", "CronJob",
    "HorizontalPodAutoscaler", "NetworkPolicy", "Ingress", "Role", "RoleBinding", "PodDisruptionBudget",
    "Lease", "EndpointSlice", "CSIStorageCapacity", "ResourceClaim", "ResourceClaimTemplate",
})  # fmt: skip


def _is_labelled_kubernetes_object(r: ResourceCheck) -> bool:
    """Namespaces and namespaced objects; Patch types change objects the stack does not own."""
    if not r.type.startswith("kubernetes:") or r.type.endswith("Patch"):
        return False
    kind = r.type.rsplit(":", 1)[-1]
    return (
        r.type == NAMESPACE or kind in NAMESPACED_KINDS or known(r.props, "metadata", "namespace") is not None
    )


@resource_rule(
    "ten-01-kubernetes-tenant-label",
    control="TEN-01",
    types=[],
    severity=Severity.LOW,
    description="Every Namespace and every namespaced Kubernetes object carries metadata.labels.tenant "
    "=<stack tenant>.",
    remediation="Add metadata={'labels': {'tenant': '<tenant id>', ...}, ...} to the Kubernetes resource.",
)
def kubernetes_tenant_label(r: ResourceCheck) -> None:
    if not _is_labelled_kubernetes_object(r):
        return
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to check metadata.labels.tenant")
        return
    value = get(r.props, "metadata", "labels", "tenant")
    if value != r.tenant.id:
        r.fail(f"{r.label} has metadata.labels.tenant {shown(value)}; required: '{r.tenant.id}'")
