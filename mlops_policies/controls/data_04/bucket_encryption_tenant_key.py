"""The rule `data-04-bucket-encryption-tenant-key`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets as s3
from mlops_policies.controls.data_04._tenant_key import KMS_KEY, require_tenant_key
from mlops_policies.messages import as_shown, prop_path
from mlops_policies.props import as_list, get
from mlops_policies.rule import StackCheck, label, stack_rule

_KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


@stack_rule(
    "data-04-bucket-encryption-tenant-key",
    control="DATA-04",
    types=[*s3.ENCRYPTION_TYPES, KMS_KEY],
    severity=Severity.HIGH,
    description="Bucket encryption configurations use sseAlgorithm aws:kms (or aws:kms:dsse) with a tenant "
    "key.",
    remediation="Set rules=[{'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms', "
    "'kms_master_key_id': tenant_key.arn}}], where tenant_key is an aws.kms.Key of this stack tagged "
    "with the tenant. AES256 and the AWS-managed alias/aws/s3 key are violations.",
)
def bucket_encryption_tenant_key(stack: StackCheck) -> None:
    for config in stack.of_type(*s3.ENCRYPTION_TYPES):
        with stack.deciding(config):
            rules = as_list(get(config.props, "rules"))
            if not rules:
                stack.fail(
                    config, f"{label(config)} has rules missing; required: a rule with sseAlgorithm 'aws:kms'"
                )
            for index in range(len(rules)):
                default = ("applyServerSideEncryptionByDefault",)
                algorithm = get(rules[index], *default, "sseAlgorithm")
                if algorithm not in _KMS_ALGORITHMS:
                    stack.fail(
                        config,
                        f"{label(config)} has {prop_path('rules', index, *default, 'sseAlgorithm')} "
                        f"{as_shown(algorithm)}; required: 'aws:kms' or 'aws:kms:dsse'",
                    )
                    continue
                require_tenant_key(stack, config, "rules", index, *default, "kmsMasterKeyId")
