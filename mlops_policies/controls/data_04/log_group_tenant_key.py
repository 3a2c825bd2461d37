"""The rule `data-04-log-group-tenant-key`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.data_04._tenant_key import tenant_key_rule

log_group_tenant_key = tenant_key_rule(
    "data-04-log-group-tenant-key", "aws:cloudwatch/logGroup:LogGroup", "kmsKeyId",
    "Set kms_key_id=tenant_key.arn on the aws.cloudwatch.LogGroup; the key policy must allow "
    "logs.<region>.amazonaws.com to use it.",
    severity=Severity.MEDIUM,
)  # fmt: skip
