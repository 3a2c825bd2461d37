"""The rule `aud-02-audit-compliance-retention`, one of the AUD-02 rules.

AUD-02: Audit logs are append-only.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets
from mlops_policies.props import as_int
from mlops_policies.rule import StackCheck, stack_rule

MIN_AUDIT_RETENTION_DAYS = 365


@stack_rule(
    "aud-02-audit-compliance-retention",
    control="AUD-02",
    types=[*buckets.BUCKET_TYPES, buckets.OBJECT_LOCK_CONFIGURATION],
    severity=Severity.HIGH,
    description="Every audit-log bucket has a BucketObjectLockConfiguration whose default retention is "
    "COMPLIANCE mode for at least minAuditRetentionDays days (years count 365 days).",
    remediation="Add aws.s3.BucketObjectLockConfiguration(bucket=audit_bucket.id, rule={'default_retention': "
    "{'mode': 'COMPLIANCE', 'days': 365}}) for the audit-log bucket.",
    config={"minAuditRetentionDays": {"type": "integer", "default": MIN_AUDIT_RETENTION_DAYS, "minimum": 1}},
)
def audit_compliance_retention(stack: StackCheck) -> None:
    min_days = as_int(stack.config.get("minAuditRetentionDays")) or MIN_AUDIT_RETENTION_DAYS
    buckets.check_sub_resources(
        stack,
        [buckets.AUDIT_LOG],
        buckets.OBJECT_LOCK_CONFIGURATION,
        f"a default retention rule, mode COMPLIANCE, at least {min_days} days",
        lambda lock, _bucket: buckets.retention_problems(lock, ["COMPLIANCE"], min_days),
    )
