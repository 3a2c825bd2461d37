"""Cases for `gpu-05-node-group-no-remote-access`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_05._fixtures import TEMPLATE, node_stack
from mlops_policies.controls.gpu_05.launch_template_node_groups import (
    launch_template_node_groups_no_remote_access,
)
from mlops_policies.controls.gpu_05.node_group_no_remote_access import node_group_no_remote_access
from tests.policies.gpu_isolation_fixtures import CPU_GROUP, MIG_GROUP, NODE_GROUP
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource, run_stack


def test_fail_ssh_remote_access_on_gpu_nodes():
    props = changed(MIG_GROUP, "remoteAccess", {"ec2SshKey": "ops"})
    assert run_resource(node_group_no_remote_access, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has remoteAccess set; required: no remoteAccess (no SSH to "
        "GPU nodes)"
    ]


def test_pass_gpu_node_group_without_remote_access():
    assert run_resource(node_group_no_remote_access, NODE_GROUP, MIG_GROUP).passed


# A key pair on the GPU group's launch template is SSH too; only the stack rule
# gpu-05-launch-template-node-groups sees the template (its other cases: tests/policies/test_gpu_sources.py).


def test_pass_gpu_launch_template_without_key_pair():
    assert run_stack(launch_template_node_groups_no_remote_access, node_stack()).passed


def test_fail_key_pair_on_the_launch_template_of_a_gpu_group():
    stack = node_stack(template=dict(TEMPLATE, keyName="ops-ssh"))
    assert run_stack(launch_template_node_groups_no_remote_access, stack).violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup 'a100') has keyName 'ops-ssh'; required: no key pair (no SSH to GPU "
        "nodes)"
    ]


def test_fail_key_pair_on_the_launch_template_that_types_a_gpu_group():
    group = changed(changed(CPU_GROUP, "instanceTypes", DELETE), "amiType", "CUSTOM")
    template = dict(TEMPLATE, instanceType="g6e.xlarge", keyName="ops-ssh")
    assert run_stack(
        launch_template_node_groups_no_remote_access, node_stack(group=group, template=template)
    ).violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup 'a100') has keyName 'ops-ssh'; required: no key pair (no SSH to GPU "
        "nodes)"
    ]


def test_pass_key_pair_on_the_launch_template_of_a_cpu_group():
    template = dict(TEMPLATE, keyName="ops-ssh")
    assert run_stack(
        launch_template_node_groups_no_remote_access, node_stack(group=CPU_GROUP, template=template)
    ).passed


def test_undecided_key_name_unknown_in_a_first_preview():
    outcome = run_stack(
        launch_template_node_groups_no_remote_access, node_stack(template=dict(TEMPLATE, keyName=UNKNOWN))
    )
    assert outcome.violations == []
    assert outcome.undecided == (
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template': string value at .keyName can't be known "
        "during preview"
    )
