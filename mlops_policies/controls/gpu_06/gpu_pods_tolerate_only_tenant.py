"""The rule `gpu-06-gpu-pods-tolerate-only-tenant`, one of the GPU-06 rules.

GPU-06: Workloads stay on their tenant's nodes and off the host.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from mlops_policies.controls.gpu_06._pods import gpu_requests, is_extended_resource, requested_resources
from mlops_policies.props import as_list, get, shown
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.tenancy import NO_TENANT
from mlops_policies.workloads import WORKLOAD_TYPES, pod_specs

# DefaultTolerationSeconds (a kube-apiserver admission plugin) adds these to every Pod, NoExecute.
NOT_READY_KEYS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")


def _added_by_kubernetes(toleration: Any, operator: Any, requested: set[str]) -> bool:
    """A toleration kube-apiserver's mutating plugins add to the Pods controllers create (the admission
    policy mirroring this rule sees them): DefaultTolerationSeconds' not-ready/unreachable (Exists,
    NoExecute, any tolerationSeconds) and ExtendedResourceToleration's one per extended resource the pod
    requests (Exists, NoSchedule). Accepting them here keeps both layers' verdicts equal."""
    key, effect = get(toleration, "key"), get(toleration, "effect")
    if operator != "Exists":
        return False
    if key in NOT_READY_KEYS:
        return effect == "NoExecute"
    return effect == "NoSchedule" and is_extended_resource(key) and key in requested


def _toleration_problem(toleration: Any, tenant: str, requested: set[str]) -> str | None:
    key, operator = get(toleration, "key"), get(toleration, "operator", default="Equal")
    if key == "tenant" and operator == "Equal" and get(toleration, "value") == tenant:
        return None
    if _added_by_kubernetes(toleration, operator, requested):
        return None
    if key in (None, "") and operator == "Exists":
        return "tolerates every taint"
    if key == "tenant" and operator == "Exists":
        return "tolerates every tenant's taint"
    if key == "tenant":
        return f"tolerates tenant {shown(get(toleration, 'value'))}"
    return f"tolerates taint key {shown(key)}"


@resource_rule(
    "gpu-06-gpu-pods-tolerate-only-tenant",
    control="GPU-06",
    types=WORKLOAD_TYPES,
    severity=Severity.CRITICAL,
    description="A pod spec requesting GPUs tolerates only the taint tenant=<stack tenant> (operator Equal).",
    remediation="Keep only tolerations=[{'key': 'tenant', 'operator': 'Equal', 'value': '<tenant id>', "
    "'effect': 'NoSchedule'}] in GPU pod specs; remove operator 'Exists' and other keys.",
)
def gpu_pods_tolerate_only_tenant(r: ResourceCheck) -> None:
    for pod in pod_specs(r.type, r.props):
        if not gpu_requests(pod):
            continue
        if r.tenant.id is None:
            r.fail(f"{r.label}: {NO_TENANT}; required to judge the GPU pod's tolerations")
            return
        requested = requested_resources(pod)
        for index, toleration in enumerate(as_list(get(pod.spec, "tolerations"))):
            problem = _toleration_problem(toleration, r.tenant.id, requested)
            if problem:
                r.fail(f"{r.label} requests GPUs but {pod.path}.tolerations[{index}] {problem}; required: "
                       f"only tenant={r.tenant.id}")  # fmt: skip
