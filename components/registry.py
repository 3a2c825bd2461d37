"""ImmutableRegistry: where models, images and training artifacts live, and how they stay trustworthy."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.context import TenantContext
from components.secure_bucket import ObjectLock, SecureBucket, SecureBucketArgs
from components.validation import problem, refuse_invalid
from landingzone.config import ObjectLockMode, bucket_name

SIGNING_PLATFORM = "Notation-OCI-SHA384-ECDSA"


@dataclass
class ImmutableRegistryArgs:
    tenant: TenantContext
    """The tenant, which prefixes every bucket, repository and the signing profile, and its account, part
    of every bucket name; no default."""
    registry_key_arn: pulumi.Input[str]
    """Encrypts the model-registry bucket and the ECR repositories; no default."""
    data_key_arn: pulumi.Input[str]
    """Encrypts the artifact buckets (datasets, checkpoints, ...); no default."""
    lock_mode: ObjectLockMode = ObjectLockMode.GOVERNANCE
    """Model-registry default retention mode; default GOVERNANCE (regulated tenants: COMPLIANCE)."""
    registry_retention_days: int = 30
    """Model-registry default retention; default 30 (PROV-01 minimum)."""
    repositories: list[str] = field(default_factory=lambda: ["models", "serving"])
    """ECR repositories, created as `<tenant>/<name>`; default models, serving."""
    artifact_purposes: list[str] = field(default_factory=lambda: ["dataset", "checkpoint"])
    """Intermediate-artifact buckets; default dataset, checkpoint."""
    artifact_expiry_days: int = 180
    """Artifact buckets expire current and noncurrent versions; default 180 (DATA-05: at most 365)."""


def _problems(args: ImmutableRegistryArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    if args.registry_retention_days < 30:
        problems.append(
            problem("registry_retention_days", f"{args.registry_retention_days} is below 30 (PROV-01)")
        )
    if not 1 <= args.artifact_expiry_days <= 365:
        problems.append(
            problem("artifact_expiry_days", f"{args.artifact_expiry_days}: allowed 1-365 (DATA-05)")
        )
    return problems


class ImmutableRegistry(pulumi.ComponentResource):
    """Object-locked model registry, immutable scanned ECR, signing profile, expiring artifact buckets."""

    model_registry: SecureBucket
    repositories: dict[str, aws.ecr.Repository]
    artifact_buckets: dict[str, SecureBucket]
    signing_profile: aws.signer.SigningProfile

    def __init__(
        self, name: str, args: ImmutableRegistryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        refuse_invalid("ImmutableRegistry", name, _problems(args))
        super().__init__("mlops:landingzone:ImmutableRegistry", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.model_registry = SecureBucket(
            f"{name}-models",
            SecureBucketArgs(
                bucket_name=bucket_name(args.tenant.id, "model-registry", args.tenant.account_id),
                purpose="model-registry",
                kms_key_arn=args.registry_key_arn,
                tenant=args.tenant,
                object_lock=ObjectLock(args.lock_mode, args.registry_retention_days),
            ),
            opts=child,
        )
        self.repositories = {
            repo: aws.ecr.Repository(
                f"{name}-{repo}",
                name=f"{args.tenant.id}/{repo}",
                image_tag_mutability="IMMUTABLE",
                image_scanning_configuration={"scan_on_push": True},
                encryption_configurations=[{"encryption_type": "KMS", "kms_key": args.registry_key_arn}],
                force_delete=False,
                tags=args.tenant.tagging.tags(),
                opts=child,
            )
            for repo in args.repositories
        }
        self.signing_profile = aws.signer.SigningProfile(
            f"{name}-signing",
            name=f"{args.tenant.id.replace('-', '_')}_signing",
            platform_id=SIGNING_PLATFORM,
            signature_validity_period={"value": 12, "type": "MONTHS"},
            tags=args.tenant.tagging.tags(),
            opts=child,
        )
        self.artifact_buckets = {
            purpose: SecureBucket(
                f"{name}-{purpose}",
                SecureBucketArgs(
                    bucket_name=bucket_name(args.tenant.id, purpose, args.tenant.account_id),
                    purpose=purpose,
                    kms_key_arn=args.data_key_arn,
                    tenant=args.tenant,
                    expire_after_days=args.artifact_expiry_days,
                ),
                opts=child,
            )
            for purpose in args.artifact_purposes
        }
        self.register_outputs(
            {
                "model_registry_bucket": self.model_registry.bucket.bucket,
                "repository_urls": {k: r.repository_url for k, r in self.repositories.items()},
                "signing_profile": self.signing_profile.name,
            }
        )
