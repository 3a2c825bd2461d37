"""The rule `gpu-05-node-group-imdsv2`, one of the GPU-05 rules.

GPU-05: GPU nodes do not leak node credentials or disks.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.gpu_05._launch_templates import gpu_groups_with_templates
from mlops_policies.props import as_int, get, shown
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "gpu-05-node-group-imdsv2",
    control="GPU-05",
    types=[NODE_GROUP, LAUNCH_TEMPLATE],
    severity=Severity.CRITICAL,
    description="GPU node groups use a launch template of the stack whose metadataOptions set httpTokens "
    "'required' and httpPutResponseHopLimit 1, so pods cannot reach the node's instance credentials.",
    remediation="Create an aws.ec2.LaunchTemplate with metadata_options={'http_tokens': 'required', "
    "'http_put_response_hop_limit': 1} and pass launch_template={'id': lt.id, 'version': "
    "lt.latest_version.apply(str)} to the aws.eks.NodeGroup.",
)
def node_group_imdsv2(stack: StackCheck) -> None:
    for group, template in gpu_groups_with_templates(stack):
        with stack.deciding(template):
            tokens = get(template.props, "metadataOptions", "httpTokens")
            # A missing hop limit is not 1: AMIs registered with ImdsSupport v2.0 default to 2.
            hops = get(template.props, "metadataOptions", "httpPutResponseHopLimit")
            where = f"{label(template)} (launch template of {label(group)})"
            if tokens != "required":
                stack.fail(template, f"{where} has metadataOptions.httpTokens {shown(tokens)}; "
                           "required: 'required'")  # fmt: skip
            if as_int(hops) != 1:
                stack.fail(template, f"{where} has metadataOptions.httpPutResponseHopLimit {shown(hops)}; "
                           "required: 1")  # fmt: skip
