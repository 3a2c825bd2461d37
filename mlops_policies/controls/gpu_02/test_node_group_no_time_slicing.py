"""Cases for `gpu-02-node-group-no-time-slicing`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_02._fixtures import labels
from mlops_policies.controls.gpu_02.node_group_no_time_slicing import node_group_no_time_slicing
from mlops_policies.controls.gpu_02.node_group_sharing_mode import node_group_sharing_mode
from tests.policies.gpu_isolation_fixtures import NODE_GROUP
from tests.policies.harness import run_resource


def test_fail_time_slicing_device_plugin_config():
    props = labels(**{"nvidia.com/device-plugin.config": "a100-time-sliced-4"})
    assert run_resource(node_group_no_time_slicing, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has label 'nvidia.com/device-plugin.config' configuring "
        "time-slicing; required: whole GPUs or MIG partitions"
    ]


def test_fail_mps_sharing_strategy_and_time_slicing_sharing_mode():
    mps = labels(**{"nvidia.com/gpu.sharing-strategy": "mps"})
    assert "configuring MPS" in run_resource(node_group_no_time_slicing, NODE_GROUP, mps).violations[0]
    sliced = labels(**{"gpu-sharing": "time-slicing"})
    assert run_resource(node_group_no_time_slicing, NODE_GROUP, sliced).violations
    outcome = run_resource(node_group_sharing_mode, NODE_GROUP, sliced)
    assert outcome.violations
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has labels.gpu-sharing 'time-slicing'; required: "
        "'dedicated' or 'mig'",
    ]


def test_pass_words_containing_mps_are_not_mps():
    assert run_resource(node_group_no_time_slicing, NODE_GROUP, labels(team="lamps")).passed
