"""A private, TLS-only, KMS-encrypted, versioned S3 bucket: the building block every tenant bucket uses."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components import iam
from components.context import TenantContext
from components.tags import SHARED_ENVIRONMENT
from landingzone.config import ObjectLockMode


@dataclass(frozen=True)
class ObjectLock:
    """Default retention for every new object version; COMPLIANCE cannot be shortened by anyone."""

    mode: ObjectLockMode
    """GOVERNANCE or COMPLIANCE; no default."""
    days: int
    """Days each new object version is retained; no default."""


@dataclass
class SecureBucketArgs:
    tenant: TenantContext
    """The tenant whose bucket tags (TEN-01, data classification) the bucket carries; no default."""
    bucket_name: str
    """Explicit bucket name (`<tenant>-<purpose>-<account>`), so ARNs are known before the bucket exists;
    no default."""
    purpose: str
    """Tag `purpose`: model-registry, audit-log, dataset, checkpoint, feature-store, experiment-tracking;
    no default."""
    kms_key_arn: pulumi.Input[str]
    """The tenant key for SSE-KMS; no default (S3-managed keys are not allowed, DATA-04)."""
    environment: str = SHARED_ENVIRONMENT
    """Tag `environment`; default `shared`."""
    object_lock: ObjectLock | None = None
    """Object lock default retention; default None (no object lock). Can only be chosen at creation."""
    expire_after_days: int | None = None
    """Expire current and noncurrent versions after this many days; default None (keep)."""
    extra_statements: list[iam.Statement] = field(default_factory=list)
    """Bucket policy statements added after the TLS-only deny; default none."""


class SecureBucket(pulumi.ComponentResource):
    """Bucket + versioning + SSE-KMS + public access block + BucketOwnerEnforced + TLS-only policy."""

    bucket: aws.s3.Bucket
    arn: str

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops:landingzone:SecureBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.arn = iam.bucket_arn(args.bucket_name)
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=args.bucket_name,
            object_lock_enabled=args.object_lock is not None,
            force_destroy=False,
            tags=args.tenant.tagging.bucket_tags(args.purpose, args.environment),
            opts=child,
        )
        bucket_id = self.bucket.id
        versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket_id,
            versioning_configuration={"status": "Enabled"},
            opts=child,
        )
        if args.object_lock is not None:
            aws.s3.BucketObjectLockConfiguration(
                f"{name}-object-lock",
                bucket=bucket_id,
                object_lock_enabled="Enabled",
                rule={
                    "default_retention": {"mode": args.object_lock.mode.value, "days": args.object_lock.days}
                },
                opts=pulumi.ResourceOptions(parent=self, depends_on=[versioning]),
            )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket_id,
            rules=[
                {
                    "apply_server_side_encryption_by_default": {
                        "sse_algorithm": "aws:kms",
                        "kms_master_key_id": args.kms_key_arn,
                    },
                    "bucket_key_enabled": True,
                }
            ],
            opts=child,
        )
        public_access = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            bucket=bucket_id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket_id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=child,
        )
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket_id,
            policy=iam.document(iam.tls_only(self.arn), *args.extra_statements),
            # The public access block must exist first, or S3 may judge the policy before it applies.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_access]),
        )
        if args.expire_after_days is not None:
            aws.s3.BucketLifecycleConfiguration(
                f"{name}-lifecycle",
                bucket=bucket_id,
                rules=[
                    {
                        "id": "expire-intermediate-artifacts",
                        "status": "Enabled",
                        "filter": {},
                        "expiration": {"days": args.expire_after_days},
                        "noncurrent_version_expiration": {"noncurrent_days": args.expire_after_days},
                        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
                    }
                ],
                opts=pulumi.ResourceOptions(parent=self, depends_on=[versioning]),
            )
        self.register_outputs({"bucket_name": self.bucket.bucket, "arn": self.arn})
