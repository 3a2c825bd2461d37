"""SecureBucket, the building block of every tenant bucket: private (DATA-03), TLS-only, SSE-KMS (DATA-04),
versioned, with object lock only when asked and lifecycle expiry only when asked."""

from __future__ import annotations

import pytest

from components.secure_bucket import ObjectLock, SecureBucket, SecureBucketArgs
from landingzone.config import ObjectLockMode
from tests.components.recording import (
    Recording,
    depends_on,
    mock_id,
    mock_key_arn,
    record,
    statement,
    statements,
    tenant_context,
)
from tests.components.scenarios import fixture_key

BUCKET_SCENARIOS = ["audit", "audit-regulated", "registry", "registry-compliance", "zone-acme", "zone-globex"]
ALWAYS = [
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
]
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
ARTIFACT_PURPOSES = {"dataset", "checkpoint", "feature-store", "experiment-tracking", "artifacts"}


@pytest.fixture(params=BUCKET_SCENARIOS)
def buckets(request, recorded) -> Recording:
    return recorded(request.param)


def _parts(recording: Recording, secure_bucket) -> dict[str, list]:
    parts: dict[str, list] = {}
    for child in recording.children_of(secure_bucket.urn):
        parts.setdefault(child.type, []).append(child)
    return parts


def test_every_bucket_comes_with_its_full_set_of_controls(buckets):
    components = buckets.of_type("mlops:landingzone:SecureBucket")
    assert components
    assert len(buckets.of_type("aws:s3/bucket:Bucket")) == len(components)
    for component in components:
        parts = _parts(buckets, component)
        for type_token in ALWAYS:
            assert len(parts.get(type_token, [])) == 1, (component.name, type_token)
        (bucket,) = parts["aws:s3/bucket:Bucket"]
        locked = bucket.inputs["objectLockEnabled"]
        assert len(parts.get(LOCK, [])) == (1 if locked else 0), component.name
        expires = bucket.inputs["tags"]["purpose"] in ARTIFACT_PURPOSES
        assert len(parts.get(LIFECYCLE, [])) == (1 if expires else 0), component.name
        assert set(parts) <= {*ALWAYS, LOCK, LIFECYCLE}, component.name


def test_every_bucket_blocks_public_access_enforces_ownership_and_denies_plain_http(buckets):
    for component in buckets.of_type("mlops:landingzone:SecureBucket"):
        parts = _parts(buckets, component)
        (bucket,) = parts["aws:s3/bucket:Bucket"]
        (block,) = parts["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"]
        flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]
        assert [block.inputs[f] for f in flags] == [True] * 4, component.name
        (ownership,) = parts["aws:s3/bucketOwnershipControls:BucketOwnershipControls"]
        assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
        (policy,) = parts["aws:s3/bucketPolicy:BucketPolicy"]
        arn = f"arn:aws:s3:::{bucket.inputs['bucket']}"
        tls = statement(policy, "DenyInsecureTransport")
        assert tls["Effect"] == "Deny"
        assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        assert tls["Resource"] == [arn, f"{arn}/*"]
        assert not [s for s in statements(policy) if s["Effect"] == "Allow" and s.get("Principal") == "*"]
        assert "acl" not in bucket.inputs
        assert bucket.inputs["forceDestroy"] is False


def test_every_bucket_is_encrypted_with_a_kms_key_and_versioned(buckets):
    for component in buckets.of_type("mlops:landingzone:SecureBucket"):
        parts = _parts(buckets, component)
        (encryption,) = parts[
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
        ]
        (rule,) = encryption.inputs["rules"]
        assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
        assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].startswith("arn:aws:kms:")
        assert encryption.property_dependencies["rules"], "the key is a tenant key created in the stack"
        (versioning,) = parts["aws:s3/bucketVersioning:BucketVersioning"]
        assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}


def test_a_bucket_asked_for_nothing_extra_has_no_lock_no_expiry_and_only_the_tls_statement():
    def build() -> None:
        key = fixture_key("data")
        SecureBucket(
            "acme-plain",
            SecureBucketArgs(
                bucket_name="acme-artifacts-111122223333",
                purpose="artifacts",
                kms_key_arn=key.arn,
                tenant=tenant_context(),
            ),
        )

    recording = record(build)
    bucket = recording.one("aws:s3/bucket:Bucket")
    assert bucket.inputs["objectLockEnabled"] is False
    assert recording.of_type(LOCK) == []
    assert recording.of_type(LIFECYCLE) == []
    assert [s["Sid"] for s in statements(recording.one("aws:s3/bucketPolicy:BucketPolicy"))] == [
        "DenyInsecureTransport"
    ]
    assert bucket.inputs["tags"] == {
        "tenant": "acme",
        "environment": "shared",
        "managed-by": "mlops-landing-zone",
        "purpose": "artifacts",
        "data-classification": "confidential",
    }
    encryption = recording.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    assert encryption.inputs["rules"][0]["applyServerSideEncryptionByDefault"][
        "kmsMasterKeyId"
    ] == mock_key_arn("fixture-data-key")


def test_a_locked_expiring_bucket_orders_lock_and_lifecycle_after_versioning_and_policy_after_the_block():
    def build() -> None:
        key = fixture_key("data")
        SecureBucket(
            "acme-both",
            SecureBucketArgs(
                bucket_name="acme-dataset-111122223333",
                purpose="dataset",
                kms_key_arn=key.arn,
                tenant=tenant_context(),
                environment="train",
                object_lock=ObjectLock(ObjectLockMode.GOVERNANCE, 7),
                expire_after_days=30,
            ),
        )

    recording = record(build)
    versioning = recording.one("aws:s3/bucketVersioning:BucketVersioning")
    lock = recording.one(LOCK)
    lifecycle = recording.one(LIFECYCLE)
    assert lock.inputs["rule"] == {"defaultRetention": {"mode": "GOVERNANCE", "days": 7}}
    assert lifecycle.inputs["rules"][0]["expiration"] == {"days": 30}
    assert depends_on(lock, versioning)
    assert depends_on(lifecycle, versioning)
    policy = recording.one("aws:s3/bucketPolicy:BucketPolicy")
    assert depends_on(policy, recording.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"))
    assert policy.inputs["bucket"] == mock_id("acme-both-bucket")
    assert recording.one("aws:s3/bucket:Bucket").inputs["tags"]["environment"] == "train"
