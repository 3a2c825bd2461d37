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


@pytest.mark.parametrize("resource", ["arn:*:*:*:*:*", "arn:aws:*:*:*:*"])
def test_fail_star_on_a_pattern_matching_every_arn(resource: str):
    outcome = run_resource(
        no_admin_policy_document, POLICY, {"policy": doc({**READ, "Action": "*", "Resource": resource})}
    )
    assert outcome.violations == [
        f"aws:iam/policy:Policy 'subject' has policy with Allow Action '*' on Resource {resource!r} (every "
        "resource); required: no administrator grants"
    ]


def test_fail_not_action_on_a_pattern_matching_every_arn():
    statement = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:*:*:*:*:*"}
    outcome = run_resource(no_admin_policy_document, POLICY, {"policy": doc(statement)})
    assert outcome.violations == [
        "aws:iam/policy:Policy 'subject' has policy with Allow with NotAction on Resource 'arn:*:*:*:*:*' "
        "(every resource) (every action not listed); required: no administrator grants"
    ]


@pytest.mark.parametrize(
    ("action", "resource", "shown"),
    [
        ("iam:*", "arn:aws:iam::*:*", "every IAM resource"),
        ("kms:*", "arn:aws:kms:*:*:*", "every KMS resource"),
        ("sts:*", "arn:aws:sts::*:*", "every STS resource"),
    ],
)
def test_fail_service_star_on_every_arn_of_that_service(action: str, resource: str, shown: str):
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    outcome = run_resource(no_admin_policy_document, POLICY, {"policy": doc(statement)})
    assert outcome.violations == [
        f"aws:iam/policy:Policy 'subject' has policy with Allow Action {action!r} on Resource {resource!r} "
        f"({shown}); required: no administrator grants"
    ]


def test_pass_star_on_every_arn_of_one_service_only():
    # Not every resource: '*' on every S3 ARN is S3 administration, judged by the data controls.
    statement = {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*"}
    assert run_resource(no_admin_policy_document, POLICY, {"policy": doc(statement)}).passed
