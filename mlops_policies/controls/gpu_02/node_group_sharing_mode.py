"""The rule `gpu-02-node-group-sharing-mode`, one of the GPU-02 rules.

GPU-02: GPU sharing is a hard partition or none.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.node_groups import SHARING_LABEL, is_gpu_node_group, node_group_judge, node_label
from mlops_policies.props import shown
from mlops_policies.resource_types import NODE_GROUP
from mlops_policies.rule import ResourceCheck, resource_rule

SHARING_MODES = ("dedicated", "mig")


@resource_rule(
    "gpu-02-node-group-sharing-mode",
    control="GPU-02",
    types=[NODE_GROUP],
    severity=Severity.MEDIUM,
    description="GPU node groups declare their sharing mode in label gpu-sharing: 'dedicated' or 'mig'.",
    remediation="Add labels={'gpu-sharing': 'dedicated'} (whole GPUs) or {'gpu-sharing': 'mig', "
    "'nvidia.com/mig.config': '<layout>'} to the aws.eks.NodeGroup.",
)
@node_group_judge("GPU-02")
def node_group_sharing_mode(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    mode = node_label(r.props, SHARING_LABEL)
    if mode not in SHARING_MODES:
        r.fail(f"{r.label} has labels.{SHARING_LABEL} {shown(mode)}; required: 'dedicated' or 'mig'")
