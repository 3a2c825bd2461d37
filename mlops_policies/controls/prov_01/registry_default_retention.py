"""The rule `prov-01-registry-default-retention`, one of the PROV-01 rules.

PROV-01: Model-registry buckets are immutable.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets
from mlops_policies.props import as_int
from mlops_policies.rule import StackCheck, stack_rule

MIN_REGISTRY_RETENTION_DAYS = 30


def _registry_retention(min_days: int) -> str:
    return f"a default retention rule, mode GOVERNANCE or COMPLIANCE, at least {min_days} days"


@stack_rule(
    "prov-01-registry-default-retention",
    control="PROV-01",
    types=[*buckets.BUCKET_TYPES, buckets.OBJECT_LOCK_CONFIGURATION],
    severity=Severity.HIGH,
    description="Every model-registry bucket has a BucketObjectLockConfiguration whose default retention is "
    "GOVERNANCE or COMPLIANCE mode for at least minRegistryRetentionDays days (years count 365 days).",
    remediation="Add aws.s3.BucketObjectLockConfiguration(bucket=registry.id, rule={'default_retention': "
    "{'mode': 'COMPLIANCE', 'days': 30}}) for the model-registry bucket.",
    config={
        "minRegistryRetentionDays": {"type": "integer", "default": MIN_REGISTRY_RETENTION_DAYS, "minimum": 1}
    },
)
def registry_default_retention(stack: StackCheck) -> None:
    min_days = as_int(stack.config.get("minRegistryRetentionDays")) or MIN_REGISTRY_RETENTION_DAYS
    buckets.check_sub_resources(
        stack,
        [buckets.MODEL_REGISTRY],
        buckets.OBJECT_LOCK_CONFIGURATION,
        _registry_retention(min_days),
        lambda lock, _bucket: buckets.retention_problems(lock, buckets.LOCK_MODES, min_days),
    )
