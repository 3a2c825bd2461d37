"""ImmutableRegistry: object-locked model registry (PROV-01/02), immutable scanned KMS-encrypted ECR
(PROV-03/04), a signing profile (PROV-05) and private, TLS-only, expiring artifact buckets (DATA-03/04/05)."""

from __future__ import annotations

import pytest

from components import ImmutableRegistry
from landingzone.config import ObjectLockMode
from tests.components.recording import (
    ACCOUNT_ID,
    Recording,
    depends_on,
    mock_id,
    mock_key_arn,
    property_errors,
    refused,
    statements,
)
from tests.components.scenarios import registry_args

REGISTRY_KEY_ARN = mock_key_arn("fixture-registry-key")
DATA_KEY_ARN = mock_key_arn("fixture-data-key")
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"


@pytest.fixture(scope="module")
def registry(recorded) -> Recording:
    """Defaults: GOVERNANCE for 30 days, repositories models + serving, dataset + checkpoint expire at 180."""
    return recorded("registry")


@pytest.fixture(scope="module")
def strict(recorded) -> Recording:
    """COMPLIANCE for 365 days, one repository, four artifact buckets expiring at 90 days."""
    return recorded("registry-compliance")


def _secure_bucket(recording: Recording, purpose_component: str):
    (owner,) = [
        r
        for r in recording.of_type("mlops:landingzone:SecureBucket")
        if r.name == f"acme-registry-{purpose_component}"
    ]
    return owner


def _bucket_part(recording: Recording, purpose_component: str, type_token: str):
    """The one resource of a type inside the SecureBucket `acme-registry-<purpose_component>`."""
    owner = _secure_bucket(recording, purpose_component)
    found = [r for r in recording.children_of(owner.urn) if r.type == type_token]
    assert len(found) == 1, (purpose_component, type_token, [r.name for r in found])
    return found[0]


def test_the_model_registry_bucket_is_named_for_tenant_and_account_and_object_locked(registry):
    bucket = _bucket_part(registry, "models", "aws:s3/bucket:Bucket")
    assert bucket.inputs["bucket"] == f"acme-model-registry-{ACCOUNT_ID}"
    assert bucket.inputs["objectLockEnabled"] is True
    assert bucket.inputs["tags"]["purpose"] == "model-registry"


def test_the_model_registry_defaults_to_governance_retention_for_thirty_days(registry):
    lock = _bucket_part(registry, "models", LOCK)
    assert lock.inputs["objectLockEnabled"] == "Enabled"
    assert lock.inputs["rule"] == {"defaultRetention": {"mode": "GOVERNANCE", "days": 30}}
    assert registry.of_type(LOCK) == [lock]


def test_the_model_registry_uses_compliance_retention_when_asked(strict):
    lock = _bucket_part(strict, "models", LOCK)
    assert lock.inputs["rule"] == {"defaultRetention": {"mode": "COMPLIANCE", "days": 365}}


def test_the_model_registry_is_encrypted_with_the_registry_key_and_never_expires(registry):
    encryption = _bucket_part(
        registry,
        "models",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )
    rule = encryption.inputs["rules"][0]["applyServerSideEncryptionByDefault"]
    assert rule == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": REGISTRY_KEY_ARN}
    assert depends_on(encryption, registry.named("fixture-registry-key"), "rules")
    owner = _secure_bucket(registry, "models")
    assert [r for r in registry.children_of(owner.urn) if r.type == LIFECYCLE] == []


def test_ecr_repositories_are_immutable_scanned_on_push_and_kms_encrypted(registry):
    repositories = registry.of_type("aws:ecr/repository:Repository")
    assert sorted(r.inputs["name"] for r in repositories) == ["acme/models", "acme/serving"]
    for repository in repositories:
        assert repository.inputs["imageTagMutability"] == "IMMUTABLE"
        assert repository.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
        assert repository.inputs["encryptionConfigurations"] == [
            {"encryptionType": "KMS", "kmsKey": REGISTRY_KEY_ARN}
        ]
        assert repository.inputs["forceDelete"] is False
        assert depends_on(repository, registry.named("fixture-registry-key"), "encryptionConfigurations")


def test_only_the_configured_repositories_are_created(strict):
    assert [r.inputs["name"] for r in strict.of_type("aws:ecr/repository:Repository")] == ["acme/models"]


def test_the_tenant_has_a_notation_signing_profile(registry):
    profile = registry.one("aws:signer/signingProfile:SigningProfile")
    assert profile.inputs["platformId"] == "Notation-OCI-SHA384-ECDSA"
    assert profile.inputs["name"] == "acme_signing"
    assert profile.inputs["signatureValidityPeriod"] == {"value": 12, "type": "MONTHS"}
    assert profile.inputs["tags"]["tenant"] == "acme"


def test_artifact_buckets_are_created_per_configured_purpose_without_object_lock(registry, strict):
    for recording, purposes in (
        (registry, ["checkpoint", "dataset"]),
        (strict, ["checkpoint", "dataset", "experiment-tracking", "feature-store"]),
    ):
        buckets = {b.inputs["tags"]["purpose"]: b for b in recording.of_type("aws:s3/bucket:Bucket")}
        assert sorted(buckets) == sorted(["model-registry", *purposes])
        for purpose in purposes:
            assert buckets[purpose].inputs["bucket"] == f"acme-{purpose}-{ACCOUNT_ID}"
            assert buckets[purpose].inputs["objectLockEnabled"] is False


def test_artifact_buckets_expire_current_and_noncurrent_versions_after_the_configured_days(registry, strict):
    for recording, purposes, days in (
        (registry, ["dataset", "checkpoint"], 180),
        (strict, ["dataset", "checkpoint", "feature-store", "experiment-tracking"], 90),
    ):
        assert len(recording.of_type(LIFECYCLE)) == len(purposes)
        for purpose in purposes:
            lifecycle = _bucket_part(recording, purpose, LIFECYCLE)
            (rule,) = lifecycle.inputs["rules"]
            assert rule["status"] == "Enabled"
            assert rule["filter"] == {}
            assert rule["expiration"] == {"days": days}
            assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": days}
            assert lifecycle.inputs["bucket"] == mock_id(f"acme-registry-{purpose}-bucket")


def test_artifact_buckets_are_encrypted_with_the_data_key(registry):
    for purpose in ["dataset", "checkpoint"]:
        encryption = _bucket_part(
            registry,
            purpose,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        )
        rule = encryption.inputs["rules"][0]["applyServerSideEncryptionByDefault"]
        assert rule == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": DATA_KEY_ARN}


@pytest.mark.parametrize("component", ["models", "dataset", "checkpoint"])
def test_every_registry_bucket_is_private_owner_enforced_versioned_and_tls_only(registry, component):
    block = _bucket_part(registry, component, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert all(
        block.inputs[flag] is True
        for flag in ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]
    )
    ownership = _bucket_part(registry, component, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    versioning = _bucket_part(registry, component, "aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    bucket = _bucket_part(registry, component, "aws:s3/bucket:Bucket")
    arn = f"arn:aws:s3:::{bucket.inputs['bucket']}"
    policy = _bucket_part(registry, component, "aws:s3/bucketPolicy:BucketPolicy")
    assert statements(policy) == [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [arn, f"{arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
    assert depends_on(policy, block)
    assert "acl" not in bucket.inputs


def test_every_registry_bucket_carries_purpose_and_data_classification_tags(strict):
    for bucket in strict.of_type("aws:s3/bucket:Bucket"):
        tags = bucket.inputs["tags"]
        assert tags["data-classification"] == "confidential"
        assert bucket.inputs["bucket"] == f"acme-{tags['purpose']}-{ACCOUNT_ID}"


# ---------------------------------------------------------------- args validation (at construction)


def _refused(**overrides) -> list[tuple[str, str]]:
    return property_errors(refused(lambda: ImmutableRegistry("acme-registry", registry_args(**overrides))))


def test_registry_retention_below_thirty_days_is_refused_naming_prov_01():
    assert _refused(registry_retention_days=29) == [("registry_retention_days", "29 is below 30 (PROV-01)")]


@pytest.mark.parametrize("days", [0, 366])
def test_artifact_expiry_outside_one_to_365_days_is_refused_naming_data_05(days):
    assert _refused(artifact_expiry_days=days) == [
        ("artifact_expiry_days", f"{days}: allowed 1-365 (DATA-05)")
    ]


def test_every_registry_args_problem_is_named_at_once_with_its_property_path():
    assert _refused(
        registry_retention_days=1, artifact_expiry_days=400, lock_mode=ObjectLockMode.COMPLIANCE
    ) == [
        ("registry_retention_days", "1 is below 30 (PROV-01)"),
        ("artifact_expiry_days", "400: allowed 1-365 (DATA-05)"),
    ]
