"""Cases for `sec-08-kms-no-public-decrypt`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_policies.controls.sec_08._fixtures import GUARDED_POLICY, REGULATED_KEY
from mlops_policies.controls.sec_08.kms_explicit_key_policy import kms_explicit_key_policy
from mlops_policies.controls.sec_08.kms_no_public_decrypt import kms_no_public_decrypt
from tests.policies.harness import DELETE, GLOBEX, UNKNOWN, Res, changed, run_resource, run_stack
from tests.policies.secrets_fixtures import COMPLIANT_KEY, KEY, KEY_POLICY

PUBLIC = {"Sid": "Public", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}


def with_statement(props: dict[str, Any], statement: dict[str, Any]) -> dict[str, Any]:
    document = {**GUARDED_POLICY, "Statement": [*GUARDED_POLICY["Statement"], statement]}
    return changed(props, "policy", json.dumps(document))


def test_pass_regulated_key_with_guarded_policy():
    assert run_resource(kms_no_public_decrypt, KEY, REGULATED_KEY, tenant=GLOBEX).passed
    assert run_stack(kms_explicit_key_policy, [Res(KEY, "globex-data", REGULATED_KEY)], tenant=GLOBEX).passed


def test_fail_key_policy_granting_everything_to_everyone():
    outcome = run_resource(kms_no_public_decrypt, KEY, with_statement(REGULATED_KEY, PUBLIC), tenant=GLOBEX)
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' policy statement 'Public' allows kms:Decrypt (Action 'kms:*') to "
        "Principal {'AWS': '*'} without a Condition; required: named principals or a Condition"
    ]


@pytest.mark.parametrize(
    ("action", "messages"),
    [
        (
            "*",
            [
                "aws:kms/key:Key 'subject' policy statement 'Public' allows kms:Decrypt (Action '*') "
                "to Principal {'AWS': '*'} without a Condition; required: named principals or a Condition",
            ],
        ),
        (
            "kms:Decrypt",
            [
                "aws:kms/key:Key 'subject' policy statement 'Public' allows kms:Decrypt (Action "
                "'kms:Decrypt') to Principal {'AWS': '*'} without a Condition; required: named principals "
                "or a Condition",
            ],
        ),
        (
            "kms:Decr*",
            [
                "aws:kms/key:Key 'subject' policy statement 'Public' allows kms:Decrypt (Action "
                "'kms:Decr*') to Principal {'AWS': '*'} without a Condition; required: named principals or a "
                "Condition",
            ],
        ),
        (
            ["kms:Encrypt", "KMS:DECRYPT"],
            [
                "aws:kms/key:Key 'subject' policy statement 'Public' allows kms:Decrypt (Action "
                "['kms:Encrypt', 'KMS:DECRYPT']) to Principal {'AWS': '*'} without a Condition; required: "
                "named principals or a Condition",
            ],
        ),
    ],
)
def test_fail_every_spelling_of_decrypt(action, messages):
    props = with_statement(REGULATED_KEY, {**PUBLIC, "Action": action})
    outcome = run_resource(kms_no_public_decrypt, KEY, props, tenant=GLOBEX)
    assert len(outcome.violations) == 1
    assert outcome.violations == messages


def test_pass_public_statement_with_a_condition_or_without_decrypt():
    conditioned = {**PUBLIC, "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}
    assert run_resource(
        kms_no_public_decrypt, KEY, with_statement(REGULATED_KEY, conditioned), tenant=GLOBEX
    ).passed
    encrypt_only = {**PUBLIC, "Action": "kms:Encrypt"}
    assert run_resource(
        kms_no_public_decrypt, KEY, with_statement(REGULATED_KEY, encrypt_only), tenant=GLOBEX
    ).passed


def test_fail_standalone_key_policy_resource_granting_decrypt_to_everyone():
    props = with_statement(
        {"keyId": UNKNOWN, "policy": ""}, {**PUBLIC, "Principal": "*", "Action": "kms:Decrypt"}
    )
    outcome = run_resource(kms_no_public_decrypt, KEY_POLICY, props, tenant=GLOBEX)
    assert outcome.violations == [
        "aws:kms/keyPolicy:KeyPolicy 'subject' policy statement 'Public' allows kms:Decrypt (Action "
        "'kms:Decrypt') "
        "to Principal '*' without a Condition; required: named principals or a Condition"
    ]


def test_not_applicable_key_policy_rules_for_standard_tenant():
    assert (
        run_resource(kms_no_public_decrypt, KEY, with_statement(COMPLIANT_KEY, PUBLIC)).not_applicable
        is not None
    )
    key = Res(KEY, "acme-data", changed(COMPLIANT_KEY, "policy", DELETE))
    assert run_stack(kms_explicit_key_policy, [key]).not_applicable is not None


@pytest.mark.parametrize(
    ("action", "why"),
    [
        ("kms:ReEncrypt*", "kms:ReEncryptFrom (Action 'kms:ReEncrypt*'; it decrypts under the key)"),
        ("kms:CreateGrant", "kms:CreateGrant (Action 'kms:CreateGrant'; it can grant itself kms:Decrypt)"),
        (
            "kms:PutKeyPolicy",
            "kms:PutKeyPolicy (Action 'kms:PutKeyPolicy'; it can rewrite the key policy to allow "
            "kms:Decrypt)",
        ),
    ],
)
def test_fail_public_grant_of_an_action_amounting_to_decrypt(action: str, why: str):
    statement = {**PUBLIC, "Action": action}
    outcome = run_resource(
        kms_no_public_decrypt, KEY, with_statement(REGULATED_KEY, statement), tenant=GLOBEX
    )
    assert outcome.violations == [
        f"aws:kms/key:Key 'subject' policy statement 'Public' allows {why} to Principal {{'AWS': '*'}} "
        "without a Condition; required: named principals or a Condition"
    ]


def test_pass_public_generate_data_key_reads_no_ciphertext():
    statement = {**PUBLIC, "Action": "kms:GenerateDataKey*"}
    assert run_resource(
        kms_no_public_decrypt, KEY, with_statement(REGULATED_KEY, statement), tenant=GLOBEX
    ).passed
