"""Cases for `aud-02-audit-compliance-retention`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_02.audit_compliance_retention import audit_compliance_retention
from tests.policies.audit_fixtures import COMPLIANT_LOCK, audit_stack
from tests.policies.harness import DELETE, changed, run_stack


def test_fail_audit_retention_in_governance_mode_or_too_short():
    lock = changed(COMPLIANT_LOCK, "rule.defaultRetention.mode", "GOVERNANCE")
    assert run_stack(audit_compliance_retention, audit_stack(lock=lock)).violations == [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration 'audit-lock' has "
        "rule.defaultRetention.mode 'GOVERNANCE'; required: COMPLIANCE"
    ]
    lock = changed(COMPLIANT_LOCK, "rule.defaultRetention.days", 90)
    assert (
        run_stack(audit_compliance_retention, audit_stack(lock=lock))
        .violations[0]
        .endswith("has rule.defaultRetention.days 90; required: at least 365 days")
    )


def test_pass_audit_retention_of_one_year_and_configurable_minimum():
    lock = changed(
        changed(COMPLIANT_LOCK, "rule.defaultRetention.days", DELETE), "rule.defaultRetention.years", 1
    )
    assert run_stack(audit_compliance_retention, audit_stack(lock=lock)).passed
    config = {"minAuditRetentionDays": 730}
    assert run_stack(audit_compliance_retention, audit_stack(lock=lock), config=config).violations


def test_fail_audit_bucket_without_lock_configuration():
    assert run_stack(audit_compliance_retention, audit_stack(lock=None)).violations == [
        "aws:s3/bucket:Bucket 'audit' (purpose audit-log) has no "
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration; required: a default retention "
        "rule, mode COMPLIANCE, at least 365 days"
    ]
