"""Cases for `ten-04-no-administrator-access`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.ten_04._fixtures import POLICY, READ
from mlops_policies.controls.ten_04.no_administrator_access import no_administrator_access
from tests.policies.harness import UNKNOWN, Res, run_stack
from tests.policies.tenancy_fixtures import ATTACHMENT, ROLE, doc

ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


def test_pass_attachment_of_a_stack_policy_in_a_first_preview():
    stack = [
        Res(POLICY, "reader", {"policy": doc(READ)}),
        Res(
            ATTACHMENT,
            "attach",
            {"role": "acme-dev-workload", "policyArn": UNKNOWN},
            prop_deps={"policyArn": ["reader"]},
        ),
    ]
    assert run_stack(no_administrator_access, stack).passed


def test_fail_administrator_access_attached_in_any_partition():
    for arn in (ADMIN_ARN, "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"):
        outcome = run_stack(
            no_administrator_access, [Res(ATTACHMENT, "attach", {"role": "r", "policyArn": arn})]
        )
        assert outcome.violations == [
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment 'attach' has policyArn AdministratorAccess; "
            "required: least-privilege policies of the stack"
        ]


@pytest.mark.parametrize("name", ["IAMFullAccess", "PowerUserAccess"])
def test_fail_other_administrator_managed_policies_attached(name: str):
    arn = f"arn:aws:iam::aws:policy/{name}"
    outcome = run_stack(no_administrator_access, [Res(ATTACHMENT, "attach", {"role": "r", "policyArn": arn})])
    assert outcome.violations == [
        f"aws:iam/rolePolicyAttachment:RolePolicyAttachment 'attach' has policyArn {name}; "
        "required: least-privilege policies of the stack"
    ]


def test_pass_narrower_managed_policies_attached():
    for name in ("ReadOnlyAccess", "job-function/SystemAdministrator", "AmazonS3ReadOnlyAccess"):
        arn = f"arn:aws:iam::aws:policy/{name}"
        assert run_stack(
            no_administrator_access, [Res(ATTACHMENT, "attach", {"role": "r", "policyArn": arn})]
        ).passed


def test_fail_administrator_access_in_managed_policy_arns():
    role = Res(
        ROLE,
        "admin",
        {
            "assumeRolePolicy": doc(),
            "managedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", ADMIN_ARN],
        },
    )
    outcome = run_stack(no_administrator_access, [role])
    assert outcome.violations
    assert outcome.violations == [
        "aws:iam/role:Role 'admin' has managedPolicyArns AdministratorAccess; required: "
        "least-privilege policies of the stack",
    ]


def test_undecided_unknown_policy_arn_without_dependency():
    outcome = run_stack(
        no_administrator_access, [Res(ATTACHMENT, "attach", {"role": "r", "policyArn": UNKNOWN})]
    )
    assert outcome.violations == [] and outcome.undecided is not None
