"""The rule `prov-02-registry-compliance-retention`, one of the PROV-02 rules.

PROV-02: Model-registry retention cannot be shortened by anyone.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets
from mlops_policies.rule import StackCheck, stack_rule


@stack_rule(
    "prov-02-registry-compliance-retention",
    control="PROV-02",
    types=[*buckets.BUCKET_TYPES, buckets.OBJECT_LOCK_CONFIGURATION],
    severity=Severity.HIGH,
    description="For regulated tenants, every model-registry bucket's default retention is COMPLIANCE mode, "
    "which nobody, the root user included, can shorten or remove.",
    remediation="Set rule={'default_retention': {'mode': 'COMPLIANCE', ...}} on the model-registry bucket's "
    "BucketObjectLockConfiguration.",
)
def registry_compliance_retention(stack: StackCheck) -> None:
    buckets.check_sub_resources(
        stack,
        [buckets.MODEL_REGISTRY],
        buckets.OBJECT_LOCK_CONFIGURATION,
        "a COMPLIANCE-mode default retention",
        _compliance_mode_problems,
    )


def _compliance_mode_problems(lock: PolicyResource, _bucket: PolicyResource) -> list[str]:
    retention = buckets.default_retention(lock)
    if retention is None:
        return ["rule.defaultRetention missing; required: mode 'COMPLIANCE'"]
    if retention.mode != "COMPLIANCE":
        found = repr(retention.mode) if retention.mode else "missing"
        return [f"rule.defaultRetention.mode {found}; required: 'COMPLIANCE'"]
    return []
