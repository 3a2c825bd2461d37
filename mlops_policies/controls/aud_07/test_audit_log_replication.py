"""Cases for `aud-07-audit-log-replication`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.aud_07.audit_log_replication import audit_log_replication
from tests.policies import harness
from tests.policies.audit_fixtures import ACCOUNT, COMPLIANT_REPLICATION, audit_stack, without
from tests.policies.harness import DELETE, GLOBEX, UNKNOWN, changed, run_stack


def test_fail_audit_bucket_without_replication():
    outcome = run_stack(audit_log_replication, audit_stack(replication=None), tenant=GLOBEX)
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'audit' (purpose audit-log) has no "
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig; required: a replication rule with status "
        "'Enabled' and destination.bucket 'arn:aws:s3:::platform-security-archive'"
    ]


def test_fail_replication_to_another_bucket_or_disabled():
    replication = changed(COMPLIANT_REPLICATION, "rules.0.destination.bucket", "arn:aws:s3:::acme-backup")
    outcome = run_stack(audit_log_replication, audit_stack(replication=replication), tenant=GLOBEX)
    assert outcome.violations == [
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig 'audit-replication' has no rule with status "
        "'Enabled' and destination.bucket 'arn:aws:s3:::platform-security-archive' (found: rules[0] status "
        "'Enabled' to 'arn:aws:s3:::acme-backup'); required: replication to the security archive of the "
        "KMS-encrypted objects (sourceSelectionCriteria.sseKmsEncryptedObjects.status 'Enabled' and a "
        "destination.encryptionConfiguration.replicaKmsKeyId)"
    ]
    replication = changed(COMPLIANT_REPLICATION, "rules.0.status", "Disabled")
    assert run_stack(audit_log_replication, audit_stack(replication=replication), tenant=GLOBEX).violations


def test_fail_platform_config_without_security_archive(monkeypatch):
    original = harness.set_tenant
    monkeypatch.setattr(harness, "set_tenant", lambda tenant: original(tenant, {"account_id": ACCOUNT}))
    outcome = run_stack(audit_log_replication, audit_stack(), tenant=GLOBEX)
    assert outcome.violations == [
        "landingzone:platform has security_archive_bucket missing; required: the platform's security archive "
        "bucket, the replication destination of the audit-log bucket"
    ]
    assert outcome.urns == [None]


def test_fail_regulated_stack_without_audit_log_bucket():
    stack = without(audit_stack(), "audit")
    outcome = run_stack(audit_log_replication, stack, tenant=GLOBEX)
    assert outcome.violations[0].startswith("the stack has no bucket with purpose audit-log; required:")
    assert outcome.violations == [
        "the stack has no bucket with purpose audit-log; required: an audit-log bucket replicating "
        "to 'arn:aws:s3:::platform-security-archive'",
    ]


def test_undecided_replication_destination_unknown():
    replication = changed(COMPLIANT_REPLICATION, "rules.0.destination.bucket", UNKNOWN)
    outcome = run_stack(audit_log_replication, audit_stack(replication=replication), tenant=GLOBEX)
    assert outcome.violations == [] and outcome.undecided is not None


def test_not_applicable_replication_for_standard_tenant():
    assert run_stack(audit_log_replication, audit_stack(replication=None)).not_applicable is not None


def test_pass_regulated_audit_bucket_replicating_to_the_security_archive():
    assert run_stack(audit_log_replication, audit_stack(), tenant=GLOBEX).passed


@pytest.mark.parametrize(
    ("path", "value", "skipped"),
    [
        (
            "rules.0.sourceSelectionCriteria",
            DELETE,
            "sourceSelectionCriteria.sseKmsEncryptedObjects.status missing",
        ),
        (
            "rules.0.sourceSelectionCriteria.sseKmsEncryptedObjects.status",
            "Disabled",
            "sourceSelectionCriteria.sseKmsEncryptedObjects.status 'Disabled'",
        ),
        (
            "rules.0.destination.encryptionConfiguration",
            DELETE,
            "destination.encryptionConfiguration.replicaKmsKeyId missing",
        ),
    ],
)
def test_fail_replication_that_skips_kms_encrypted_objects_copies_no_evidence(path, value, skipped):
    # S3 replicates SSE-KMS objects only when the rule opts in; every audit-log object is one.
    replication = changed(COMPLIANT_REPLICATION, path, value)
    outcome = run_stack(audit_log_replication, audit_stack(replication=replication), tenant=GLOBEX)
    assert outcome.violations == [
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig 'audit-replication' has no rule with status "
        "'Enabled' and destination.bucket 'arn:aws:s3:::platform-security-archive' (found: rules[0] status "
        f"'Enabled' to 'arn:aws:s3:::platform-security-archive' with {skipped}); required: replication to "
        "the security archive of the KMS-encrypted objects (sourceSelectionCriteria.sseKmsEncryptedObjects."
        "status 'Enabled' and a destination.encryptionConfiguration.replicaKmsKeyId)"
    ]


def test_pass_replica_key_unknown_in_a_first_preview():
    path = "rules.0.destination.encryptionConfiguration.replicaKmsKeyId"
    replication = changed(COMPLIANT_REPLICATION, path, UNKNOWN)
    assert run_stack(audit_log_replication, audit_stack(replication=replication), tenant=GLOBEX).passed


def test_undecided_kms_object_selection_unknown():
    path = "rules.0.sourceSelectionCriteria.sseKmsEncryptedObjects.status"
    replication = changed(COMPLIANT_REPLICATION, path, UNKNOWN)
    outcome = run_stack(audit_log_replication, audit_stack(replication=replication), tenant=GLOBEX)
    assert outcome.violations == [] and outcome.undecided is not None
