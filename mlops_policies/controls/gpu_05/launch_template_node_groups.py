"""The rule `gpu-05-launch-template-node-groups`, one of the GPU-05 rules.

A node group naming no instance type gets its launch template's: the GPU-05 node group checks judge it
with that type (mlops_policies.node_groups.NODE_GROUP_JUDGES), which a resource rule cannot see.
"""

from __future__ import annotations

from pulumi_policy import Severity

import mlops_policies.controls.gpu_05.node_group_no_remote_access  # noqa: F401  (registers its node group judge)
from mlops_policies.controls.gpu_05._launch_templates import judge_typed_by_template
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP
from mlops_policies.rule import StackCheck, stack_rule


@stack_rule(
    "gpu-05-launch-template-node-groups",
    control="GPU-05",
    types=[NODE_GROUP, LAUNCH_TEMPLATE],
    severity=Severity.HIGH,
    description="GPU node groups whose instance type is only in their launch template (instanceType of an "
    "aws:ec2/launchTemplate:LaunchTemplate of a GPU family) have no remoteAccess.",
    remediation="Set instance_types on the "
    "aws.eks.NodeGroup, or fix it like a node group that names its type: "
    "remove remote_access.",
)
def launch_template_node_groups_no_remote_access(stack: StackCheck) -> None:
    judge_typed_by_template(stack, "GPU-05")
