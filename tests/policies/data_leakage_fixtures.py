"""Shared by the data leakage tests of several controls."""

from __future__ import annotations

import json
from typing import Any

from tests.policies.harness import UNKNOWN, Res, changed

TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}
INITECH: dict[str, Any] = {
    "id": "initech",
    "tier": "standard",
    "network": {"cidr": "10.3.0.0/16", "egress": "nat-allowlist"},
}
KEY = "aws:kms/key:Key"
VPC = "aws:ec2/vpc:Vpc"
IGW = "aws:ec2/internetGateway:InternetGateway"
NAT = "aws:ec2/natGateway:NatGateway"
ROUTE = "aws:ec2/route:Route"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
MAIN_ASSOCIATION = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
EKS = "aws:eks/cluster:Cluster"
NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"


def tenant_key(name: str = "data-key", tenant: str = "acme") -> Res:
    return Res(KEY, name, {"enableKeyRotation": True, "tags": {**TAGS, "tenant": tenant}})


BUCKET_NAME = "acme-dataset-111122223333"


TLS_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET_NAME}", f"arn:aws:s3:::{BUCKET_NAME}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}


LIFECYCLE_RULES = [
    {
        "id": "expire",
        "status": "Enabled",
        "filter": {},
        "expiration": {"days": 180},
        "noncurrentVersionExpiration": {"noncurrentDays": 30},
    }
]


def bucket_stack(bucket_type: str = BUCKET, purpose: str = "dataset") -> list[Res]:
    """A SecureBucket as the component builds it, in a first preview (ids and key ARNs unknown)."""

    def sub(type_: str, name: str, props: dict[str, Any], **deps: list[str]) -> Res:
        return Res(type_, name, {"bucket": UNKNOWN, **props}, prop_deps={"bucket": ["data"], **deps})

    return [
        tenant_key(),
        Res(bucket_type, "data", {"bucket": BUCKET_NAME, "tags": {**TAGS, "purpose": purpose}}),
        sub(
            PAB,
            "data-pab",
            {
                f: True
                for f in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
            },
        ),
        sub(POLICY, "data-policy", {"policy": json.dumps(TLS_POLICY)}),
        sub(OWNERSHIP, "data-ownership", {"rule": {"objectOwnership": "BucketOwnerEnforced"}}),
        sub(
            SSE,
            "data-sse",
            {
                "rules": [
                    {
                        "applyServerSideEncryptionByDefault": {
                            "sseAlgorithm": "aws:kms",
                            "kmsMasterKeyId": UNKNOWN,
                        },
                        "bucketKeyEnabled": True,
                    }
                ]
            },
            rules=["data-key"],
        ),
        sub(LIFECYCLE, "data-lifecycle", {"rules": LIFECYCLE_RULES}),
    ]


def without(stack: list[Res], name: str) -> list[Res]:
    return [r for r in stack if r.name != name]


def with_props(stack: list[Res], name: str, path: str, value: Any) -> list[Res]:
    return [
        Res(r.type, r.name, changed(r.props, path, value), r.parent, r.deps, r.prop_deps)
        if r.name == name
        else r
        for r in stack
    ]


COMPLIANT_CLUSTER = {
    "name": "acme",
    "roleArn": UNKNOWN,
    "vpcConfig": {"subnetIds": [UNKNOWN], "endpointPublicAccess": False, "endpointPrivateAccess": True},
    "encryptionConfig": {"provider": {"keyArn": UNKNOWN}, "resources": ["secrets"]},
    "tags": TAGS,
}
