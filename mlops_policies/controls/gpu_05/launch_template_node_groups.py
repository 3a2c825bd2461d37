"""The rule `gpu-05-launch-template-node-groups`, one of the GPU-05 rules.

A node group naming no instance type gets its launch template's: the GPU-05 node group checks judge it
with that type (mlops_policies.node_groups.NODE_GROUP_JUDGES), which a resource rule cannot see.

The same goes for SSH: EKS refuses remoteAccess on a group with a launch template, but the template's own
keyName puts that key pair on every node it launches, which is remote access just the same. Only a stack
rule sees the template a node group uses, so this rule judges it for every GPU node group.
"""

from __future__ import annotations

from pulumi_policy import Severity

import mlops_policies.controls.gpu_05.node_group_no_remote_access  # noqa: F401  (registers its node group judge)
from mlops_policies.controls.gpu_05._launch_templates import (
    gpu_groups_with_templates,
    judge_typed_by_template,
)
from mlops_policies.props import get, shown
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "gpu-05-launch-template-node-groups",
    control="GPU-05",
    types=[NODE_GROUP, LAUNCH_TEMPLATE],
    severity=Severity.HIGH,
    description="GPU node groups whose instance type is only in their launch template (instanceType of an "
    "aws:ec2/launchTemplate:LaunchTemplate of a GPU family) have no remoteAccess, and the launch template "
    "of every GPU node group sets no keyName (a key pair on the nodes is SSH access).",
    remediation="Set instance_types on the "
    "aws.eks.NodeGroup, or fix it like a node group that names its type: "
    "remove remote_access; remove key_name from the aws.ec2.LaunchTemplate (use SSM Session Manager "
    "for break-glass).",
)
def launch_template_node_groups_no_remote_access(stack: StackCheck) -> None:
    judge_typed_by_template(stack, "GPU-05")
    # A group without a launch template is gpu-05-node-group-imdsv2's violation; it has no keyName.
    for group, template in gpu_groups_with_templates(stack, report_missing=False):
        with stack.deciding(template):
            # Missing or empty means no key pair; an unknown key name (a KeyPair's output) is undecided.
            key_name = get(template.props, "keyName")
            if key_name is not None and key_name != "":
                stack.fail(template, f"{label(template)} (launch template of {label(group)}) has keyName "
                           f"{shown(key_name)}; required: no key pair (no SSH to GPU nodes)")  # fmt: skip
