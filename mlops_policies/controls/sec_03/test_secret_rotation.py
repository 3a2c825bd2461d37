"""Cases for `sec-03-secret-rotation`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlops_policies.controls.sec_03.secret_rotation import secret_rotation
from tests.policies.harness import DELETE, UNKNOWN, Res, changed, run_stack
from tests.policies.secrets_fixtures import ROTATION, SECRET, TAGS

ROTATED_SECRET = {"name": "acme/db", "kmsKeyId": UNKNOWN, "tags": TAGS}


COMPLIANT_ROTATION = {
    "secretId": UNKNOWN,
    "rotationLambdaArn": UNKNOWN,
    "rotationRules": {"automaticallyAfterDays": 30},
}


def rotation_stack(rotation: dict[str, Any] = COMPLIANT_ROTATION, deps: list[str] | None = None) -> list[Res]:
    deps = ["acme-db"] if deps is None else deps
    return [
        Res(SECRET, "acme-db", ROTATED_SECRET),
        Res(ROTATION, "acme-db-rotation", rotation, prop_deps={"secretId": deps} if deps else {}),
    ]


def test_pass_first_preview_rotation_attached_through_dependency():
    assert run_stack(secret_rotation, rotation_stack()).passed


def test_pass_rotation_attached_by_known_secret_name():
    assert run_stack(
        secret_rotation, rotation_stack(changed(COMPLIANT_ROTATION, "secretId", "acme/db"), [])
    ).passed


def test_fail_secret_without_rotation():
    outcome = run_stack(secret_rotation, [Res(SECRET, "acme-db", ROTATED_SECRET)])
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' has no aws:secretsmanager/secretRotation:SecretRotation; "
        "required: rotation at least every 90 days"
    ]


def test_fail_rotation_every_120_days():
    outcome = run_stack(secret_rotation, rotation_stack(changed(COMPLIANT_ROTATION, "rotationRules", {
        "automaticallyAfterDays": 120}))).violations  # fmt: skip
    assert outcome == [
        "aws:secretsmanager/secret:Secret 'acme-db' rotates through "
        "aws:secretsmanager/secretRotation:SecretRotation 'acme-db-rotation' with rotationRules "
        "automaticallyAfterDays 120; required: rotation at least every 90 days (automaticallyAfterDays <= "
        "90, "
        "rate(N days) with N <= 90, or a cron firing every month)"
    ]


@pytest.mark.parametrize(
    "expression",
    [
        "rate(30 days)", "rate(4 hours)", "cron(0 4 1 * ? *)", "cron(0 4 ? * MON *)",
        # Every month spelt out, and a day every month has counted from its end.
        "cron(0 0 1 1-12 ? *)", "cron(0 0 1 JAN-DEC ? *)", "cron(0 0 L-3 * ? *)", "cron(0 0 1 1-6,7-12 ? *)",
    ],
)  # fmt: skip
def test_pass_schedule_expressions_that_rotate_in_time(expression):
    rotation = changed(COMPLIANT_ROTATION, "rotationRules", {"scheduleExpression": expression})
    assert run_stack(secret_rotation, rotation_stack(rotation)).passed


@pytest.mark.parametrize(
    "expression",
    [
        "rate(120 days)", "cron(0 4 1 1 ? *)", "cron(0 4 31 * ? *)", "weekly",
        # Months skipped (rotations half a year apart), or a day February lacks.
        "cron(0 0 1 1-6 ? *)", "cron(0 0 1 1,7 ? *)", "cron(0 0 L-28 * ? *)",
    ],
)  # fmt: skip
def test_fail_schedule_expressions_that_cannot_be_shown_to_rotate_in_time(expression):
    rotation = changed(COMPLIANT_ROTATION, "rotationRules", {"scheduleExpression": expression})
    violations = run_stack(secret_rotation, rotation_stack(rotation)).violations
    assert violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' rotates through "
        "aws:secretsmanager/secretRotation:SecretRotation 'acme-db-rotation' with rotationRules "
        f"scheduleExpression {expression!r}; required: rotation at least every 90 days "
        "(automaticallyAfterDays <= 90, rate(N days) with N <= 90, or a cron firing every month)"
    ]


def test_fail_monthly_cron_when_the_maximum_is_shorter_than_a_month():
    rotation = changed(COMPLIANT_ROTATION, "rotationRules", {"scheduleExpression": "cron(0 4 1 * ? *)"})
    outcome = run_stack(secret_rotation, rotation_stack(rotation), config={"maxRotationDays": 14})
    assert len(outcome.violations) == 1 and "at least every 14 days" in outcome.violations[0]
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' rotates through "
        "aws:secretsmanager/secretRotation:SecretRotation 'acme-db-rotation' with rotationRules "
        "scheduleExpression 'cron(0 4 1 * ? *)'; required: rotation at least every 14 days "
        "(automaticallyAfterDays <= 14, rate(N days) with N <= 14, or a cron firing every month)",
    ]


def test_fail_rotation_without_rules():
    outcome = run_stack(secret_rotation, rotation_stack(changed(COMPLIANT_ROTATION, "rotationRules", DELETE)))
    assert "with rotationRules no automaticallyAfterDays or scheduleExpression" in outcome.violations[0]
    assert outcome.violations == [
        "aws:secretsmanager/secret:Secret 'acme-db' rotates through "
        "aws:secretsmanager/secretRotation:SecretRotation 'acme-db-rotation' with rotationRules no "
        "automaticallyAfterDays or scheduleExpression; required: rotation at least every 90 days "
        "(automaticallyAfterDays <= 90, rate(N days) with N <= 90, or a cron firing every month)",
    ]


def test_undecided_rotation_with_unknown_secret_and_no_dependencies():
    outcome = run_stack(secret_rotation, rotation_stack(deps=[]))
    assert (
        outcome.violations == [] and outcome.undecided is not None and "acme-db-rotation" in outcome.undecided
    )


def test_undecided_unknown_rotation_interval():
    rotation = changed(COMPLIANT_ROTATION, "rotationRules.automaticallyAfterDays", UNKNOWN)
    outcome = run_stack(secret_rotation, rotation_stack(rotation))
    assert outcome.violations == [] and outcome.undecided is not None
