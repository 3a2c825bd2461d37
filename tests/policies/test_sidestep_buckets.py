"""Issue 14, S3: every type that sets a bucket property (classes 1, 3) and every rule shape that narrows
it (class 3). One compliant baseline per rule (the fixtures of test_data_leakage / test_audit /
test_provenance), one change per case."""

from __future__ import annotations

import json

import pytest

from tests.policies.audit_fixtures import audit_stack
from tests.policies.data_leakage_fixtures import BUCKET_NAME, bucket_stack
from tests.policies.harness import GLOBEX, UNKNOWN, run_resource, run_stack
from tests.policies.sidestep import copied, retyped, rule, with_props

VERSIONING_V2 = "aws:s3/bucketVersioningV2:BucketVersioningV2"
LIFECYCLE_V2 = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
LOCK_V2 = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
ACL_V2 = "aws:s3/bucketAclV2:BucketAclV2"
LIFECYCLE = rule("data-05-artifact-bucket-lifecycle")
TLS = rule("data-03-bucket-tls-only-policy")
REPLICATION = rule("aud-07-audit-log-replication")


# ---------------------------------------------------------------- class 1: V2 types (false positives fixed)


def test_pass_lifecycle_declared_as_the_v2_type():
    stack = retyped(bucket_stack(), "data-lifecycle", LIFECYCLE_V2)
    assert run_stack(LIFECYCLE, stack).passed


def test_fail_v2_lifecycle_that_keeps_artifacts_too_long():
    stack = with_props(
        retyped(bucket_stack(), "data-lifecycle", LIFECYCLE_V2),
        "data-lifecycle",
        "rules.0.expiration.days",
        400,
    )
    assert run_stack(LIFECYCLE, stack).violations == [
        f"{LIFECYCLE_V2} 'data-lifecycle' of aws:s3/bucket:Bucket 'data' has no enabled whole-bucket rule "
        "with "
        "expiration.days <= 365 (found: rules[0].expiration.days 400)"
    ]


@pytest.mark.parametrize("policy", ["aud-02-audit-versioning"])
def test_pass_audit_versioning_declared_as_the_v2_type(policy):
    stack = retyped(audit_stack(), "audit-versioning", VERSIONING_V2)
    assert run_stack(rule(policy), stack, tenant=GLOBEX).passed


def test_fail_v2_audit_versioning_suspended():
    stack = retyped(
        audit_stack(versioning={"bucket": UNKNOWN, "versioningConfiguration": {"status": "Suspended"}}),
        "audit-versioning",
        VERSIONING_V2,
    )
    assert run_stack(rule("aud-02-audit-versioning"), stack, tenant=GLOBEX).violations == [
        f"{VERSIONING_V2} 'audit-versioning' has versioningConfiguration.status 'Suspended'; "
        "required: 'Enabled'"
    ]


def test_pass_audit_retention_declared_as_the_v2_lock_type():
    stack = retyped(audit_stack(), "audit-lock", LOCK_V2)
    assert run_stack(rule("aud-02-audit-compliance-retention"), stack, tenant=GLOBEX).passed


def test_fail_v2_lock_in_governance_mode():
    stack = with_props(
        retyped(audit_stack(), "audit-lock", LOCK_V2),
        "audit-lock",
        "rule.defaultRetention.mode",
        "GOVERNANCE",
    )
    outcome = run_stack(rule("aud-02-audit-compliance-retention"), stack, tenant=GLOBEX)
    assert outcome.violations == [
        f"{LOCK_V2} 'audit-lock' has rule.defaultRetention.mode 'GOVERNANCE'; required: COMPLIANCE"
    ]


def test_pass_encryption_declared_as_the_v2_type():
    stack = retyped(bucket_stack(), "data-sse", SSE_V2)
    assert run_stack(rule("data-04-bucket-has-encryption-config"), stack).passed
    assert run_stack(rule("data-04-bucket-encryption-tenant-key"), stack).passed


def test_fail_v2_encryption_with_s3_managed_keys():
    stack = with_props(
        retyped(bucket_stack(), "data-sse", SSE_V2),
        "data-sse",
        "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm",
        "AES256",
    )
    assert run_stack(rule("data-04-bucket-encryption-tenant-key"), stack).violations == [
        f"{SSE_V2} 'data-sse' has rules[0].applyServerSideEncryptionByDefault.sseAlgorithm 'AES256'; "
        "required: 'aws:kms' or 'aws:kms:dsse'"
    ]


def test_fail_public_acl_through_the_v2_acl_type():
    outcome = run_resource(rule("data-03-no-public-acl"), ACL_V2, {"bucket": UNKNOWN, "acl": "public-read"})
    assert outcome.violations == [
        f"{ACL_V2} 'subject' has acl 'public-read'; required: no public-read, public-read-write or "
        "authenticated-read ACL"
    ]


# ---------------------------------------------------------------- class 3: narrowed or replaced


@pytest.mark.parametrize(
    ("path", "value", "found"),
    [
        (
            "rules.0.noncurrentVersionExpiration.newerNoncurrentVersions",
            3,
            "rules[0].noncurrentVersionExpiration.newerNoncurrentVersions 3",
        ),
        (
            "rules.0.noncurrentVersionExpiration.newerNoncurrentVersions",
            100,
            "rules[0].noncurrentVersionExpiration.newerNoncurrentVersions 100",
        ),
    ],
)
def test_fail_lifecycle_that_keeps_any_number_of_noncurrent_versions(path, value, found):
    stack = with_props(bucket_stack(), "data-lifecycle", path, value)
    assert run_stack(LIFECYCLE, stack).violations == [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration 'data-lifecycle' of "
        "aws:s3/bucket:Bucket 'data' has no enabled whole-bucket rule with "
        "noncurrentVersionExpiration.noncurrentDays <= 365 (found: "
        f"{found})"
    ]


@pytest.mark.parametrize(
    ("value", "narrowed"),
    [({"prefix": "logs/"}, "filter.prefix 'logs/'"), ({"tag": {"key": "k", "value": "v"}}, "filter.tag"),
     ({"and": {"prefix": "", "tags": {"k": "v"}}}, "filter.and")],
)  # fmt: skip
def test_fail_replication_narrowed_by_a_filter(value, narrowed):
    stack = with_props(audit_stack(), "audit-replication", "rules.0.filter", value)
    assert run_stack(REPLICATION, stack, tenant=GLOBEX).violations == [
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig 'audit-replication' has no rule with status "
        "'Enabled' and destination.bucket 'arn:aws:s3:::platform-security-archive' (found: rules[0] status "
        f"'Enabled' to 'arn:aws:s3:::platform-security-archive' narrowed by {narrowed}); required: "
        "replication to the security archive of the KMS-encrypted objects (sourceSelectionCriteria."
        "sseKmsEncryptedObjects.status 'Enabled' and a destination.encryptionConfiguration.replicaKmsKeyId)"
    ]


def test_pass_replication_with_an_empty_filter_covers_the_whole_bucket():
    stack = with_props(audit_stack(), "audit-replication", "rules.0.filter", {"prefix": ""})
    assert run_stack(REPLICATION, stack, tenant=GLOBEX).passed


def test_fail_second_bucket_policy_without_tls_deny_replaces_the_first():
    reader = {"AWS": "arn:aws:iam::111122223333:root"}
    statement = {
        "Effect": "Allow",
        "Principal": reader,
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET_NAME}/*",
    }
    open_policy = {"Version": "2012-10-17", "Statement": [statement]}
    stack = copied(bucket_stack(), "data-policy", "data-policy-2", policy=json.dumps(open_policy))
    assert run_stack(TLS, stack).violations == [
        "aws:s3/bucketPolicy:BucketPolicy 'data-policy-2' of aws:s3/bucket:Bucket 'data' has no statement "
        "denying every principal s3:* on the bucket and its objects under Condition Bool aws:SecureTransport "
        "'false' (it replaces the bucket's other 1); required: one"
    ]


def test_pass_two_bucket_policies_that_both_deny_insecure_transport():
    stack = copied(bucket_stack(), "data-policy", "data-policy-2")
    assert run_stack(TLS, stack).passed


def test_fail_unknown_second_policy_does_not_hide_the_first_policy_lacking_the_deny():
    no_deny = json.dumps({"Version": "2012-10-17", "Statement": []})
    stack = copied(
        with_props(bucket_stack(), "data-policy", "policy", no_deny),
        "data-policy",
        "data-policy-2",
        policy=UNKNOWN,
    )
    outcome = run_stack(TLS, stack)
    assert len(outcome.violations) == 1 and "'data-policy' of" in outcome.violations[0]
    assert outcome.undecided is None


def test_undecided_when_the_only_policy_lacking_nothing_is_unknown():
    stack = with_props(bucket_stack(), "data-policy", "policy", UNKNOWN)
    outcome = run_stack(TLS, stack)
    assert outcome.violations == [] and "policy" in (outcome.undecided or "")


def test_pass_compliant_variants_of_the_baseline_stacks():
    for name in (
        "data-03-bucket-tls-only-policy",
        "data-05-artifact-bucket-lifecycle",
        "data-04-bucket-has-encryption-config",
    ):
        assert run_stack(rule(name), bucket_stack()).passed, name
    assert run_stack(REPLICATION, audit_stack(), tenant=GLOBEX).passed
