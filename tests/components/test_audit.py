"""AuditLogSink: append-only, object-locked evidence (AUD-01/02/03); with an archive, replication (AUD-07)."""

from __future__ import annotations

import pytest

from components import AuditLogSink
from tests.components.recording import (
    ACCOUNT_ID,
    REGION,
    Recording,
    as_list,
    depends_on,
    document,
    mock_id,
    mock_key_arn,
    property_errors,
    refused,
    statement,
    statements,
)
from tests.components.scenarios import ARCHIVE_BUCKET, ARCHIVE_KEY_ARN, BUCKETS, audit_args

BUCKET = f"acme-audit-log-{ACCOUNT_ID}"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
TRAIL_ARN = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT_ID}:trail/acme-audit-trail"
LOGS_KEY_ARN = mock_key_arn("fixture-logs-key")


@pytest.fixture(scope="module")
def sink(recorded) -> Recording:
    """Defaults: 365-day COMPLIANCE lock, 90-day logs, no data events, no archive."""
    return recorded("audit")


@pytest.fixture(scope="module")
def regulated(recorded) -> Recording:
    """2557-day lock, 365-day logs, data events on two buckets, replication to the security archive."""
    return recorded("audit-regulated")


def test_the_audit_bucket_is_created_with_object_lock_and_cannot_be_force_destroyed(sink):
    bucket = sink.one("aws:s3/bucket:Bucket")
    assert bucket.inputs["bucket"] == BUCKET
    assert bucket.inputs["objectLockEnabled"] is True
    assert bucket.inputs["forceDestroy"] is False
    assert bucket.inputs["tags"]["purpose"] == "audit-log"


def test_every_audit_object_is_locked_in_compliance_mode_for_the_retention_days(sink, regulated):
    for recording, days in ((sink, 365), (regulated, 2557)):
        lock = recording.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
        assert lock.inputs["objectLockEnabled"] == "Enabled"
        assert lock.inputs["rule"] == {"defaultRetention": {"mode": "COMPLIANCE", "days": days}}
        assert lock.inputs["bucket"] == mock_id("acme-audit-logs-bucket")
        assert depends_on(lock, recording.one("aws:s3/bucketVersioning:BucketVersioning"))


def test_the_audit_bucket_is_versioned(sink):
    versioning = sink.one("aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    assert versioning.inputs["bucket"] == mock_id("acme-audit-logs-bucket")


def test_the_audit_bucket_is_encrypted_with_the_logs_key(sink):
    encryption = sink.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    assert encryption.inputs["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": LOGS_KEY_ARN},
            "bucketKeyEnabled": True,
        }
    ]
    assert depends_on(encryption, sink.named("fixture-logs-key"), "rules")


def test_the_audit_bucket_is_private_and_owner_enforced(sink):
    block = sink.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    for flag in ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]:
        assert block.inputs[flag] is True, flag
    ownership = sink.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


def test_the_audit_bucket_policy_denies_insecure_transport(sink):
    deny = statement(sink.one("aws:s3/bucketPolicy:BucketPolicy"), "DenyInsecureTransport")
    assert deny == {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_the_audit_bucket_policy_denies_deleting_objects_and_changing_lifecycle_to_everyone(sink):
    deny = statement(sink.one("aws:s3/bucketPolicy:BucketPolicy"), "AppendOnly")
    assert deny["Effect"] == "Deny"
    assert deny["Principal"] == "*"
    assert set(deny["Action"]) == {
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:PutLifecycleConfiguration",
    }
    assert deny["Resource"] == [BUCKET_ARN, f"{BUCKET_ARN}/*"]
    assert "Condition" not in deny


def test_only_this_tenants_trail_may_write_to_the_audit_bucket(sink):
    allows = [s for s in statements(sink.one("aws:s3/bucketPolicy:BucketPolicy")) if s["Effect"] == "Allow"]
    assert {s["Sid"] for s in allows} == {"CloudTrailAclCheck", "CloudTrailWrite"}
    for s in allows:
        assert s["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
        assert s["Condition"] == {"StringEquals": {"aws:SourceArn": TRAIL_ARN}}
    write = statement(sink.one("aws:s3/bucketPolicy:BucketPolicy"), "CloudTrailWrite")
    assert write["Action"] == "s3:PutObject"
    assert write["Resource"] == f"{BUCKET_ARN}/AWSLogs/{ACCOUNT_ID}/*"


def test_the_trail_is_multi_region_validated_global_kms_encrypted_and_writes_to_the_audit_bucket(sink):
    trail = sink.one("aws:cloudtrail/trail:Trail")
    assert trail.inputs["name"] == "acme-audit-trail"
    assert trail.inputs["isMultiRegionTrail"] is True
    assert trail.inputs["enableLogFileValidation"] is True
    assert trail.inputs["includeGlobalServiceEvents"] is True
    assert trail.inputs["kmsKeyId"] == LOGS_KEY_ARN
    assert depends_on(trail, sink.named("fixture-logs-key"), "kmsKeyId")
    assert trail.inputs["s3BucketName"] == sink.one("aws:s3/bucket:Bucket").inputs["bucket"]


def test_the_trail_is_created_after_the_bucket_policy_that_lets_it_write(sink):
    trail = sink.one("aws:cloudtrail/trail:Trail")
    assert depends_on(trail, sink.one("aws:s3/bucketPolicy:BucketPolicy"))


def test_the_trail_records_no_data_events_unless_buckets_are_given(sink):
    assert "eventSelectors" not in sink.one("aws:cloudtrail/trail:Trail").inputs


def test_the_trail_records_reads_and_writes_of_objects_in_the_given_buckets(regulated):
    assert regulated.one("aws:cloudtrail/trail:Trail").inputs["eventSelectors"] == [
        {
            "readWriteType": "All",
            "includeManagementEvents": True,
            "dataResources": [
                {
                    "type": "AWS::S3::Object",
                    "values": [
                        f"arn:aws:s3:::{BUCKETS['model-registry']}/",
                        f"arn:aws:s3:::{BUCKETS['dataset']}/",
                    ],
                }
            ],
        }
    ]


def test_log_groups_are_encrypted_with_the_logs_key_and_retained(sink, regulated):
    for recording, days in ((sink, 90), (regulated, 365)):
        groups = recording.of_type("aws:cloudwatch/logGroup:LogGroup")
        assert sorted(g.inputs["name"] for g in groups) == ["/mlops/acme/audit", "/mlops/acme/vpc-flow-logs"]
        for group in groups:
            assert group.inputs["kmsKeyId"] == LOGS_KEY_ARN
            assert group.inputs["retentionInDays"] == days
            assert depends_on(group, recording.named("fixture-logs-key"), "kmsKeyId")


def test_without_an_archive_nothing_is_replicated(sink):
    assert sink.of_type("aws:s3/bucketReplicationConfig:BucketReplicationConfig") == []
    assert sink.of_type("aws:iam/role:Role") == []


def test_with_an_archive_the_audit_bucket_replicates_to_it_re_encrypted_with_the_archive_key(regulated):
    replication = regulated.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    assert replication.inputs["bucket"] == mock_id("acme-audit-logs-bucket")
    assert replication.inputs["role"] == f"arn:aws:iam::{ACCOUNT_ID}:role/acme-audit-replication"
    (rule,) = replication.inputs["rules"]
    assert rule["status"] == "Enabled"
    assert rule["destination"]["bucket"] == f"arn:aws:s3:::{ARCHIVE_BUCKET}"
    assert rule["destination"]["encryptionConfiguration"] == {"replicaKmsKeyId": ARCHIVE_KEY_ARN}
    assert rule["sourceSelectionCriteria"] == {"sseKmsEncryptedObjects": {"status": "Enabled"}}
    assert rule["deleteMarkerReplication"] == {"status": "Disabled"}


def test_replication_waits_for_the_whole_audit_bucket(regulated):
    replication = regulated.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    assert depends_on(replication, regulated.one("aws:s3/bucketVersioning:BucketVersioning"))
    assert depends_on(replication, regulated.named("replication-role"), "role")


def test_the_replication_role_is_s3s_in_this_account_and_writes_only_to_the_archive(regulated):
    role = regulated.named("replication-role")
    assert role.inputs["maxSessionDuration"] == 3600
    (trust,) = document(role, "assumeRolePolicy")["Statement"]
    assert trust["Principal"] == {"Service": "s3.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}
    policy = regulated.named("replication-policy")
    write = statement(policy, "WriteArchive")
    assert write["Resource"] == f"arn:aws:s3:::{ARCHIVE_BUCKET}/*"
    assert statement(policy, "EncryptReplicasWithArchiveKey")["Resource"] == ARCHIVE_KEY_ARN
    for s in statements(policy):
        assert "*" not in as_list(s["Action"])
        assert "s3:*" not in as_list(s["Action"])
        assert not any(a.startswith("s3:Delete") for a in as_list(s["Action"]))


# ---------------------------------------------------------------- args validation (at construction)


def _refused(**overrides) -> list[tuple[str, str]]:
    return property_errors(refused(lambda: AuditLogSink("acme-audit", audit_args(**overrides))))


def test_audit_retention_below_365_days_is_refused_naming_aud_02():
    assert _refused(retention_days=364) == [("retention_days", "364 is below 365 (AUD-02)")]


def test_log_retention_below_90_days_is_refused_naming_aud_03():
    assert _refused(log_retention_days=30) == [("log_retention_days", "30 is below 90 (AUD-03)")]


def test_every_audit_args_problem_is_named_at_once_with_its_property_path():
    error = refused(
        lambda: AuditLogSink(
            "acme-audit", audit_args(retention_days=30, log_retention_days=7, archive_bucket=ARCHIVE_BUCKET)
        )
    )
    assert property_errors(error) == [
        ("retention_days", "30 is below 365 (AUD-02)"),
        ("log_retention_days", "7 is below 90 (AUD-03)"),
        ("archive_kms_key_arn", "required with archive_bucket"),
    ]
    assert str(error) == (
        "AuditLogSink acme-audit: invalid args: retention_days: 30 is below 365 (AUD-02); "
        "log_retention_days: 7 is below 90 (AUD-03); archive_kms_key_arn: required with archive_bucket"
    )


def test_an_archive_key_without_an_archive_bucket_is_refused():
    assert _refused(archive_kms_key_arn=ARCHIVE_KEY_ARN) == [
        ("archive_bucket", "required with archive_kms_key_arn")
    ]
