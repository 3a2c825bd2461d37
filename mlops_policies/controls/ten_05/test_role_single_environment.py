"""Cases for `ten-05-role-single-environment`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.ten_05.role_single_environment import role_single_environment
from tests.policies.harness import Res, run_stack
from tests.policies.tenancy_fixtures import ROLE, STACK, TENANT, shared_role_stack, trust


def test_fail_role_trusting_two_environments():
    stack = [
        *STACK,
        Res(
            ROLE,
            "both",
            {
                "assumeRolePolicy": trust(
                    "system:serviceaccount:acme-dev:a", "system:serviceaccount:acme-prod:a"
                )
            },
        ),
    ]
    assert run_stack(role_single_environment, stack, tenant=TENANT).violations == [
        "aws:iam/role:Role 'both' has assumeRolePolicy trusting service accounts of environments dev, prod "
        "(namespaces acme-dev, acme-prod); required: one environment per role"
    ]


@pytest.mark.parametrize("subjects", [("system:serviceaccount:acme-*:trainer",), ()])
def test_fail_wildcard_or_missing_sub_condition_trusts_every_environment(subjects: tuple[str, ...]):
    stack = [*STACK, Res(ROLE, "wide", {"assumeRolePolicy": trust(*subjects)})]
    outcome = run_stack(role_single_environment, stack, tenant=TENANT)
    assert len(outcome.violations) == 1
    assert outcome.violations == [
        "aws:iam/role:Role 'wide' has assumeRolePolicy trusting service accounts of environments "
        "dev, prod (namespaces acme-dev, acme-prod); required: one environment per role",
    ]


def test_pass_every_environment_has_its_own_workload_role():
    assert run_stack(role_single_environment, STACK, tenant=TENANT).passed


def test_fail_role_trusting_dev_by_irsa_and_prod_by_pod_identity():
    outcome = run_stack(role_single_environment, shared_role_stack(), tenant=TENANT)
    assert outcome.violations == [
        "aws:iam/role:Role 'shared' has assumeRolePolicy trusting service accounts of environments dev, prod "
        "(namespaces acme-dev, acme-prod); required: one environment per role"
    ]
