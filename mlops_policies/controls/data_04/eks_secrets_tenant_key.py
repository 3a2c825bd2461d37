"""The rule `data-04-eks-secrets-tenant-key`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.
"""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import Severity

from mlops_policies.controls.data_04._tenant_key import KMS_KEY, require_tenant_key
from mlops_policies.props import as_list, get
from mlops_policies.resource_types import EKS_CLUSTER
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "data-04-eks-secrets-tenant-key",
    control="DATA-04",
    types=[EKS_CLUSTER, KMS_KEY],
    severity=Severity.HIGH,
    description="EKS clusters envelope-encrypt Kubernetes secrets with a tenant key.",
    remediation="Set encryption_config={'provider': {'key_arn': tenant_key.arn}, 'resources': "
    "['secrets']} on the aws.eks.Cluster.",
)
def eks_secrets_tenant_key(stack: StackCheck) -> None:
    for cluster in stack.of_type(EKS_CLUSTER):
        with stack.deciding(cluster):
            raw = get(cluster.props, "encryptionConfig")
            # v7 takes one object; a list (older shapes) is tolerated.
            indexed = isinstance(raw, Sequence) and not isinstance(raw, str)
            entries = list(enumerate(as_list(raw)))
            secrets = [(i, e) for i, e in entries if "secrets" in as_list(get(e, "resources"))]
            if not secrets:
                stack.fail(
                    cluster,
                    f"{label(cluster)} has no encryptionConfig with resources ['secrets']; required: "
                    "encryptionConfig.provider.keyArn a tenant key for resources ['secrets']",
                )
                continue
            index = secrets[0][0]
            require_tenant_key(
                stack, cluster, "encryptionConfig", *((index,) if indexed else ()), "provider", "keyArn"
            )
