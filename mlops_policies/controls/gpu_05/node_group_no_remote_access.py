"""The rule `gpu-05-node-group-no-remote-access`, one of the GPU-05 rules.

GPU-05: GPU nodes do not leak node credentials or disks.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.node_groups import is_gpu_node_group, node_group_judge
from mlops_policies.props import get
from mlops_policies.resource_types import NODE_GROUP
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "gpu-05-node-group-no-remote-access",
    control="GPU-05",
    types=[NODE_GROUP],
    severity=Severity.HIGH,
    description="GPU node groups have no remoteAccess: nobody logs into a tenant's GPU node by SSH.",
    remediation="Remove remote_access from the aws.eks.NodeGroup; use SSM Session Manager for break-glass.",
)
@node_group_judge("GPU-05")
def node_group_no_remote_access(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    if get(r.props, "remoteAccess") is not None:
        r.fail(f"{r.label} has remoteAccess set; required: no remoteAccess (no SSH to GPU nodes)")
