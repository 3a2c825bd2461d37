"""Cases for `gpu-01-node-group-tenant-taint`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_01.node_group_tenant_label import node_group_tenant_label
from mlops_policies.controls.gpu_01.node_group_tenant_taint import node_group_tenant_taint
from tests.policies.gpu_isolation_fixtures import CPU_GROUP, MIG_GROUP, NODE_GROUP
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource


def test_pass_gpu_node_group_with_tenant_taint_and_label():
    assert run_resource(node_group_tenant_taint, NODE_GROUP, MIG_GROUP).passed
    assert run_resource(node_group_tenant_label, NODE_GROUP, MIG_GROUP).passed


def test_fail_missing_taint_names_the_required_taint():
    outcome = run_resource(node_group_tenant_taint, NODE_GROUP, changed(MIG_GROUP, "taints", DELETE))
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has taints missing; required: {key: 'tenant', value: 'acme', "
        "effect: 'NO_SCHEDULE'}"
    ]


def test_fail_taint_of_another_tenant_or_a_weaker_effect():
    other = changed(MIG_GROUP, "taints.0.value", "globex")
    assert (
        "has taints tenant=globex:NO_SCHEDULE;"
        in run_resource(node_group_tenant_taint, NODE_GROUP, other).violations[0]
    )
    weaker = changed(MIG_GROUP, "taints.0.effect", "PREFER_NO_SCHEDULE")
    outcome = run_resource(node_group_tenant_taint, NODE_GROUP, weaker)
    assert outcome.violations
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has taints tenant=acme:PREFER_NO_SCHEDULE; "
        "required: {key: 'tenant', value: 'acme', effect: 'NO_SCHEDULE'}",
    ]


def test_pass_cpu_node_groups_are_not_judged():
    assert run_resource(node_group_tenant_taint, NODE_GROUP, changed(CPU_GROUP, "taints", DELETE)).passed


def test_fail_nvidia_ami_makes_a_group_without_instance_types_a_gpu_group():
    props = changed(changed(MIG_GROUP, "instanceTypes", DELETE), "taints", [])
    outcome = run_resource(node_group_tenant_taint, NODE_GROUP, props)
    assert outcome.violations
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has taints missing; required: {key: 'tenant', "
        "value: 'acme', effect: 'NO_SCHEDULE'}",
    ]


def test_undecided_unknown_instance_types_on_a_standard_ami():
    props = changed(CPU_GROUP, "instanceTypes", UNKNOWN)
    outcome = run_resource(node_group_tenant_taint, NODE_GROUP, props)
    assert outcome.undecided is not None and outcome.violations == []
