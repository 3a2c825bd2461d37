"""The rule `data-04-ebs-volume-tenant-key`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.data_04._tenant_key import tenant_key_rule

ebs_volume_tenant_key = tenant_key_rule(
    "data-04-ebs-volume-tenant-key", "aws:ebs/volume:Volume", "kmsKeyId",
    "Set encrypted=True and kms_key_id=tenant_key.arn on the aws.ebs.Volume (account-default encryption is "
    "not visible to the policy and uses the AWS-managed key).",
    severity=Severity.HIGH,
    flag=True,
)  # fmt: skip
