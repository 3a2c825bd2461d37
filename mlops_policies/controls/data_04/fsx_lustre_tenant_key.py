"""The rule `data-04-fsx-lustre-tenant-key`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.data_04._tenant_key import tenant_key_rule

fsx_lustre_tenant_key = tenant_key_rule(
    "data-04-fsx-lustre-tenant-key", "aws:fsx/lustreFileSystem:LustreFileSystem", "kmsKeyId",
    "Set kms_key_id=tenant_key.arn on the aws.fsx.LustreFileSystem (unset means the AWS-managed FSx key).",
    severity=Severity.HIGH,
)  # fmt: skip
