"""The rule `prov-04-ecr-kms-encryption`, one of the PROV-04 rules.

PROV-04: Container registries are encrypted with the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import get
from mlops_policies.resource_types import ECR_REPOSITORY
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "prov-04-ecr-kms-encryption",
    control="PROV-04",
    types=[ECR_REPOSITORY],
    severity=Severity.MEDIUM,
    description="ECR repositories of regulated tenants are encrypted with KMS (encryptionType KMS).",
    remediation="Set encryption_configurations=[{'encryption_type': 'KMS', 'kms_key': tenant_key.arn}] "
    "on the repository (it cannot be changed later: recreate the repository).",
)
def ecr_kms_encryption(r: ResourceCheck) -> None:
    # No encryption configuration means AWS's default, AES256 with an AWS-owned key.
    kind = get(r.props, "encryptionConfigurations", 0, "encryptionType", default="AES256")
    if kind != "KMS":
        r.fail(f"{r.label} has encryptionConfigurations[0].encryptionType {kind!r}; required: 'KMS'")
