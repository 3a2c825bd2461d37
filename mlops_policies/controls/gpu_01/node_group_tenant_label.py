"""The rule `gpu-01-node-group-tenant-label`, one of the GPU-01 rules.

GPU-01: GPU nodes are tainted and labelled for their tenant.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.node_groups import is_gpu_node_group, node_group_judge, node_label
from mlops_policies.props import shown
from mlops_policies.resource_types import NODE_GROUP
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.tenancy import NO_TENANT


@resource_rule(
    "gpu-01-node-group-tenant-label",
    control="GPU-01",
    types=[NODE_GROUP],
    severity=Severity.MEDIUM,
    description="GPU node groups carry the node label tenant=<stack tenant>, so workloads can select them.",
    remediation="Add labels={'tenant': '<tenant id>', ...} to the aws.eks.NodeGroup.",
)
@node_group_judge("GPU-01")
def node_group_tenant_label(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to judge the GPU node group's tenant label")
        return
    value = node_label(r.props, "tenant")
    if value != r.tenant.id:
        r.fail(f"{r.label} has labels.tenant {shown(value)}; required: '{r.tenant.id}'")
