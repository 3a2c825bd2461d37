"""Cases for `data-08-eks-endpoint-private`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_08.eks_endpoint_private import eks_endpoint_private
from tests.policies.data_leakage_fixtures import COMPLIANT_CLUSTER, EKS
from tests.policies.harness import DELETE, changed, run_resource


def test_pass_eks_with_private_endpoint_only():
    assert run_resource(eks_endpoint_private, EKS, COMPLIANT_CLUSTER).passed


def test_fail_eks_endpoint_public_by_default():
    props = changed(COMPLIANT_CLUSTER, "vpcConfig.endpointPublicAccess", DELETE)
    assert run_resource(eks_endpoint_private, EKS, props).violations == [
        "aws:eks/cluster:Cluster 'subject' has vpcConfig.endpointPublicAccess missing; required: false"
    ]
