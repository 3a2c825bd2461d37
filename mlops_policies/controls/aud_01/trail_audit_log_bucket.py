"""The rule `aud-01-trail-audit-log-bucket`, one of the AUD-01 rules.

AUD-01: Every tenant has a tamper-evident trail.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets
from mlops_policies.props import UNKNOWN, known
from mlops_policies.resource_types import TRAIL
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule


def _trail_bucket_problem(stack: StackCheck, trail: PolicyResource) -> str | None:
    """What s3BucketName refers to when that is not the tenant's audit-log bucket; None when it is."""
    referenced = [
        b for b in stack.referenced_by(trail, "s3BucketName") if buckets.is_bucket_type(b.resource_type)
    ]
    for bucket in referenced:
        if buckets.purpose(bucket) == buckets.AUDIT_LOG:
            return None
    if referenced:
        return f"referring to {label(referenced[0])} (purpose {buckets.purpose(referenced[0])!r})"
    value = known(trail.props, "s3BucketName")
    if value is UNKNOWN:
        raise Undecided(["s3BucketName is unknown with no dependency on a bucket"])
    if not isinstance(value, str) or not value:
        return "missing"
    for bucket in buckets.buckets(stack):
        if buckets.name(bucket) == value:
            found = buckets.purpose(bucket)
            return None if found == buckets.AUDIT_LOG else f"{value!r}, {label(bucket)} (purpose {found!r})"
    tenant = stack.tenant
    if tenant.id and tenant.account_id and value == f"{tenant.id}-audit-log-{tenant.account_id}":
        return None  # the conventional name of the tenant's audit-log bucket, declared in another stack
    return f"{value!r}, not an audit-log bucket of this stack"


@stack_rule(
    "aud-01-trail-audit-log-bucket",
    control="AUD-01",
    types=[TRAIL, *buckets.BUCKET_TYPES],
    severity=Severity.HIGH,
    description="CloudTrail trails deliver to the tenant's audit-log bucket: a bucket of the stack tagged "
    "purpose audit-log (or named <tenant>-audit-log-<account_id>).",
    remediation="Set s3_bucket_name=audit_bucket.id on the trail, where audit_bucket is the tenant's bucket "
    "tagged purpose=audit-log.",
)
def trail_audit_log_bucket(stack: StackCheck) -> None:
    for trail in stack.of_type(TRAIL):
        with stack.deciding(trail):
            problem = _trail_bucket_problem(stack, trail)
            if problem:
                stack.fail(
                    trail,
                    f"{label(trail)} has s3BucketName {problem}; "
                    "required: the tenant's audit-log bucket (tagged purpose audit-log)",
                )
