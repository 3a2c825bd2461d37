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
