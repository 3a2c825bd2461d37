"""The rule `prov-01-registry-bucket-object-lock`, one of the PROV-01 rules.

PROV-01: Model-registry buckets are immutable.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "prov-01-registry-bucket-object-lock",
    control="PROV-01",
    types=buckets.BUCKET_TYPES,
    severity=Severity.HIGH,
    description="Model-registry buckets are created with object lock enabled (objectLockEnabled true).",
    remediation="Create the bucket with object_lock_enabled=True; then add a BucketObjectLockConfiguration "
    "and a BucketVersioning for it.",
)
def registry_bucket_object_lock(r: ResourceCheck) -> None:
    buckets.require_object_lock(r, buckets.MODEL_REGISTRY)
