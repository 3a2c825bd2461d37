"""mlops_policies.iam_match: AWS's matching semantics, each case written against IAM's documented rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlops_policies.iam_match import (
    KeyRef,
    account_of,
    action_matches,
    belongs_to_tenant,
    broad_allow,
    confined,
    everyone,
    foreign_account_roots,
    foreign_accounts,
    grants_action,
    parse_key,
    reaches_resource,
    resources_outside,
    tenant_alias,
)

TENANT_BUCKETS = ["arn:aws:s3:::acme-dataset-111122223333", "arn:aws:s3:::acme-dataset-111122223333/*"]


@pytest.mark.parametrize(
    "pattern",
    ["kms:Decrypt", "KMS:DECRYPT", "kms:*", "KMS:*", "*", "kms:Decr*", "kms:De?rypt", " kms:decrypt"],
)
def test_action_patterns_reach_decrypt_whatever_their_case_or_wildcard(pattern):
    assert action_matches(pattern, "kms:Decrypt")


@pytest.mark.parametrize("pattern", ["kms:Encrypt", "s3:*", "kms:Decrypt2", "kms:Get*"])
def test_action_patterns_that_do_not_reach_decrypt(pattern):
    assert not action_matches(pattern, "kms:Decrypt")


def test_the_question_may_hold_a_wildcard_too():
    assert action_matches("s3:GetObject", "s3:Get*")
    assert action_matches("S3:*", "s3:Put*")
    assert not action_matches("s3:ListBucket", "s3:Get*")


def test_not_action_grants_every_action_it_does_not_fully_exclude():
    statement = {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}
    assert grants_action(statement, "kms:Decrypt")
    assert not grants_action(statement, "IAM:CreateUser")
    assert grants_action({"Effect": "Allow", "NotAction": "kms:Encrypt"}, "kms:*")


def test_a_statement_without_action_grants_nothing():
    assert not grants_action({"Effect": "Allow", "Resource": "*"}, "*")


def test_not_resource_and_not_action_allows_are_broad():
    assert broad_allow({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::x"}) == (
        "NotResource ['arn:aws:s3:::x'] (everything not listed)"
    )
    assert broad_allow({"Effect": "allow", "NotAction": "s3:*", "Resource": "*"}) == (
        "NotAction ['s3:*'] (everything not listed)"
    )
    assert broad_allow({"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}) is None
    assert broad_allow({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}) is None


def test_resources_without_resource_key_read_as_everything():
    assert reaches_resource({"Effect": "Allow", "Action": "sts:AssumeRole"}, "arn:aws:iam::1:role/x")
    assert not reaches_resource({"NotResource": "arn:aws:s3:::*"}, "arn:aws:s3:::acme-x")


@pytest.mark.parametrize(
    "pattern",
    [
        "*",
        "arn:*",
        "arn:aws:s3:::*",
        "arn:aws:s3:::acme-*",
        "arn:aws:s3:::acme*",
        "arn:aws:s3:::acme-dataset-*",
    ],
)
def test_wildcards_of_any_shape_reach_beyond_the_tenants_named_buckets(pattern):
    assert not confined(pattern, TENANT_BUCKETS)
    assert resources_outside({"Effect": "Allow", "Resource": [pattern]}, TENANT_BUCKETS) == [pattern]


def test_exact_names_and_object_wildcards_of_own_buckets_stay_confined():
    assert confined("arn:aws:s3:::acme-dataset-111122223333/*", TENANT_BUCKETS)
    assert confined("arn:aws:s3:::acme-dataset-111122223333/train/*", TENANT_BUCKETS)
    assert confined("arn:aws:s3:::acme-dataset-111122223333", TENANT_BUCKETS)
    assert not confined("arn:aws:s3:::ACME-dataset-111122223333", TENANT_BUCKETS)


def test_not_resource_and_no_resource_reach_outside():
    assert resources_outside({"NotResource": "arn:aws:s3:::acme-x"}, TENANT_BUCKETS) == ["NotResource"]
    assert resources_outside({"Action": "s3:*"}, TENANT_BUCKETS) == ["*"]


@pytest.mark.parametrize(
    ("principal", "found"),
    [
        ("*", "Principal '*'"),
        ({"AWS": "*"}, "Principal {'AWS': '*'}"),
        ({"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Principal {'AWS': '*'}"),
        ({"AWS": "arn:aws:iam::*:root"}, "Principal {'AWS': 'arn:aws:iam::*:root'}"),
    ],
)
def test_every_spelling_of_everyone(principal, found):
    assert everyone({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}) == found


def test_not_principal_in_an_allow_is_everyone_and_named_principals_are_not():
    assert (
        everyone({"Effect": "Allow", "NotPrincipal": {"AWS": "x"}})
        == "NotPrincipal (every principal not listed)"
    )
    assert everyone({"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}}) is None
    assert everyone({"Effect": "Deny", "Principal": "*"}) is None


def test_accounts_of_principals():
    assert account_of("444455556666") == "444455556666"
    assert account_of("arn:aws:iam::444455556666:root") == "444455556666"
    assert account_of("arn:aws-us-gov:iam::444455556666:role/x") == "444455556666"
    assert account_of("eks.amazonaws.com") is None
    statement = {"Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]}}
    assert foreign_accounts(statement, "111122223333") == ["arn:aws:iam::444455556666:root"]


def test_key_references_parse_to_exact_identities():
    own = "arn:aws:kms:us-east-1:111122223333:alias/acme-data"
    other = "arn:aws:kms:us-east-1:444455556666:alias/acme-data"
    assert parse_key(own) == KeyRef("alias", "alias/acme-data", "111122223333", "us-east-1")
    assert not parse_key(own).same_key(parse_key(other))  # type: ignore[union-attr]
    assert parse_key("alias/acme-data").same_key(parse_key(own))  # type: ignore[union-attr]
    assert parse_key(other).in_account("111122223333") is False  # type: ignore[union-attr]
    key = parse_key("arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef")
    assert key == KeyRef("key", "mrk-0123456789abcdef0123456789abcdef", "111122223333", "us-east-1")
    assert parse_key("1234abcd-12ab-34cd-56ef-1234567890ab") == KeyRef(
        "key", "1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    assert parse_key("not a key") is None and parse_key(None) is None


@pytest.mark.parametrize(
    ("name", "mine"), [("acme", True), ("acme-data", True), ("acme2", False), ("acmeco-x", False)]
)
def test_tenant_identity_needs_an_exact_boundary(name, mine):
    assert belongs_to_tenant(name, "acme") is mine


def test_tenant_alias_naming():
    assert tenant_alias("alias/acme-data", "acme")
    assert not tenant_alias("alias/acmeco-data", "acme")
    assert not tenant_alias("alias/acme", "acme")


@given(st.sampled_from(["s3:GetObject", "kms:Decrypt", "iam:PassRole", "sts:AssumeRole"]), st.data())
def test_generated_case_and_wildcard_variants_of_an_action_still_match_it(action, data):
    service, name = action.split(":")
    cut = data.draw(st.integers(0, len(name)))
    variant = data.draw(
        st.sampled_from([f"{service}:{name[:cut]}*", f"{service}:*", "*", f"{service}:{name}"])
    )
    cased = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in variant)
    assert action_matches(cased, action)
    assert grants_action({"Effect": "Allow", "Action": [cased]}, action)


def test_foreign_account_roots_are_whole_accounts_only():
    statement = {
        "Principal": {
            "AWS": ["arn:aws:iam::444455556666:root", "arn:aws:iam::444455556666:role/x", "555566667777"]
        }
    }
    assert foreign_account_roots(statement, "111122223333") == [
        "arn:aws:iam::444455556666:root",
        "555566667777",
    ]
    assert foreign_account_roots(statement, None) == []


# The literal fast paths (a regex per pattern) must answer as the dynamic-programming tables do.
_PATTERN = st.text(alphabet="ab*?:\n.", max_size=8)


@given(_PATTERN, _PATTERN)
def test_pass_fast_overlap_answers_as_the_table(a, b):
    from mlops_policies.iam_match import _overlap_by_table, patterns_overlap

    assert patterns_overlap(a, b) == _overlap_by_table(a, b)


@given(_PATTERN, _PATTERN)
def test_pass_fast_cover_answers_as_the_table(outer, inner):
    from mlops_policies.iam_match import _covers_by_table, pattern_covers

    assert pattern_covers(outer, inner) == _covers_by_table(outer, inner)


def test_fail_a_literal_is_not_covered_by_a_longer_literal_nor_a_wildcard_by_a_literal():
    from mlops_policies.iam_match import pattern_covers, patterns_overlap

    assert not pattern_covers("arn:aws:s3:::acme", "arn:aws:s3:::acme-labs")
    assert not pattern_covers("arn:aws:s3:::acme-data", "arn:aws:s3:::acme-*")
    assert pattern_covers("arn:aws:s3:::acme-*", "arn:aws:s3:::acme-data/key")
    assert not patterns_overlap("s3:getobject", "S3:GetObject")
    assert patterns_overlap("s3:getobject", "S3:Get*", ignore_case=True)
