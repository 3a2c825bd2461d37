"""Cases for `data-04-eks-secrets-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

from mlops_policies.controls.data_04.eks_secrets_tenant_key import eks_secrets_tenant_key
from tests.policies.data_leakage_fixtures import COMPLIANT_CLUSTER, EKS, tenant_key
from tests.policies.harness import DELETE, Res, changed, run_stack


def cluster_stack(props: dict[str, Any]) -> list[Res]:
    return [tenant_key(), Res(EKS, "cluster", props, prop_deps={"encryptionConfig": ["data-key"]})]


def test_pass_eks_secrets_encryption_as_object_or_list():
    assert run_stack(eks_secrets_tenant_key, cluster_stack(COMPLIANT_CLUSTER)).passed
    as_list = changed(COMPLIANT_CLUSTER, "encryptionConfig", [COMPLIANT_CLUSTER["encryptionConfig"]])
    assert run_stack(eks_secrets_tenant_key, cluster_stack(as_list)).passed


def test_fail_eks_without_secrets_encryption():
    outcome = run_stack(
        eks_secrets_tenant_key, cluster_stack(changed(COMPLIANT_CLUSTER, "encryptionConfig", DELETE))
    )
    assert outcome.violations == [
        "aws:eks/cluster:Cluster 'cluster' has no encryptionConfig with resources ['secrets']; required: "
        "encryptionConfig.provider.keyArn a tenant key for resources ['secrets']"
    ]


def test_fail_eks_secrets_encrypted_with_a_key_of_another_account():
    props = changed(
        COMPLIANT_CLUSTER, "encryptionConfig.provider.keyArn", "arn:aws:kms:us-east-1:999999999999:key/x"
    )
    outcome = run_stack(eks_secrets_tenant_key, [tenant_key(), Res(EKS, "cluster", props)])
    assert outcome.violations == [
        "aws:eks/cluster:Cluster 'cluster' has encryptionConfig.provider.keyArn "
        "'arn:aws:kms:us-east-1:999999999999:key/x', a key in account 999999999999, not the tenant's "
        "account 111122223333; required: a KMS key of this stack tagged tenant=acme"
    ]
