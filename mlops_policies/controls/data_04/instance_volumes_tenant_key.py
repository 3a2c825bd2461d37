"""The rule `data-04-instance-volumes-tenant-key`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.

An EC2 instance creates EBS volumes of its own (rootBlockDevice, ebsBlockDevices) that no
aws:ebs/volume:Volume resource describes, so `data-04-ebs-volume-tenant-key` never sees them.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import Severity

from mlops_policies.controls.data_04._tenant_key import KMS_KEY, require_encrypted, require_tenant_key
from mlops_policies.messages import as_shown
from mlops_policies.props import UNKNOWN, indices, known
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule

INSTANCE_TYPES = ("aws:ec2/instance:Instance", "aws:ec2/spotInstanceRequest:SpotInstanceRequest")


@stack_rule(
    "data-04-instance-volumes-tenant-key",
    control="DATA-04",
    types=[*INSTANCE_TYPES, KMS_KEY],
    severity=Severity.HIGH,
    description="Every EC2 instance declares its root volume (rootBlockDevice) and each of its "
    "ebsBlockDevices with encrypted true and a kmsKeyId naming a tenant key.",
    remediation="Set root_block_device={'encrypted': True, 'kms_key_id': tenant_key.arn} and the same two "
    "arguments on every entry of ebs_block_devices (an undeclared root volume takes the AMI's and the "
    "account's defaults, which the policy cannot see).",
)
def instance_volumes_tenant_key(stack: StackCheck) -> None:
    for instance in stack.of_type(*INSTANCE_TYPES):
        with stack.deciding(instance):
            root = known(instance.props, "rootBlockDevice")
            if root is UNKNOWN:
                raise Undecided([f"{label(instance)} rootBlockDevice is unknown"])
            if not isinstance(root, Mapping):
                stack.fail(
                    instance,
                    f"{label(instance)} has rootBlockDevice {as_shown(root)}; required: encrypted true and "
                    f"kmsKeyId a KMS key of this stack tagged tenant={stack.tenant.id}",
                )
            else:
                require_encrypted(stack, instance, "rootBlockDevice")
                require_tenant_key(stack, instance, "rootBlockDevice", "kmsKeyId")
            for index in indices(instance.props, "ebsBlockDevices"):
                require_encrypted(stack, instance, "ebsBlockDevices", index)
                require_tenant_key(stack, instance, "ebsBlockDevices", index, "kmsKeyId")
