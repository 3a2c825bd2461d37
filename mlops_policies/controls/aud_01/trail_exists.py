"""The rule `aud-01-trail-exists`, one of the AUD-01 rules.

AUD-01: Every tenant has a tamper-evident trail.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import as_bool, known
from mlops_policies.resource_types import TRAIL
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "aud-01-trail-exists",
    control="AUD-01",
    types=[TRAIL],
    severity=Severity.HIGH,
    description="The tenant stack has a CloudTrail trail that logs (enableLogging true or unset; a trail "
    "with logging turned off records nothing and does not count).",
    remediation="Add aws.cloudtrail.Trail(is_multi_region_trail=True, enable_log_file_validation=True, "
    "include_global_service_events=True, kms_key_id=tenant_key.arn, s3_bucket_name=audit_bucket.id).",
)
def trail_exists(stack: StackCheck) -> None:
    trails = stack.of_type(TRAIL)
    required = (
        "required: a multi-region trail with log file validation, encrypted with a tenant key, delivering "
        "to the tenant's audit-log bucket"
    )
    if not trails:
        stack.fail(None, f"the stack has no {TRAIL}; {required}")
        return
    logging = [known(t.props, "enableLogging") for t in trails]
    if all(as_bool(value) is False for value in logging):
        for trail, value in zip(trails, logging, strict=True):
            found = "false" if value is False else repr(value)
            stack.fail(trail, f"{label(trail)} has enableLogging {found}, so it records nothing; {required}")
