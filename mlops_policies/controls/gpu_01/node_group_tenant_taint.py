"""The rule `gpu-01-node-group-tenant-taint`, one of the GPU-01 rules.

GPU-01: GPU nodes are tainted and labelled for their tenant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies.node_groups import is_gpu_node_group, node_group_judge
from mlops_policies.props import as_list, get
from mlops_policies.resource_types import NODE_GROUP
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.tenancy import NO_TENANT


def _taint_text(taint: Any) -> str:
    return f"{get(taint, 'key')}={get(taint, 'value')}:{get(taint, 'effect')}"


@resource_rule(
    "gpu-01-node-group-tenant-taint",
    control="GPU-01",
    types=[NODE_GROUP],
    severity=Severity.CRITICAL,
    description="GPU node groups carry the taint tenant=<stack tenant>:NO_SCHEDULE, so only the tenant's "
    "pods (which tolerate it) are scheduled there.",
    remediation="Add taints=[{'key': 'tenant', 'value': '<tenant id>', 'effect': 'NO_SCHEDULE'}] to the "
    "aws.eks.NodeGroup.",
)
@node_group_judge("GPU-01")
def node_group_tenant_taint(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to judge the GPU node group's tenant taint")
        return
    taints = [t for t in as_list(get(r.props, "taints")) if isinstance(t, Mapping)]
    wanted = ("tenant", r.tenant.id, "NO_SCHEDULE")
    if any((get(t, "key"), get(t, "value"), get(t, "effect")) == wanted for t in taints):
        return
    found = ", ".join(_taint_text(t) for t in taints) or "missing"
    r.fail(f"{r.label} has taints {found}; required: {{key: 'tenant', value: '{r.tenant.id}', "
           "effect: 'NO_SCHEDULE'}")  # fmt: skip
