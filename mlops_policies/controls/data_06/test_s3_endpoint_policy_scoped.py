"""Cases for `data-06-s3-endpoint-policy-scoped`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import json

from mlops_policies.controls.data_06._fixtures import ENDPOINT, S3_ENDPOINT_POLICY
from mlops_policies.controls.data_06.s3_endpoint_policy_scoped import s3_endpoint_policy_scoped
from tests.policies.harness import DELETE, UNKNOWN, Res, changed, run_stack

S3_ENDPOINT = {
    "vpcId": UNKNOWN,
    "serviceName": "com.amazonaws.us-east-1.s3",
    "policy": json.dumps(S3_ENDPOINT_POLICY),
}


def test_pass_s3_endpoint_policy_limited_to_named_buckets():
    assert run_stack(s3_endpoint_policy_scoped, [Res(ENDPOINT, "subject", S3_ENDPOINT)]).passed


def test_fail_s3_endpoint_policy_allowing_everything():
    wide = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}
    assert run_stack(
        s3_endpoint_policy_scoped, [Res(ENDPOINT, "subject", changed(S3_ENDPOINT, "policy", wide))]
    ).violations == [
        "aws:ec2/vpcEndpoint:VpcEndpoint 'subject' has policy Statement[0] allowing Action ['s3:*'] on "
        "Resource ['*'] beyond the tenant's buckets; required: S3 actions only on the tenant's buckets named "
        "exactly and the ECR layer bucket"
    ]


def test_fail_s3_endpoint_without_policy():
    outcome = run_stack(
        s3_endpoint_policy_scoped, [Res(ENDPOINT, "subject", changed(S3_ENDPOINT, "policy", DELETE))]
    )
    assert outcome.violations == [
        "aws:ec2/vpcEndpoint:VpcEndpoint 'subject' has policy missing and no "
        "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy; required: a policy limited to the tenant's buckets"
    ]


def test_pass_interface_endpoints_need_no_s3_policy():
    props = {"vpcId": UNKNOWN, "serviceName": "com.amazonaws.us-east-1.sts", "vpcEndpointType": "Interface"}
    assert run_stack(s3_endpoint_policy_scoped, [Res(ENDPOINT, "subject", props)]).passed


def test_pass_s3_endpoint_whose_policy_is_an_attached_vpc_endpoint_policy():
    endpoint = Res(ENDPOINT, "s3", changed(S3_ENDPOINT, "policy", DELETE))
    attached = Res(
        "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
        "s3-policy",
        {"vpcEndpointId": UNKNOWN, "policy": json.dumps(S3_ENDPOINT_POLICY)},
        prop_deps={"vpcEndpointId": ["s3"]},
    )
    assert run_stack(s3_endpoint_policy_scoped, [endpoint, attached]).passed
