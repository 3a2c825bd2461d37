"""The rule `aud-03-log-group-kms-key`, one of the AUD-03 rules.

AUD-03: Log groups are encrypted and retained.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import UNKNOWN, known
from mlops_policies.resource_types import LOG_GROUP
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule


@stack_rule(
    "aud-03-log-group-kms-key",
    control="AUD-03",
    types=[LOG_GROUP],
    severity=Severity.MEDIUM,
    description="CloudWatch log groups set a kmsKeyId (a customer-managed KMS key; which key is DATA-04's "
    "concern). An unknown value computed from another resource counts as set.",
    remediation="Set kms_key_id=tenant_key.arn on the log group (the key policy must allow logs.<region>."
    "amazonaws.com).",
)
def log_group_kms_key(stack: StackCheck) -> None:
    for group in stack.of_type(LOG_GROUP):
        with stack.deciding(group):
            value = known(group.props, "kmsKeyId")
            if value is UNKNOWN and not stack.referenced_by(group, "kmsKeyId"):
                raise Undecided(["kmsKeyId is unknown with no dependency information"])
            if value is not UNKNOWN and not (isinstance(value, str) and value):
                stack.fail(group, f"{label(group)} has kmsKeyId missing; required: a KMS key ARN")
