"""Cases for `gpu-02-node-group-mig-layout`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_02._fixtures import labels
from mlops_policies.controls.gpu_02.node_group_mig_layout import node_group_mig_layout
from tests.policies.gpu_isolation_fixtures import DEDICATED_GROUP, MIG_GROUP, NODE_GROUP
from tests.policies.harness import changed, run_resource


def test_pass_dedicated_group_with_mig_disabled():
    props = changed(
        DEDICATED_GROUP, "labels", {"gpu-sharing": "dedicated", "nvidia.com/mig.config": "all-disabled"}
    )
    assert run_resource(node_group_mig_layout, NODE_GROUP, props).passed


def test_fail_layout_of_another_gpu_model_lists_the_allowed_layouts():
    outcome = run_resource(
        node_group_mig_layout, NODE_GROUP, labels(**{"nvidia.com/mig.config": "all-1g.5gb"})
    )
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has gpu-sharing 'mig' and labels.nvidia.com/mig.config "
        "'all-1g.5gb', not a layout of A100-80GB (p4de.24xlarge); allowed: all-balanced, all-1g.10gb, "
        "all-1g.20gb, all-2g.20gb, all-3g.40gb, all-4g.40gb, all-7g.80gb"
    ]


def test_fail_mig_on_a_gpu_without_mig():
    props = changed(MIG_GROUP, "instanceTypes", ["g6e.xlarge"])
    assert run_resource(node_group_mig_layout, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has gpu-sharing 'mig' and instance type 'g6e.xlarge' with "
        "L40S-48GB GPUs, which have no MIG; use 'dedicated'"
    ]


def test_fail_mig_on_an_instance_type_the_catalog_does_not_know():
    props = changed(MIG_GROUP, "instanceTypes", ["p4de.24xlarge", "p6-b200.48xlarge"])
    outcome = run_resource(node_group_mig_layout, NODE_GROUP, props)
    assert len(outcome.violations) == 1
    assert (
        "'p6-b200.48xlarge', not in the GPU catalog, so 'all-3g.40gb' cannot be proven valid"
        in outcome.violations[0]
    )
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has gpu-sharing 'mig' and instance type "
        "'p6-b200.48xlarge', not in the GPU catalog, so 'all-3g.40gb' cannot be proven valid",
    ]


def test_fail_layout_valid_for_one_instance_type_of_the_group_only():
    props = changed(MIG_GROUP, "instanceTypes", ["p4de.24xlarge", "p4d.24xlarge"])
    outcome = run_resource(node_group_mig_layout, NODE_GROUP, props)
    assert (
        len(outcome.violations) == 1 and "not a layout of A100-40GB (p4d.24xlarge)" in outcome.violations[0]
    )
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has gpu-sharing 'mig' and "
        "labels.nvidia.com/mig.config 'all-3g.40gb', not a layout of A100-40GB (p4d.24xlarge); "
        "allowed: all-balanced, all-1g.5gb, all-1g.10gb, all-2g.10gb, all-3g.20gb, all-4g.20gb, "
        "all-7g.40gb",
    ]


def test_fail_mig_with_all_disabled_or_no_layout():
    disabled = run_resource(
        node_group_mig_layout, NODE_GROUP, labels(**{"nvidia.com/mig.config": "all-disabled"})
    )
    assert disabled.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has gpu-sharing 'mig' and labels.nvidia.com/mig.config "
        "'all-disabled'; required: a MIG layout such as 'all-balanced'"
    ]
    missing = changed(MIG_GROUP, "labels", {"tenant": "acme", "gpu-sharing": "mig"})
    assert run_resource(node_group_mig_layout, NODE_GROUP, missing).violations


def test_fail_dedicated_group_with_a_mig_layout():
    props = changed(MIG_GROUP, "labels.gpu-sharing", "dedicated")
    assert run_resource(node_group_mig_layout, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has labels.gpu-sharing 'dedicated' with "
        "labels.nvidia.com/mig.config 'all-3g.40gb'; required: no MIG layout or 'all-disabled'"
    ]
