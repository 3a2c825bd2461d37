"""The rule `aud-02-audit-versioning`, one of the AUD-02 rules.

AUD-02: Audit logs are append-only.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets
from mlops_policies.rule import StackCheck, stack_rule


@stack_rule(
    "aud-02-audit-versioning",
    control="AUD-02",
    types=[*buckets.BUCKET_TYPES, buckets.VERSIONING],
    severity=Severity.MEDIUM,
    description="Every audit-log bucket has a BucketVersioning with status Enabled.",
    remediation="Add aws.s3.BucketVersioning(bucket=audit_bucket.id, "
    "versioning_configuration={'status': 'Enabled'}) for the audit-log bucket.",
)
def audit_versioning(stack: StackCheck) -> None:
    buckets.check_sub_resources(
        stack,
        [buckets.AUDIT_LOG],
        buckets.VERSIONING,
        "versioningConfiguration.status 'Enabled'",
        buckets.versioning_problems,
    )
