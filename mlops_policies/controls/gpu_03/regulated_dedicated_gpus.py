"""The rule `gpu-03-regulated-dedicated-gpus`, one of the GPU-03 rules.

GPU-03: Regulated tenants get whole GPUs.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.node_groups import SHARING_LABEL, is_gpu_node_group, node_group_judge, node_label
from mlops_policies.props import shown
from mlops_policies.resource_types import NODE_GROUP
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "gpu-03-regulated-dedicated-gpus",
    control="GPU-03",
    types=[NODE_GROUP],
    severity=Severity.HIGH,
    description="Every GPU node group of a regulated tenant has gpu-sharing 'dedicated': whole GPUs only.",
    remediation="Set labels['gpu-sharing']='dedicated' and remove nvidia.com/mig.config (or set it to "
    "'all-disabled') on the aws.eks.NodeGroup.",
)
@node_group_judge("GPU-03")
def regulated_dedicated_gpus(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    mode = node_label(r.props, SHARING_LABEL)
    if mode != "dedicated":
        r.fail(f"{r.label} has labels.{SHARING_LABEL} {shown(mode)}; required for a regulated tenant: "
               "'dedicated'")  # fmt: skip
