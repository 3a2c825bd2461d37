"""The rule `gpu-04-namespace-gpu-quota`, one of the GPU-04 rules.

GPU-04: GPU use is bounded by quota.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import PolicyResource, Severity

from landingzone.gpu import load_catalog
from mlops_policies.namespaces import RESOURCE_QUOTA, tenant_namespaces
from mlops_policies.node_groups import MIG_CONFIG_LABEL, SHARING_LABEL, node_label, stack_instance_types
from mlops_policies.props import UNKNOWN, known
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule

NAMESPACE = "kubernetes:core/v1:Namespace"


def _mig_profiles(stack: StackCheck) -> set[str]:
    """MIG profiles the stack's mig node groups expose (layouts GPU-02 rejects expose nothing)."""
    catalog = load_catalog()
    profiles: set[str] = set()
    for group in stack.of_type(NODE_GROUP):
        with stack.deciding(group):
            layout = node_label(group.props, MIG_CONFIG_LABEL)
            if node_label(group.props, SHARING_LABEL) != "mig" or not isinstance(layout, str):
                continue
            # A group naming no instance type runs its launch template's, and exposes that type's profiles.
            for name in stack_instance_types(stack, group):
                instance = catalog.instance_types.get(name)
                if instance is not None and layout in instance.gpu.layouts():
                    profiles.update(instance.gpu.layout_profiles(layout))
    return profiles


def _quota_keys(quota: PolicyResource) -> set[str] | None:
    """spec.hard keys of a quota that bounds every pod; None when unknown. Scoped quotas bound only some."""
    spec = known(quota.props, "spec")
    if spec is UNKNOWN:
        return None
    if known(spec, "scopes") is not None or known(spec, "scopeSelector") is not None:
        return set()
    hard = known(spec, "hard")
    if hard is UNKNOWN:
        return None
    return {k for k in hard if isinstance(k, str)} if isinstance(hard, Mapping) else set()


@stack_rule(
    "gpu-04-namespace-gpu-quota",
    control="GPU-04",
    types=[NAMESPACE, RESOURCE_QUOTA, NODE_GROUP, LAUNCH_TEMPLATE],
    severity=Severity.MEDIUM,
    description="Every tenant Namespace has a ResourceQuota (without scopes) whose spec.hard sets "
    "requests.nvidia.com/gpu and, when the stack has mig node groups, requests.nvidia.com/mig-<profile> "
    "for every profile their layouts expose on their instance types (a group's own, or its launch "
    "template's when it names none).",
    remediation="Create a kubernetes.core.v1.ResourceQuota with metadata={'namespace': ns.metadata.name} and "
    "spec={'hard': {'requests.nvidia.com/gpu': '<n>', 'requests.nvidia.com/mig-<profile>': '<n>', ...}} "
    "in every tenant namespace.",
)
def namespace_gpu_quota(stack: StackCheck) -> None:
    profiles = sorted(_mig_profiles(stack))
    required = ["requests.nvidia.com/gpu", *(f"requests.nvidia.com/mig-{p}" for p in profiles)]
    for namespace in tenant_namespaces(stack.resources):
        with stack.deciding(namespace.resource):
            keys: set[str] = set()
            unresolved = [label(q) for q in namespace.unresolved_of_type(RESOURCE_QUOTA)]
            for quota in namespace.of_type(RESOURCE_QUOTA):
                found = _quota_keys(quota)
                if found is None:
                    unresolved.append(label(quota))
                keys |= found or set()
            missing = [k for k in required if k not in keys]
            if missing and unresolved:
                raise Undecided([f"cannot tell whether {', '.join(unresolved)} bound(s) it"])
            if missing:
                stack.fail(namespace.resource, f"{label(namespace.resource)} has no ResourceQuota spec.hard "
                           f"{', '.join(missing)}; required: {', '.join(required)}")  # fmt: skip
