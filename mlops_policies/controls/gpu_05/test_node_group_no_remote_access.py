"""Cases for `gpu-05-node-group-no-remote-access`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_05.node_group_no_remote_access import node_group_no_remote_access
from tests.policies.gpu_isolation_fixtures import MIG_GROUP, NODE_GROUP
from tests.policies.harness import changed, run_resource


def test_fail_ssh_remote_access_on_gpu_nodes():
    props = changed(MIG_GROUP, "remoteAccess", {"ec2SshKey": "ops"})
    assert run_resource(node_group_no_remote_access, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has remoteAccess set; required: no remoteAccess (no SSH to "
        "GPU nodes)"
    ]


def test_pass_gpu_node_group_without_remote_access():
    assert run_resource(node_group_no_remote_access, NODE_GROUP, MIG_GROUP).passed
