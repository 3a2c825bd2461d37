"""Issue 14, KMS: replica and external keys are keys (class 1), key identity is exact (class 3), and an
unknown key-policy statement hides no public grant beside it (class 2)."""

from __future__ import annotations

import json

import pytest

from mlops_policies.controls.sec_02.test_secret_tenant_key import COMPLIANT_SECRET, secret_stack
from mlops_policies.controls.sec_08._fixtures import REGULATED_KEY
from mlops_policies.controls.sec_08.test_kms_no_public_decrypt import PUBLIC
from tests.policies.harness import GLOBEX, UNKNOWN, Res, run_resource, run_stack
from tests.policies.secrets_fixtures import COMPLIANT_KEY
from tests.policies.sidestep import rule, with_props

KEY = "aws:kms/key:Key"
REPLICA = "aws:kms/replicaKey:ReplicaKey"
EXTERNAL = "aws:kms/externalKey:ExternalKey"
REPLICA_EXTERNAL = "aws:kms/replicaExternalKey:ReplicaExternalKey"
SECRET = "aws:secretsmanager/secret:Secret"
SECRET_KEY = rule("sec-02-secret-tenant-key")
ROTATION = rule("sec-01-kms-key-rotation")
WINDOW = rule("sec-01-kms-deletion-window")
PUBLIC_DECRYPT = rule("sec-08-kms-no-public-decrypt")
EXPLICIT_POLICY = rule("sec-08-kms-explicit-key-policy")
TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}


def secret_with_key(value: str) -> list[Res]:
    return secret_stack({**COMPLIANT_SECRET, "kmsKeyId": value}, deps=[])


# ---------------------------------------------------------------- class 3: exact key identity


def test_pass_alias_arn_of_the_tenant_in_its_own_account():
    assert run_stack(
        SECRET_KEY, secret_with_key("arn:aws:kms:us-east-1:111122223333:alias/acme-secrets")
    ).passed


def test_fail_alias_arn_following_the_tenant_naming_in_another_account():
    value = "arn:aws:kms:us-east-1:444455556666:alias/acme-secrets"
    assert run_stack(SECRET_KEY, secret_with_key(value)).violations == [
        f"aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId '{value}', a key in account 444455556666, "
        "not "
        "the tenant's account 111122223333; required: a customer-managed KMS key of tenant acme"
    ]


@pytest.mark.parametrize("alias", ["alias/acmeco-secrets", "alias/acme2-secrets", "alias/xacme-secrets"])
def test_fail_alias_of_a_tenant_whose_id_only_starts_or_ends_like_this_one(alias):
    assert run_stack(SECRET_KEY, secret_with_key(alias)).violations == [
        f"aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId '{alias}', not a key of this stack; "
        "required: a customer-managed KMS key of tenant acme"
    ]


def test_fail_aws_managed_alias_arn():
    value = "arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager"
    outcome = run_stack(SECRET_KEY, secret_with_key(value))
    assert outcome.violations == [
        f"aws:secretsmanager/secret:Secret 'acme-db' has kmsKeyId '{value}' (an AWS-managed key); "
        "required: a "
        "customer-managed KMS key of tenant acme"
    ]


# ---------------------------------------------------------------- class 1: every key type


@pytest.mark.parametrize("key_type", [REPLICA, EXTERNAL, REPLICA_EXTERNAL])
def test_pass_secret_encrypted_with_a_tenant_key_of_any_key_type(key_type):
    stack = [
        Res(key_type, "acme-secrets", {"tags": TAGS}),
        Res(SECRET, "acme-db", COMPLIANT_SECRET, prop_deps={"kmsKeyId": ["acme-secrets"]}),
    ]
    assert run_stack(SECRET_KEY, stack).passed


@pytest.mark.parametrize("key_type", [EXTERNAL, REPLICA_EXTERNAL])
def test_fail_imported_key_material_cannot_rotate(key_type):
    assert run_resource(ROTATION, key_type, {"tags": TAGS, "deletionWindowInDays": 30}).violations == [
        f"{key_type} 'subject' has imported key material, which KMS cannot rotate automatically; "
        "required: an "
        "aws:kms/key:Key with enableKeyRotation true"
    ]


def test_pass_replica_key_rotation_follows_its_primary():
    assert run_resource(ROTATION, REPLICA, {"primaryKeyArn": UNKNOWN, "tags": TAGS}).passed


@pytest.mark.parametrize("key_type", [REPLICA, EXTERNAL, REPLICA_EXTERNAL])
def test_fail_short_deletion_window_on_every_key_type(key_type):
    assert run_resource(WINDOW, key_type, {"deletionWindowInDays": 7}).violations == [
        f"{key_type} 'subject' has deletionWindowInDays 7; required: at least 14"
    ]


@pytest.mark.parametrize("key_type", [REPLICA, EXTERNAL])
def test_fail_public_decrypt_on_replica_and_external_keys(key_type):
    props = {**REGULATED_KEY, "policy": json.dumps({"Statement": [PUBLIC]})}
    outcome = run_resource(PUBLIC_DECRYPT, key_type, props, tenant=GLOBEX)
    assert outcome.violations == [
        f"{key_type} 'subject' policy statement 'Public' allows kms:Decrypt (Action 'kms:*') to Principal "
        "{'AWS': '*'} without a Condition; required: named principals or a Condition"
    ]


def test_fail_replica_key_without_an_explicit_policy():
    stack = [Res(REPLICA, "replica", {"primaryKeyArn": UNKNOWN, "tags": {**TAGS, "tenant": "globex"}})]
    assert run_stack(EXPLICIT_POLICY, stack, tenant=GLOBEX).violations == [
        f"{REPLICA} 'replica' has policy missing and no aws:kms/keyPolicy:KeyPolicy attached; required: an "
        "explicit key policy"
    ]


# ---------------------------------------------------------------- class 3 and 2: spellings, unknowns


@pytest.mark.parametrize(
    ("principal", "action"),
    [
        ("*", "KMS:DECRYPT"),
        ({"AWS": "arn:aws:iam::*:root"}, "kms:De*"),
        ({"AWS": ["*"]}, ["kms:Encrypt", "*"]),
    ],
)
def test_fail_public_decrypt_in_any_spelling(principal, action):
    statement = {"Sid": "Open", "Effect": "allow", "Principal": principal, "Action": action, "Resource": "*"}
    props = {**REGULATED_KEY, "policy": json.dumps({"Statement": [statement]})}
    outcome = run_resource(PUBLIC_DECRYPT, KEY, props, tenant=GLOBEX)
    assert len(outcome.violations) == 1 and "statement 'Open' allows kms:Decrypt" in outcome.violations[0]


def test_fail_public_not_action_statement_that_does_not_exclude_decrypt():
    statement = {
        "Sid": "Open",
        "Effect": "Allow",
        "Principal": "*",
        "NotAction": "kms:Encrypt",
        "Resource": "*",
    }
    props = {**REGULATED_KEY, "policy": json.dumps({"Statement": [statement]})}
    assert run_resource(PUBLIC_DECRYPT, KEY, props, tenant=GLOBEX).violations == [
        "aws:kms/key:Key 'subject' policy statement 'Open' allows kms:Decrypt (NotAction 'kms:Encrypt') to "
        "Principal '*' without a Condition; required: named principals or a Condition"
    ]


def test_fail_unknown_statement_does_not_hide_the_public_statement_beside_it():
    props = {
        **REGULATED_KEY,
        "policy": {"Statement": [{"Effect": "Allow", "Principal": UNKNOWN, "Action": "kms:*"}, PUBLIC]},
    }
    outcome = run_resource(PUBLIC_DECRYPT, KEY, props, tenant=GLOBEX)
    assert len(outcome.violations) == 1 and "statement 'Public'" in outcome.violations[0]
    assert outcome.undecided is None


def test_undecided_unknown_statement_alone():
    props = {
        **REGULATED_KEY,
        "policy": {"Statement": [{"Effect": "Allow", "Principal": UNKNOWN, "Action": "kms:*"}]},
    }
    outcome = run_resource(PUBLIC_DECRYPT, KEY, props, tenant=GLOBEX)
    assert outcome.violations == [] and "policy Statement[0]" in (outcome.undecided or "")


def test_pass_compliant_key_variants():
    assert run_resource(ROTATION, KEY, COMPLIANT_KEY).passed
    assert run_resource(PUBLIC_DECRYPT, KEY, REGULATED_KEY, tenant=GLOBEX).passed
    assert run_stack(SECRET_KEY, with_props(secret_stack(), "acme-db", "kmsKeyId", UNKNOWN)).passed
