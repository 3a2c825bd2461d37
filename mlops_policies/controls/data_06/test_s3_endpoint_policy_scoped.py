"""Cases for `data-06-s3-endpoint-policy-scoped`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import json

from mlops_policies.controls.data_06._fixtures import ENDPOINT, S3_ENDPOINT_POLICY
from mlops_policies.controls.data_06.s3_endpoint_policy_scoped import s3_endpoint_policy_scoped
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource

S3_ENDPOINT = {
    "vpcId": UNKNOWN,
    "serviceName": "com.amazonaws.us-east-1.s3",
    "policy": json.dumps(S3_ENDPOINT_POLICY),
}


def test_pass_s3_endpoint_policy_limited_to_named_buckets():
    assert run_resource(s3_endpoint_policy_scoped, ENDPOINT, S3_ENDPOINT).passed


def test_fail_s3_endpoint_policy_allowing_everything():
    wide = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}
    assert run_resource(
        s3_endpoint_policy_scoped, ENDPOINT, changed(S3_ENDPOINT, "policy", wide)
    ).violations == [
        "aws:ec2/vpcEndpoint:VpcEndpoint 'subject' has policy Statement[0] allowing Action ['s3:*'] on "
        "Resource ['*'] beyond the tenant's buckets; required: S3 actions only on the tenant's buckets named "
        "exactly and the ECR layer bucket"
    ]


def test_fail_s3_endpoint_without_policy():
    outcome = run_resource(s3_endpoint_policy_scoped, ENDPOINT, changed(S3_ENDPOINT, "policy", DELETE))
    assert outcome.violations == [
        "aws:ec2/vpcEndpoint:VpcEndpoint 'subject' has policy missing; required: a policy limited to the "
        "tenant's buckets"
    ]


def test_pass_interface_endpoints_need_no_s3_policy():
    props = {"vpcId": UNKNOWN, "serviceName": "com.amazonaws.us-east-1.sts", "vpcEndpointType": "Interface"}
    assert run_resource(s3_endpoint_policy_scoped, ENDPOINT, props).passed
