"""The rule `sec-02-secret-tenant-key`, one of the SEC-02 rules.

SEC-02: Secrets live in the store, encrypted with the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import keys
from mlops_policies.messages import prop_path
from mlops_policies.props import indices
from mlops_policies.resource_types import KMS_KEY, SECRET
from mlops_policies.rule import StackCheck, label, stack_rule

KMS_ALIAS = "aws:kms/alias:Alias"


@stack_rule(
    "sec-02-secret-tenant-key",
    control="SEC-02",
    types=[SECRET, KMS_KEY, KMS_ALIAS],
    severity=Severity.HIGH,
    description="Every Secrets Manager secret, and each of its replicas, is encrypted with a "
    "customer-managed KMS key of the tenant (kmsKeyId from a key tagged with the tenant), never the "
    "AWS-managed aws/secretsmanager key.",
    remediation="Pass kms_key_id=<tenant secrets key>.arn to aws.secretsmanager.Secret "
    "(TenantKeys(...).arn(KeyPurpose.SECRETS)), and to every replicas entry the ARN of the tenant's "
    "aws.kms.ReplicaKey of that key in the replica's region.",
)
def secret_tenant_key(stack: StackCheck) -> None:
    # keys.key_use: dependencies on a tenant-tagged Key (or its Alias) decide, also in a first preview;
    # an unknown value without them is undecided; a known value must name this stack's tenant keys.
    required = f"a customer-managed KMS key of tenant {stack.tenant.id}"
    for secret in stack.of_type(SECRET):
        with stack.deciding(secret):
            use = keys.require_decided(keys.key_use(stack, secret, "kmsKeyId"), f"{label(secret)} kmsKeyId")
            if not use.tenant_key:
                stack.fail(secret, f"{label(secret)} has kmsKeyId {use.found}; required: {required}")
            # Each replica is encrypted in its own region with its own replicas[i].kmsKeyId; without
            # one, Secrets Manager uses that region's AWS-managed aws/secretsmanager key.
            for index in indices(secret.props, "replicas"):
                where = prop_path("replicas", index, "kmsKeyId")
                use = keys.require_decided(
                    keys.key_use(stack, secret, "replicas", index, "kmsKeyId"), f"{label(secret)} {where}"
                )
                if not use.tenant_key:
                    stack.fail(secret, f"{label(secret)} has {where} {use.found}; required: {required}")
