"""The rule `gpu-06-gpu-pods-on-tenant-nodes`, one of the GPU-06 rules.

GPU-06: Workloads stay on their tenant's nodes and off the host.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies.controls.gpu_06._pods import gpu_requests
from mlops_policies.props import as_list, get, shown
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.tenancy import NO_TENANT
from mlops_policies.workloads import WORKLOAD_TYPES, pod_specs


def _selects_tenant_nodes(spec: Mapping[str, Any], tenant: str) -> bool:
    if get(spec, "nodeSelector", "tenant") == tenant:
        return True
    # Node selector terms are ORed: every term must pin the tenant, or one term escapes.
    terms = as_list(get(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                        "nodeSelectorTerms"))  # fmt: skip
    return bool(terms) and all(_term_pins_tenant(term, tenant) for term in terms)


def _term_pins_tenant(term: Any, tenant: str) -> bool:
    for expression in as_list(get(term, "matchExpressions")):
        values = as_list(get(expression, "values"))
        pinned = get(expression, "key") == "tenant" and get(expression, "operator") == "In"
        if pinned and values and all(v == tenant for v in values):
            return True
    return False


@resource_rule(
    "gpu-06-gpu-pods-on-tenant-nodes",
    control="GPU-06",
    types=WORKLOAD_TYPES,
    severity=Severity.HIGH,
    description="A pod spec requesting nvidia.com/gpu or nvidia.com/mig-* selects nodes with nodeSelector "
    "tenant=<stack tenant> (or a required node affinity tenant In [<stack tenant>] in every term).",
    remediation="Set node_selector={'tenant': '<tenant id>'} in the pod spec (spec.template.spec for "
    "workload controllers) of every GPU workload.",
)
def gpu_pods_on_tenant_nodes(r: ResourceCheck) -> None:
    for pod in pod_specs(r.type, r.props):
        if not gpu_requests(pod):
            continue
        if r.tenant.id is None:
            r.fail(f"{r.label}: {NO_TENANT}; required to judge the GPU pod's node selection")
            return
        if not _selects_tenant_nodes(pod.spec, r.tenant.id):
            selected = get(pod.spec, "nodeSelector", "tenant")
            r.fail(f"{r.label} requests {gpu_requests(pod)[0]} but has {pod.path}.nodeSelector.tenant "
                   f"{shown(selected)}; required: '{r.tenant.id}' (or required node affinity tenant In "
                   f"['{r.tenant.id}'])")  # fmt: skip
