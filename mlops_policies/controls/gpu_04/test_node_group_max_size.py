"""Cases for `gpu-04-node-group-max-size`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_04.node_group_max_size import node_group_max_size
from tests.policies.gpu_isolation_fixtures import MIG_GROUP, NODE_GROUP
from tests.policies.harness import DELETE, changed, run_resource


def test_pass_gpu_node_group_within_the_node_limit():
    assert run_resource(node_group_max_size, NODE_GROUP, MIG_GROUP).passed


def test_fail_gpu_node_group_above_the_node_limit():
    props = changed(MIG_GROUP, "scalingConfig.maxSize", 17)
    assert run_resource(node_group_max_size, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has scalingConfig.maxSize 17; required: at most 16"
    ]


def test_fail_configured_limit_and_missing_max_size():
    limited = run_resource(node_group_max_size, NODE_GROUP, MIG_GROUP, config={"maxGpuNodes": 2})
    assert limited.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has scalingConfig.maxSize 4; required: at most 2"
    ]
    missing = changed(MIG_GROUP, "scalingConfig", DELETE)
    assert (
        "scalingConfig.maxSize missing"
        in run_resource(node_group_max_size, NODE_GROUP, missing).violations[0]
    )
