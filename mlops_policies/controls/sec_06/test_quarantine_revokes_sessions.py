from __future__ import annotations

import json

from mlops_policies.controls.sec_06.quarantine_revokes_sessions import quarantine_revokes_sessions as rule
from tests.policies.harness import Res, run_stack
from tests.policies.incident import SINCE, quarantined

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def revoke(since: str = SINCE, action: str = "*") -> str:
    statement = {
        "Effect": "Deny",
        "Action": action,
        "Resource": "*",
        "Condition": {"DateLessThan": {"aws:TokenIssueTime": since}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def stack(policy: str | None = None) -> list[Res]:
    resources = [
        Res(ROLE, "acme-workspace-dev-workload-role", {"name": "acme-dev-workload"}),
        Res(ROLE, "acme-cluster-node-role", {"name": "acme-eks-node"}),
    ]
    if policy is not None:
        resources.append(
            Res(
                ROLE_POLICY,
                "acme-incident-dev-revoke-sessions",
                {"role": "acme-dev-workload", "policy": policy},
                prop_deps={"role": ["acme-workspace-dev-workload-role"]},
            )
        )
    return resources


def test_pass_every_workload_role_denies_sessions_issued_before_the_quarantine() -> None:
    with quarantined():
        assert run_stack(rule, stack(revoke())).passed


def test_pass_is_not_applicable_to_a_stack_that_is_not_quarantined() -> None:
    with quarantined(None):
        outcome = run_stack(rule, stack())

    assert outcome.not_applicable == "the stack is not quarantined (no landingzone:incident)"


def test_fail_a_workload_role_without_a_revocation_policy() -> None:
    with quarantined():
        outcome = run_stack(rule, stack())

    assert outcome.violations == [
        "aws:iam/role:Role 'acme-workspace-dev-workload-role': no inline policy denies sessions issued "
        "before the quarantine (ticket INC-42); required: Deny Action * Resource * with DateLessThan "
        f"aws:TokenIssueTime {SINCE}"
    ]


def test_fail_a_revocation_dated_before_the_quarantine() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(revoke("2026-01-01T00:00:00Z")))

    assert (
        len(outcome.violations) == 1 and "DateLessThan aws:TokenIssueTime 2026-12-02" in outcome.violations[0]
    )


def test_fail_a_revocation_that_denies_only_some_actions() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(revoke(action="s3:*")))

    assert len(outcome.violations) == 1
