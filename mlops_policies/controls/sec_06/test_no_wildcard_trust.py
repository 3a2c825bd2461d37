"""Cases for `sec-06-no-wildcard-trust`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.sec_06._fixtures import IRSA_STATEMENT, trust
from mlops_policies.controls.sec_06.no_wildcard_trust import no_wildcard_trust
from tests.policies.harness import run_resource
from tests.policies.secrets_fixtures import ROLE


@pytest.mark.parametrize(
    ("principal", "found"),
    [
        ("*", "Principal '*'"),
        ({"AWS": "*"}, "Principal {'AWS': '*'}"),
        ({"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Principal {'AWS': '*'}"),
        ({"AWS": "arn:aws:iam::*:root"}, "Principal {'AWS': 'arn:aws:iam::*:root'}"),
    ],
)
def test_fail_trust_policy_with_a_bare_wildcard_principal(principal, found):
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    outcome = run_resource(no_wildcard_trust, ROLE, trust(statement))
    assert outcome.violations == [
        f"aws:iam/role:Role 'subject' assumeRolePolicy statement #1 allows {found}; "
        "required: named principals"
    ]


def test_fail_allow_with_not_principal_trusts_everyone_else():
    statement = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::1:root"},
        "Action": "sts:AssumeRole",
    }
    outcome = run_resource(no_wildcard_trust, ROLE, trust(statement))
    assert len(outcome.violations) == 1
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy statement #1 allows NotPrincipal (every "
        "principal not listed); required: named principals",
    ]


def test_pass_deny_statement_with_wildcard_principal_only_restricts():
    deny = {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-123"}}}  # fmt: skip
    assert run_resource(no_wildcard_trust, ROLE, trust(IRSA_STATEMENT, deny)).passed
