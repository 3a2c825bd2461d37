"""Cases for `aud-05-eks-control-plane-logs`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_05.eks_control_plane_logs import eks_control_plane_logs
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource

CLUSTER = "aws:eks/cluster:Cluster"


COMPLIANT_CLUSTER = {
    "name": "acme",
    "roleArn": UNKNOWN,
    "enabledClusterLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
}


def test_pass_cluster_with_required_log_types():
    assert run_resource(eks_control_plane_logs, CLUSTER, COMPLIANT_CLUSTER).passed


def test_fail_cluster_without_audit_logs_or_any_logs():
    props = changed(COMPLIANT_CLUSTER, "enabledClusterLogTypes", ["api"])
    assert run_resource(eks_control_plane_logs, CLUSTER, props).violations == [
        "aws:eks/cluster:Cluster 'subject' has enabledClusterLogTypes ['api'] without audit, authenticator; "
        "required: at least api, audit, authenticator"
    ]
    props = changed(COMPLIANT_CLUSTER, "enabledClusterLogTypes", DELETE)
    assert (
        "enabledClusterLogTypes [] without api, audit"
        in run_resource(eks_control_plane_logs, CLUSTER, props).violations[0]
    )
