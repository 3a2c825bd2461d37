"""The rule `gpu-05-node-group-encrypted-disks`, one of the GPU-05 rules.

GPU-05: GPU nodes do not leak node credentials or disks.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import Severity

from mlops_policies.controls.gpu_05._launch_templates import gpu_groups_with_templates
from mlops_policies.keys import key_use, require_decided
from mlops_policies.props import as_bool, as_list, get, shown
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "gpu-05-node-group-encrypted-disks",
    control="GPU-05",
    types=[NODE_GROUP, LAUNCH_TEMPLATE],
    severity=Severity.HIGH,
    description="GPU node groups use a launch template whose every EBS block device has encrypted true and "
    "kmsKeyId a tenant key (a KMS key of this stack tagged with the tenant).",
    remediation="Set block_device_mappings=[{'device_name': '/dev/xvda', 'ebs': {'encrypted': 'true', "
    "'kms_key_id': tenant_key.arn, ...}}] on the aws.ec2.LaunchTemplate.",
)
def node_group_encrypted_disks(stack: StackCheck) -> None:
    for group, template in gpu_groups_with_templates(stack):
        with stack.deciding(template):
            where = f"{label(template)} (launch template of {label(group)})"
            mappings = as_list(get(template.props, "blockDeviceMappings"))
            volumes = [(i, ebs) for i, m in enumerate(mappings) if isinstance(ebs := get(m, "ebs"), Mapping)]
            if not volumes:
                stack.fail(template, f"{where} has no blockDeviceMappings[].ebs; required: an encrypted root "
                           "volume with a tenant key")  # fmt: skip
            for index, ebs in volumes:
                encrypted = get(ebs, "encrypted")
                if as_bool(encrypted) is not True:
                    stack.fail(template, f"{where} has blockDeviceMappings[{index}].ebs.encrypted "
                               f"{shown(encrypted)}; required: 'true'")  # fmt: skip
                path = f"blockDeviceMappings[{index}].ebs.kmsKeyId"
                use = require_decided(
                    key_use(stack, template, "blockDeviceMappings", index, "ebs", "kmsKeyId"), path
                )
                if not use.tenant_key:
                    stack.fail(template, f"{where} has {path} {use.found}; required: a tenant key")
