"""The rule `aud-01-trail-tenant-key`, one of the AUD-01 rules.

AUD-01: Every tenant has a tamper-evident trail.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import keys
from mlops_policies.resource_types import TRAIL
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "aud-01-trail-tenant-key",
    control="AUD-01",
    types=[TRAIL, keys.KEY],
    severity=Severity.MEDIUM,
    description="CloudTrail trails encrypt log files with a tenant key (kmsKeyId names a KMS key of the "
    "stack tagged with the tenant).",
    remediation="Set kms_key_id=tenant_key.arn on the trail, where tenant_key is the tenant's aws.kms.Key "
    "(its key policy must let cloudtrail.amazonaws.com use it).",
)
def trail_tenant_key(stack: StackCheck) -> None:
    for trail in stack.of_type(TRAIL):
        with stack.deciding(trail):
            use = keys.require_decided(keys.key_use(stack, trail, "kmsKeyId"), "kmsKeyId")
            if not use.tenant_key:
                stack.fail(
                    trail,
                    f"{label(trail)} has kmsKeyId {use.found}; "
                    f"required: a KMS key of this stack tagged tenant={stack.tenant.id}",
                )
