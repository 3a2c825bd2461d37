"""Cases for `data-09-domain-vpc-only`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_09.domain_vpc_only import domain_vpc_only
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource

SAGEMAKER_DOMAIN = {
    "domainName": "acme",
    "authMode": "IAM",
    "appNetworkAccessType": "VpcOnly",
    "vpcId": UNKNOWN,
}


def test_pass_sagemaker_domain_vpc_only():
    assert run_resource(domain_vpc_only, "aws:sagemaker/domain:Domain", SAGEMAKER_DOMAIN).passed


def test_fail_sagemaker_domain_with_default_public_internet():
    props = changed(SAGEMAKER_DOMAIN, "appNetworkAccessType", DELETE)
    assert run_resource(domain_vpc_only, "aws:sagemaker/domain:Domain", props).violations == [
        "aws:sagemaker/domain:Domain 'subject' has appNetworkAccessType missing; required: 'VpcOnly'"
    ]
