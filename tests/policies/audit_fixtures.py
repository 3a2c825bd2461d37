"""Shared by the audit tests of several controls."""

from __future__ import annotations

import json

from tests.policies.harness import UNKNOWN, Res

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
TRAIL = "aws:cloudtrail/trail:Trail"
KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
ACCOUNT = "111122223333"
AUDIT_NAME = f"acme-audit-log-{ACCOUNT}"
TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}


def bucket_props(purpose: str) -> dict:
    return {
        "bucket": f"acme-{purpose}-{ACCOUNT}",
        "objectLockEnabled": purpose in {"audit-log", "model-registry"},
        "tags": {**TAGS, "purpose": purpose, "data-classification": "confidential"},
    }


def append_only_policy(name: str = AUDIT_NAME) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Sid": "AppendOnly", "Effect": "Deny", "Principal": {"AWS": "*"},
             "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"],
             "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]},
        ],
    })  # fmt: skip


COMPLIANT_TRAIL = {
    "name": "acme-trail",
    "s3BucketName": UNKNOWN,
    "kmsKeyId": UNKNOWN,
    "isMultiRegionTrail": True,
    "enableLogFileValidation": True,
    "includeGlobalServiceEvents": True,
    "eventSelectors": [
        {
            "readWriteType": "All",
            "includeManagementEvents": True,
            "dataResources": [{"type": "AWS::S3::Object", "values": [UNKNOWN, UNKNOWN, UNKNOWN]}],
        }
    ],
    "tags": TAGS,
}


COMPLIANT_LOCK = {
    "bucket": UNKNOWN,
    "objectLockEnabled": "Enabled",
    "rule": {"defaultRetention": {"mode": "COMPLIANCE", "days": 365}},
}


COMPLIANT_REPLICATION = {
    "bucket": UNKNOWN,
    "role": UNKNOWN,
    "rules": [
        {
            "id": "archive",
            "status": "Enabled",
            "destination": {
                "bucket": "arn:aws:s3:::platform-security-archive",
                "encryptionConfiguration": {
                    "replicaKmsKeyId": "arn:aws:kms:us-east-1:999900001111:key/archive"
                },
            },
            "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": "Enabled"}},
        }
    ],
}


def audit_stack(
    trail: dict | None = COMPLIANT_TRAIL,
    lock: dict | None = COMPLIANT_LOCK,
    versioning: dict | None = None,
    policy: str | None = None,
    replication: dict | None = COMPLIANT_REPLICATION,
    audit_bucket: dict | None = None,
    extra: tuple[Res, ...] = (),
) -> list[Res]:
    """A first preview of a compliant tenant stack: ids and ARNs unknown, decided through dependencies."""
    on_audit = {"bucket": ["audit"]}
    stack = [
        Res(KEY, "key", {"description": "acme key", "enableKeyRotation": True, "tags": TAGS}),
        Res(BUCKET, "audit", audit_bucket or bucket_props("audit-log")),
        Res(BUCKET, "registry", bucket_props("model-registry")),
        Res(BUCKET, "dataset", bucket_props("dataset")),
        Res(BUCKET_V2, "checkpoint", bucket_props("checkpoint")),
        Res(BUCKET, "artifacts", bucket_props("artifacts")),
    ]
    if lock is not None:
        stack.append(Res(LOCK, "audit-lock", lock, prop_deps=on_audit))
    versioning = versioning or {"bucket": UNKNOWN, "versioningConfiguration": {"status": "Enabled"}}
    stack.append(Res(VERSIONING, "audit-versioning", versioning, prop_deps=on_audit))
    policy_props = {"bucket": UNKNOWN, "policy": policy if policy is not None else append_only_policy()}
    stack.append(Res(BUCKET_POLICY, "audit-policy", policy_props, prop_deps=on_audit))
    if replication is not None:
        stack.append(Res(REPLICATION, "audit-replication", replication, prop_deps=on_audit))
    if trail is not None:
        trail_deps = {
            "s3BucketName": ["audit"],
            "kmsKeyId": ["key"],
            "eventSelectors": ["registry", "dataset", "checkpoint"],
        }
        stack.append(Res(TRAIL, "trail", trail, prop_deps=trail_deps))
    return [*stack, *extra]


def without(stack: list[Res], *names: str) -> list[Res]:
    """The stack without the named resources, and without dependencies on them."""
    kept = [r for r in stack if r.name not in names]
    for resource in kept:
        resource.prop_deps = {k: [d for d in v if d not in names] for k, v in resource.prop_deps.items()}
    return kept


COMPLIANT_LOG_GROUP = {
    "name": "/acme/prod/serving",
    "retentionInDays": 365,
    "kmsKeyId": UNKNOWN,
    "tags": TAGS,
}


def log_group_stack(group=COMPLIANT_LOG_GROUP, deps=("key",)):
    return [
        Res(KEY, "key", {"tags": TAGS}),
        Res(LOG_GROUP, "logs", group, prop_deps={"kmsKeyId": list(deps)}),
    ]


COMPLIANT_FLOW_LOG = {"vpcId": UNKNOWN, "trafficType": "ALL", "logDestinationType": "cloud-watch-logs"}


def vpc_stack(flow_log=COMPLIANT_FLOW_LOG, deps=("vpc",)):
    return [
        Res(VPC, "vpc", {"cidrBlock": "10.1.0.0/16", "tags": TAGS}),
        Res(FLOW_LOG, "vpc-flows", flow_log, prop_deps={"vpcId": list(deps)}),
    ]


ADVANCED = [
    {"name": "s3-data", "fieldSelectors": [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
    ]},
]  # fmt: skip
