"""The rule `gpu-04-launch-template-node-groups`, one of the GPU-04 rules.

A node group naming no instance type gets its launch template's: the GPU-04 node group checks judge it
with that type (mlops_policies.node_groups.NODE_GROUP_JUDGES), which a resource rule cannot see.
"""

from __future__ import annotations

from pulumi_policy import Severity

import mlops_policies.controls.gpu_04.node_group_max_size  # noqa: F401  (registers its node group judge)
from mlops_policies.controls.gpu_05._launch_templates import judge_typed_by_template
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP
from mlops_policies.rule import StackCheck, stack_rule


@stack_rule(
    "gpu-04-launch-template-node-groups",
    control="GPU-04",
    types=[NODE_GROUP, LAUNCH_TEMPLATE],
    severity=Severity.MEDIUM,
    config={"maxGpuNodes": {"type": "integer", "default": 16, "description": "Largest GPU node group."}},
    description="GPU node groups whose instance type is only in their launch template (instanceType of an "
    "aws:ec2/launchTemplate:LaunchTemplate of a GPU family) have scalingConfig.maxSize at most "
    "maxGpuNodes (default 16).",
    remediation="Set instance_types on the "
    "aws.eks.NodeGroup, or fix it like a node group that names its type: "
    "set scaling_config={'max_size': <n>} to at most maxGpuNodes.",
)
def launch_template_node_groups_bounded(stack: StackCheck) -> None:
    judge_typed_by_template(stack, "GPU-04")
