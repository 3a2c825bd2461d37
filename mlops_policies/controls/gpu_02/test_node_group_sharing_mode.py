"""Cases for `gpu-02-node-group-sharing-mode`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_02.node_group_mig_layout import node_group_mig_layout
from mlops_policies.controls.gpu_02.node_group_no_time_slicing import node_group_no_time_slicing
from mlops_policies.controls.gpu_02.node_group_sharing_mode import node_group_sharing_mode
from tests.policies.gpu_isolation_fixtures import MIG_GROUP, NODE_GROUP
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource


def test_pass_mig_group_with_a_catalog_layout():
    assert run_resource(node_group_sharing_mode, NODE_GROUP, MIG_GROUP).passed
    assert run_resource(node_group_mig_layout, NODE_GROUP, MIG_GROUP).passed
    assert run_resource(node_group_no_time_slicing, NODE_GROUP, MIG_GROUP).passed


def test_fail_missing_sharing_mode():
    outcome = run_resource(
        node_group_sharing_mode, NODE_GROUP, changed(MIG_GROUP, "labels.gpu-sharing", DELETE)
    )
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has labels.gpu-sharing missing; required: 'dedicated' or 'mig'"
    ]


def test_undecided_unknown_sharing_mode():
    outcome = run_resource(
        node_group_sharing_mode, NODE_GROUP, changed(MIG_GROUP, "labels.gpu-sharing", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []
