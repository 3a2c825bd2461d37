"""Cases for `gpu-05-node-group-imdsv2`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.gpu_05._fixtures import TEMPLATE, node_stack
from mlops_policies.controls.gpu_05.node_group_encrypted_disks import node_group_encrypted_disks
from mlops_policies.controls.gpu_05.node_group_imdsv2 import node_group_imdsv2
from tests.policies.gpu_isolation_fixtures import CPU_GROUP, MIG_GROUP
from tests.policies.harness import DELETE, changed, run_stack


def test_pass_first_preview_launch_template_and_key_through_dependencies():
    assert run_stack(node_group_imdsv2, node_stack()).passed
    assert run_stack(node_group_encrypted_disks, node_stack()).passed


def test_fail_imds_v1_allowed():
    outcome = run_stack(
        node_group_imdsv2,
        node_stack(template=changed(TEMPLATE, "metadataOptions.httpTokens", "optional")),
    )
    assert outcome.violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup 'a100') has metadataOptions.httpTokens 'optional'; required: 'required'"
    ]


@pytest.mark.parametrize(("hops", "found"), [(DELETE, "missing"), (2, "2")])
def test_fail_hop_limit_missing_or_two(hops: object, found: str):
    template = changed(TEMPLATE, "metadataOptions.httpPutResponseHopLimit", hops)
    violations = run_stack(node_group_imdsv2, node_stack(template=template)).violations
    assert violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup "
        f"'a100') has metadataOptions.httpPutResponseHopLimit {found}; required: 1"
    ]


def test_fail_gpu_group_without_launch_template():
    outcome = run_stack(
        node_group_imdsv2, node_stack(group=changed(MIG_GROUP, "launchTemplate", DELETE), group_deps={})
    )
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'a100' has launchTemplate missing; required: a "
        "aws:ec2/launchTemplate:LaunchTemplate of this stack"
    ]


def test_pass_launch_template_found_by_known_name():
    group = changed(MIG_GROUP, "launchTemplate", {"name": "acme-gpu-nodes", "version": "1"})
    assert run_stack(node_group_imdsv2, node_stack(group=group, group_deps={})).passed


def test_fail_launch_template_of_another_stack():
    group = changed(MIG_GROUP, "launchTemplate", {"name": "shared-gpu-nodes", "version": "1"})
    violations = run_stack(node_group_imdsv2, node_stack(group=group, group_deps={})).violations
    assert violations == [
        "aws:eks/nodeGroup:NodeGroup 'a100' has launchTemplate 'shared-gpu-nodes', not a launch template of "
        "this stack; required: a aws:ec2/launchTemplate:LaunchTemplate of this stack"
    ]


def test_undecided_launch_template_id_unknown_without_dependency():
    outcome = run_stack(node_group_imdsv2, node_stack(group_deps={}))
    assert outcome.violations == [] and outcome.undecided is not None
    assert "launchTemplate id/name is unknown" in outcome.undecided


def test_pass_cpu_groups_need_no_gpu_launch_template():
    assert run_stack(
        node_group_imdsv2, node_stack(group=changed(CPU_GROUP, "launchTemplate", DELETE), group_deps={})
    ).passed


def test_fail_gpu_instance_type_in_the_launch_template_makes_a_gpu_group():
    group = changed(changed(CPU_GROUP, "instanceTypes", DELETE), "amiType", "CUSTOM")
    template = changed(
        changed(TEMPLATE, "instanceType", "g6e.xlarge"), "metadataOptions.httpTokens", "optional"
    )
    outcome = run_stack(node_group_imdsv2, node_stack(group=group, template=template))
    assert outcome.violations
    assert outcome.violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup 'a100') has metadataOptions.httpTokens 'optional'; required: "
        "'required'",
    ]
