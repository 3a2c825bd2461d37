"""The rule `aud-02-audit-bucket-object-lock`, one of the AUD-02 rules.

AUD-02: Audit logs are append-only.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "aud-02-audit-bucket-object-lock",
    control="AUD-02",
    types=buckets.BUCKET_TYPES,
    severity=Severity.HIGH,
    description="Audit-log buckets are created with object lock enabled (objectLockEnabled true).",
    remediation="Create the audit-log bucket with object_lock_enabled=True; then add a "
    "BucketObjectLockConfiguration in COMPLIANCE mode and a BucketVersioning.",
)
def audit_bucket_object_lock(r: ResourceCheck) -> None:
    buckets.require_object_lock(r, buckets.AUDIT_LOG)
