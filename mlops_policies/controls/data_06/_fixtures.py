"""Fixtures shared by the tests of several DATA-06 rules."""

from __future__ import annotations

import json

from tests.policies.data_leakage_fixtures import BUCKET_NAME, TAGS, VPC
from tests.policies.harness import UNKNOWN, Res

ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
SERVICES = ["ecr.api", "ecr.dkr", "sts", "kms", "logs"]


S3_ENDPOINT_POLICY = {
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            "Resource": [f"arn:aws:s3:::{BUCKET_NAME}", f"arn:aws:s3:::{BUCKET_NAME}/*"],
        },
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*",
        },
    ]
}


def endpoint_stack() -> list[Res]:
    stack = [
        Res(VPC, "vpc", {"cidrBlock": "10.1.0.0/16", "tags": TAGS}),
        Res(
            ENDPOINT,
            "s3",
            {
                "vpcId": UNKNOWN,
                "serviceName": "com.amazonaws.us-east-1.s3",
                "vpcEndpointType": "Gateway",
                "policy": json.dumps(S3_ENDPOINT_POLICY),
            },
            prop_deps={"vpcId": ["vpc"]},
        ),
    ]
    for service in SERVICES:
        props = {
            "vpcId": UNKNOWN,
            "serviceName": f"com.amazonaws.us-east-1.{service}",
            "vpcEndpointType": "Interface",
            "privateDnsEnabled": True,
            "subnetIds": [UNKNOWN],
        }
        stack.append(Res(ENDPOINT, service, props, prop_deps={"vpcId": ["vpc"]}))
    return stack
