"""Cases for `gpu-05-node-group-encrypted-disks`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_05._fixtures import TEMPLATE, node_stack
from mlops_policies.controls.gpu_05.node_group_encrypted_disks import node_group_encrypted_disks
from tests.policies.harness import DELETE, changed, run_stack


def test_fail_unencrypted_disk():
    template = changed(TEMPLATE, "blockDeviceMappings.0.ebs.encrypted", "false")
    assert run_stack(node_group_encrypted_disks, node_stack(template=template)).violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup 'a100') has blockDeviceMappings[0].ebs.encrypted 'false'; required: "
        "'true'"
    ]


def test_fail_disk_encrypted_with_the_aws_managed_key():
    template = changed(TEMPLATE, "blockDeviceMappings.0.ebs.kmsKeyId", "alias/aws/ebs")
    violations = run_stack(
        node_group_encrypted_disks, node_stack(template=template, template_deps={})
    ).violations
    assert len(violations) == 1
    assert (
        "blockDeviceMappings[0].ebs.kmsKeyId 'alias/aws/ebs' (an AWS-managed key); required: a tenant key"
        in violations[0]
    )
    assert violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup "
        "'a100') has blockDeviceMappings[0].ebs.kmsKeyId 'alias/aws/ebs' (an AWS-managed key); required: a "
        "tenant key"
    ]


def test_fail_no_block_device_mappings():
    template = changed(TEMPLATE, "blockDeviceMappings", DELETE)
    violations = run_stack(
        node_group_encrypted_disks, node_stack(template=template, template_deps={})
    ).violations
    assert violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup "
        "'a100') has no blockDeviceMappings[].ebs; required: an encrypted root volume with a tenant key"
    ]


def test_undecided_disk_key_unknown_without_dependency():
    outcome = run_stack(node_group_encrypted_disks, node_stack(template_deps={}))
    assert outcome.violations == [] and outcome.undecided is not None


def test_pass_first_preview_launch_template_and_key_through_dependencies():
    assert run_stack(node_group_encrypted_disks, node_stack()).passed


FOREIGN_KEY = "arn:aws:kms:us-east-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_fail_known_foreign_key_beside_a_tenant_key_through_dependencies():
    second = {"deviceName": "/dev/xvdb", "ebs": {"encrypted": "true", "kmsKeyId": FOREIGN_KEY}}
    template = dict(TEMPLATE, blockDeviceMappings=[*TEMPLATE["blockDeviceMappings"], second])
    assert run_stack(node_group_encrypted_disks, node_stack(template=template)).violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup 'a100') has blockDeviceMappings[1].ebs.kmsKeyId "
        f"'{FOREIGN_KEY}', a key in account 999988887777, not the tenant's account 111122223333; "
        "required: a tenant key"
    ]
