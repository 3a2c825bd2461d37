"""The rule `gpu-06-gpu-pods-tolerate-only-tenant`, one of the GPU-06 rules.

GPU-06: Workloads stay on their tenant's nodes and off the host.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from mlops_policies.controls.gpu_06._pods import gpu_requests
from mlops_policies.props import as_list, get, shown
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.tenancy import NO_TENANT
from mlops_policies.workloads import WORKLOAD_TYPES, pod_specs


def _toleration_problem(toleration: Any, tenant: str) -> str | None:
    key, operator = get(toleration, "key"), get(toleration, "operator", default="Equal")
    if key == "tenant" and operator == "Equal" and get(toleration, "value") == tenant:
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
        for index, toleration in enumerate(as_list(get(pod.spec, "tolerations"))):
            problem = _toleration_problem(toleration, r.tenant.id)
            if problem:
                r.fail(f"{r.label} requests GPUs but {pod.path}.tolerations[{index}] {problem}; required: "
                       f"only tenant={r.tenant.id}")  # fmt: skip
