"""The rule `data-04-efs-tenant-key`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.data_04._tenant_key import tenant_key_rule

efs_tenant_key = tenant_key_rule(
    "data-04-efs-tenant-key", "aws:efs/fileSystem:FileSystem", "kmsKeyId",
    "Set encrypted=True and kms_key_id=tenant_key.arn on the aws.efs.FileSystem.",
    severity=Severity.HIGH,
    flag=True,
)  # fmt: skip
