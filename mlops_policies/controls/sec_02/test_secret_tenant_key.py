"""Cases for `sec-02-secret-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

from mlops_policies.controls.sec_02.secret_tenant_key import secret_tenant_key
from tests.policies.harness import DELETE, UNKNOWN, Res, changed, run_stack
from tests.policies.secrets_fixtures import ALIAS, COMPLIANT_KEY, KEY, SECRET, TAGS

TENANT_KEY = Res(KEY, "acme-secrets", COMPLIANT_KEY)
COMPLIANT_SECRET = {"name": "acme/db", "kmsKeyId": UNKNOWN, "recoveryWindowInDays": 30, "tags": TAGS}


def secret_stack(props: dict[str, Any] = COMPLIANT_SECRET, deps: list[str] | None = None) -> list[Res]:
    deps = ["acme-secrets"] if deps is None else deps
    return [TENANT_KEY, Res(SECRET, "acme-db", props, prop_deps={"kmsKeyId": deps} if deps else {})]


def test_pass_first_preview_secret_whose_key_arn_comes_from_the_tenant_key():
    assert run_stack(secret_tenant_key, secret_stack()).passed


def test_fail_secret_without_kms_key_id():
    outcome = run_stack(
        secret_tenant_key, secret_stack(changed(COMPLIANT_SECRET, "kmsKeyId", DELETE), deps=[])
    )
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId missing; "
        "required: a customer-managed KMS key of tenant acme"
    ]


def test_fail_secret_with_the_aws_managed_key():
    props = changed(COMPLIANT_SECRET, "kmsKeyId", "alias/aws/secretsmanager")
    outcome = run_stack(secret_tenant_key, secret_stack(props, deps=[]))
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId 'alias/aws/secretsmanager' (an AWS-managed "
        "key); "
        "required: a customer-managed KMS key of tenant acme"
    ]


def test_fail_secret_under_a_key_tagged_for_another_tenant():
    other = Res(KEY, "globex-secrets", changed(COMPLIANT_KEY, "tags.tenant", "globex"))
    stack = [other, Res(SECRET, "acme-db", COMPLIANT_SECRET, prop_deps={"kmsKeyId": ["globex-secrets"]})]
    outcome = run_stack(secret_tenant_key, stack)
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId aws:kms/key:Key 'globex-secrets', which is "
        "not tagged tenant=acme; required: a customer-managed KMS key of tenant acme"
    ]


def test_pass_secret_using_the_tenant_alias_resource():
    alias = Res(ALIAS, "acme-secrets-alias", {"name": "alias/acme-secrets", "targetKeyId": UNKNOWN},
                prop_deps={"targetKeyId": ["acme-secrets"]})  # fmt: skip
    stack = [
        TENANT_KEY,
        alias,
        Res(SECRET, "acme-db", COMPLIANT_SECRET, prop_deps={"kmsKeyId": [alias.name]}),
    ]
    assert run_stack(secret_tenant_key, stack).passed


def test_pass_known_tenant_alias_without_dependencies():
    props = changed(COMPLIANT_SECRET, "kmsKeyId", "alias/acme-secrets")
    assert run_stack(secret_tenant_key, secret_stack(props, deps=[])).passed


def test_fail_known_key_arn_that_is_not_a_key_of_this_stack():
    props = changed(COMPLIANT_SECRET, "kmsKeyId", "arn:aws:kms:us-east-1:999999999999:key/1234abcd")
    outcome = run_stack(secret_tenant_key, secret_stack(props, deps=[]))
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId "
        "'arn:aws:kms:us-east-1:999999999999:key/1234abcd', a key in account 999999999999, not the "
        "tenant's account 111122223333; required: a customer-managed KMS key of tenant acme"
    ]


def test_undecided_unknown_key_without_dependency_information():
    outcome = run_stack(secret_tenant_key, secret_stack(deps=[]))
    assert outcome.undecided is not None and "acme-db" in outcome.undecided and outcome.violations == []


REPLICA_KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"


def replicated(replica: dict[str, Any]) -> list[Res]:
    props = changed(COMPLIANT_SECRET, "replicas", [{"region": "eu-west-1", **replica}])
    replica_key = Res(
        "aws:kms/replicaKey:ReplicaKey", "acme-secrets-eu", {**COMPLIANT_KEY, "arn": REPLICA_KEY_ARN}
    )
    return [*secret_stack(props), replica_key]


def test_pass_replica_encrypted_with_the_tenants_replica_key():
    assert run_stack(secret_tenant_key, replicated({"kmsKeyId": REPLICA_KEY_ARN})).passed


def test_fail_replica_without_kms_key_id_uses_the_aws_managed_key():
    assert run_stack(secret_tenant_key, replicated({})).violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has replicas[0].kmsKeyId missing; "
        "required: a customer-managed KMS key of tenant acme"
    ]


def test_fail_replica_with_the_aws_managed_key():
    assert run_stack(secret_tenant_key, replicated({"kmsKeyId": "alias/aws/secretsmanager"})).violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has replicas[0].kmsKeyId 'alias/aws/secretsmanager' "
        "(an AWS-managed key); required: a customer-managed KMS key of tenant acme"
    ]
