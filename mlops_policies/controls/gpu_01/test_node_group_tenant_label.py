"""Cases for `gpu-01-node-group-tenant-label`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_01.node_group_tenant_label import node_group_tenant_label
from tests.policies.gpu_isolation_fixtures import MIG_GROUP, NODE_GROUP
from tests.policies.harness import DELETE, changed, run_resource


def test_fail_missing_tenant_label():
    outcome = run_resource(node_group_tenant_label, NODE_GROUP, changed(MIG_GROUP, "labels.tenant", DELETE))
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has labels.tenant missing; required: 'acme'"
    ]


def test_fail_stack_without_tenant_id_cannot_pin_gpu_nodes():
    outcome = run_resource(node_group_tenant_label, NODE_GROUP, MIG_GROUP, tenant={"tier": "standard"})
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject': stack config landingzone:tenant.id is missing; required to "
        "judge the GPU node group's tenant label"
    ]


def test_pass_gpu_node_group_labelled_with_the_tenant():
    assert run_resource(node_group_tenant_label, NODE_GROUP, MIG_GROUP).passed
