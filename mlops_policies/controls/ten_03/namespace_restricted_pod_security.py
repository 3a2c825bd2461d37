"""The rule `ten-03-namespace-restricted-pod-security`, one of the TEN-03 rules.

TEN-03: Tenant namespaces enforce the restricted pod security standard.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import Severity

from mlops_policies.namespaces import NAMESPACE
from mlops_policies.props import get, shown
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "ten-03-namespace-restricted-pod-security",
    control="TEN-03",
    types=[NAMESPACE, f"{NAMESPACE}Patch"],
    severity=Severity.HIGH,
    description="Every Namespace has label pod-security.kubernetes.io/enforce=restricted, and no "
    "NamespacePatch sets it to anything else (a patch leaving it unset keeps the live namespace's label).",
    remediation="Add metadata={'labels': {'pod-security.kubernetes.io/enforce': 'restricted', ...}} to the "
    "kubernetes.core.v1.Namespace; remove other enforce levels from NamespacePatch resources.",
)
def namespace_restricted_pod_security(r: ResourceCheck) -> None:
    labels = get(r.props, "metadata", "labels")
    level = get(labels, "pod-security.kubernetes.io/enforce") if isinstance(labels, Mapping) else None
    if r.type.endswith("Patch") and level is None:
        return
    if level != "restricted":
        r.fail(f"{r.label} has metadata.labels.pod-security.kubernetes.io/enforce {shown(level)}; "
               "required: 'restricted'")  # fmt: skip
