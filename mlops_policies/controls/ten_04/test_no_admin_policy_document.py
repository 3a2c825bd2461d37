"""Cases for `ten-04-no-admin-policy-document`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.ten_04._fixtures import POLICY, READ
from mlops_policies.controls.ten_04.no_admin_policy_document import no_admin_policy_document
from tests.policies.harness import UNKNOWN, run_resource
from tests.policies.tenancy_fixtures import ROLE, ROLE_POLICY, doc


def test_pass_scoped_policy_documents():
    assert run_resource(no_admin_policy_document, POLICY, {"policy": doc(READ)}).passed
    scoped_iam = {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::111122223333:role/acme-*"}
    assert run_resource(
        no_admin_policy_document, ROLE_POLICY, {"role": "r", "policy": doc(scoped_iam)}
    ).passed


def test_fail_star_on_star():
    outcome = run_resource(no_admin_policy_document, POLICY, {"policy": doc(READ, {**READ, "Action": "*"})})
    assert outcome.violations == [
        "aws:iam/policy:Policy 'subject' has policy with Allow Action '*' on Resource '*'; required: no "
        "administrator grants"
    ]


@pytest.mark.parametrize(
    ("action", "messages"),
    [
        (
            "iam:*",
            [
                "aws:iam/rolePolicy:RolePolicy 'subject' has policy with Allow Action 'iam:*' on "
                "Resource '*'; required: no administrator grants",
            ],
        ),
        (
            "KMS:*",
            [
                "aws:iam/rolePolicy:RolePolicy 'subject' has policy with Allow Action 'KMS:*' on "
                "Resource '*'; required: no administrator grants",
            ],
        ),
        (
            "sts:*",
            [
                "aws:iam/rolePolicy:RolePolicy 'subject' has policy with Allow Action 'sts:*' on "
                "Resource '*'; required: no administrator grants",
            ],
        ),
        (
            "*:*",
            [
                "aws:iam/rolePolicy:RolePolicy 'subject' has policy with Allow Action '*:*' on "
                "Resource '*'; required: no administrator grants",
            ],
        ),
        (
            "iam:*",
            [
                "aws:iam/rolePolicy:RolePolicy 'subject' has policy with Allow Action 'iam:*' on "
                "Resource '*'; required: no administrator grants",
            ],
        ),
    ],
)
def test_fail_admin_services_on_star(action: str, messages):
    policy = {"Version": "2012-10-17", "Statement": {**READ, "Action": action}}  # an object, a lone statement
    outcome = run_resource(no_admin_policy_document, ROLE_POLICY, {"role": "r", "policy": policy})
    assert outcome.violations
    assert outcome.violations == messages


def test_fail_not_action_on_star():
    statement = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    outcome = run_resource(no_admin_policy_document, POLICY, {"policy": doc(statement)})
    assert "Allow with NotAction on Resource '*'" in outcome.violations[0]
    assert outcome.violations == [
        "aws:iam/policy:Policy 'subject' has policy with Allow with NotAction on Resource '*' "
        "(every action not listed); required: no administrator grants",
    ]


def test_fail_role_inline_policy():
    props = {
        "assumeRolePolicy": doc(),
        "inlinePolicies": [{"name": "x", "policy": doc({**READ, "Action": "*"})}],
    }
    assert run_resource(no_admin_policy_document, ROLE, props).violations == [
        "aws:iam/role:Role 'subject' has inlinePolicies[0].policy with Allow Action '*' on Resource '*'; "
        "required: no administrator grants"
    ]


def test_undecided_unknown_policy_document():
    assert run_resource(no_admin_policy_document, POLICY, {"policy": UNKNOWN}).undecided is not None
