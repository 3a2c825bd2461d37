"""The rule `data-04-notebook-tenant-key`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.data_04._tenant_key import tenant_key_rule
from mlops_policies.resource_types import NOTEBOOK

notebook_tenant_key = tenant_key_rule(
    "data-04-notebook-tenant-key", NOTEBOOK, "kmsKeyId",
    "Set kms_key_id=tenant_key.arn on the aws.sagemaker.NotebookInstance (it encrypts the notebook's ML "
    "storage volume).",
    severity=Severity.HIGH,
)  # fmt: skip
