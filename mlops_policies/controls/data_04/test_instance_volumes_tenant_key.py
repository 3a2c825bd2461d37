"""Cases for `data-04-instance-volumes-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlops_policies.controls.data_04.instance_volumes_tenant_key import instance_volumes_tenant_key
from tests.policies.data_leakage_fixtures import TAGS, tenant_key
from tests.policies.harness import DELETE, UNKNOWN, Res, changed, run_stack

INSTANCE = "aws:ec2/instance:Instance"
FOREIGN_KEY = "arn:aws:kms:us-east-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab"
COMPLIANT_INSTANCE: dict[str, Any] = {
    "ami": "ami-0123456789abcdef0",
    "instanceType": "m5.large",
    "rootBlockDevice": {"encrypted": True, "kmsKeyId": UNKNOWN, "volumeSize": 100},
    "ebsBlockDevices": [
        {"deviceName": "/dev/sdf", "encrypted": True, "kmsKeyId": UNKNOWN, "volumeSize": 500}
    ],
    "tags": TAGS,
}
KEY_DEPS = {"rootBlockDevice": ["data-key"], "ebsBlockDevices": ["data-key"]}


def instance_stack(props: dict[str, Any] = COMPLIANT_INSTANCE, type_: str = INSTANCE) -> list[Res]:
    return [tenant_key(), Res(type_, "box", props, prop_deps=KEY_DEPS)]


@pytest.mark.parametrize("type_", [INSTANCE, "aws:ec2/spotInstanceRequest:SpotInstanceRequest"])
def test_pass_instance_volumes_encrypted_with_the_tenant_key_in_first_preview(type_):
    assert run_stack(instance_volumes_tenant_key, instance_stack(type_=type_)).passed


def test_pass_instance_without_extra_volumes():
    props = changed(COMPLIANT_INSTANCE, "ebsBlockDevices", DELETE)
    assert run_stack(instance_volumes_tenant_key, instance_stack(props)).passed


def test_fail_instance_with_unencrypted_inline_volumes():
    props = changed(
        changed(COMPLIANT_INSTANCE, "rootBlockDevice.encrypted", False), "ebsBlockDevices.0.encrypted", DELETE
    )
    assert run_stack(instance_volumes_tenant_key, instance_stack(props)).violations == [
        "aws:ec2/instance:Instance 'box' has rootBlockDevice.encrypted false; required: true",
        "aws:ec2/instance:Instance 'box' has ebsBlockDevices[0].encrypted missing; required: true",
    ]


def test_fail_instance_whose_root_volume_takes_the_ami_defaults():
    props = changed(COMPLIANT_INSTANCE, "rootBlockDevice", DELETE)
    assert run_stack(instance_volumes_tenant_key, instance_stack(props)).violations == [
        "aws:ec2/instance:Instance 'box' has rootBlockDevice missing; required: encrypted true and "
        "kmsKeyId a KMS key of this stack tagged tenant=acme"
    ]


def test_fail_a_second_volume_with_a_foreign_key_beside_one_with_the_tenant_key():
    # The tenant key dependency of ebsBlockDevices belongs to the first device, not to every device.
    second = {"deviceName": "/dev/sdg", "encrypted": True, "kmsKeyId": FOREIGN_KEY, "volumeSize": 500}
    props = changed(COMPLIANT_INSTANCE, "ebsBlockDevices", [*COMPLIANT_INSTANCE["ebsBlockDevices"], second])
    assert run_stack(instance_volumes_tenant_key, instance_stack(props)).violations == [
        f"aws:ec2/instance:Instance 'box' has ebsBlockDevices[1].kmsKeyId '{FOREIGN_KEY}', a key in account "
        "999988887777, not the tenant's account 111122223333; required: a KMS key of this stack tagged "
        "tenant=acme"
    ]


def test_fail_instance_volume_with_the_aws_managed_key():
    props = changed(COMPLIANT_INSTANCE, "rootBlockDevice.kmsKeyId", "alias/aws/ebs")
    assert run_stack(instance_volumes_tenant_key, instance_stack(props)).violations == [
        "aws:ec2/instance:Instance 'box' has rootBlockDevice.kmsKeyId 'alias/aws/ebs' (an AWS-managed key); "
        "required: a KMS key of this stack tagged tenant=acme"
    ]


def test_undecided_root_volume_key_unknown_without_dependency():
    stack = [tenant_key(), Res(INSTANCE, "box", COMPLIANT_INSTANCE)]
    outcome = run_stack(instance_volumes_tenant_key, stack)
    assert outcome.violations == [] and outcome.undecided is not None
