"""The rule `prov-04-ecr-tenant-key`, one of the PROV-04 rules.

PROV-04: Container registries are encrypted with the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import keys
from mlops_policies.resource_types import ECR_REPOSITORY
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "prov-04-ecr-tenant-key",
    control="PROV-04",
    types=[ECR_REPOSITORY, keys.KEY],
    severity=Severity.MEDIUM,
    description="ECR repositories of regulated tenants name a tenant key (a KMS key of the stack tagged with "
    "the tenant) in encryptionConfigurations[0].kmsKey, not the AWS-managed aws/ecr key.",
    remediation="Set encryption_configurations=[{'encryption_type': 'KMS', 'kms_key': tenant_key.arn}], "
    "where tenant_key is the tenant's aws.kms.Key.",
)
def ecr_tenant_key(stack: StackCheck) -> None:
    where = "encryptionConfigurations[0].kmsKey"
    for repository in stack.of_type(ECR_REPOSITORY):
        with stack.deciding(repository):
            use = keys.key_use(stack, repository, "encryptionConfigurations", 0, "kmsKey")
            if not keys.require_decided(use, where).tenant_key:
                stack.fail(
                    repository,
                    f"{label(repository)} has {where} {use.found}; "
                    f"required: a KMS key of this stack tagged tenant={stack.tenant.id}",
                )
