"""The rule `sec-03-secret-rotation`, one of the SEC-03 rules.

SEC-03: Secrets rotate.
"""

from __future__ import annotations

import re

from pulumi_policy import PolicyResource, Severity

from mlops_policies.props import as_int, get, known
from mlops_policies.references import unresolved_references
from mlops_policies.resource_types import SECRET
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule
from mlops_policies.schedules import schedule_max_gap_days

SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTH = r"(?:1[0-2]|0?[1-9]|" + "|".join(_MONTHS) + ")"
_MONTH_PART = re.compile(rf"(\*|{_MONTH})(?:-({_MONTH}))?(?:/([0-9]{{1,2}}))?", re.IGNORECASE)
# `L-n` (n days before the month's last day) exists in every month for n <= 27; consecutive firings are
# one month's length apart, as the 1st's are.
_LAST_MINUS = re.compile(r"L-(?:[0-9]|1[0-9]|2[0-7])")


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else _MONTHS.index(text.upper()) + 1


def _months(field: str) -> set[int] | None:
    """The months a cron month field selects (1-12), None when it cannot be read."""
    found: set[int] = set()
    for part in field.split(","):
        match = _MONTH_PART.fullmatch(part)
        if not match:
            return None
        start, end, step = match.groups()
        first = 1 if start == "*" else _month_number(start)
        last = 12 if start == "*" else _month_number(end) if end else first
        if step is not None and int(step) < 1:
            return None
        if end is None and step is not None and start != "*":
            last = 12  # `3/2`: from March every second month
        found.update(range(first, last + 1, int(step) if step else 1))
    return found


def _cron_as_monthly(schedule: str) -> str:
    """The schedule with every-month spellings `schedule_max_gap_days` does not read (month `1-12` or
    `JAN-DEC`, day `L-3`) rewritten to the ones it does (month `*`, day `1`); others unchanged."""
    match = re.fullmatch(r"\s*cron\((.*)\)\s*", schedule, re.IGNORECASE)
    fields = match.group(1).split() if match else []
    if len(fields) != 6:
        return schedule
    if _months(fields[3]) == set(range(1, 13)):
        fields[3] = "*"
    if _LAST_MINUS.fullmatch(fields[2]):
        fields[2] = "1"
    return f"cron({' '.join(fields)})"


def _rotation_problem(rotation: PolicyResource, max_days: int) -> str | None:
    days = get(rotation.props, "rotationRules", "automaticallyAfterDays")
    if days is not None:
        count = as_int(days)
        return None if count is not None and 1 <= count <= max_days else f"automaticallyAfterDays {days!r}"
    schedule = get(rotation.props, "rotationRules", "scheduleExpression")
    if isinstance(schedule, str):
        gap = schedule_max_gap_days(_cron_as_monthly(schedule))
        return None if gap is not None and gap <= max_days else f"scheduleExpression {schedule!r}"
    return "no automaticallyAfterDays or scheduleExpression"


def _rotations_of(stack: StackCheck, secret: PolicyResource) -> list[PolicyResource]:
    found = stack.attached_to(secret, [SECRET_ROTATION], "secretId")
    arn = known(secret.props, "arn")
    if isinstance(arn, str):
        found += [
            r for r in stack.of_type(SECRET_ROTATION) if r not in found and known(r.props, "secretId") == arn
        ]
    return found


@stack_rule(
    "sec-03-secret-rotation",
    control="SEC-03",
    types=[SECRET, SECRET_ROTATION],
    severity=Severity.MEDIUM,
    description="Every Secrets Manager secret has a SecretRotation (secretId from the secret) whose "
    "rotationRules rotate it at least every `maxRotationDays` (default 90) days: automaticallyAfterDays, "
    "rate(N days), or a cron that fires every month.",
    remediation="Add aws.secretsmanager.SecretRotation(secret_id=secret.id, rotation_lambda_arn=..., "
    "rotation_rules={'automatically_after_days': 30}) for each secret (or a managed-rotation schedule).",
    config={"maxRotationDays": {"type": "integer", "default": 90}},
)
def secret_rotation(stack: StackCheck) -> None:
    max_days = stack.config["maxRotationDays"]
    required = f"rotation at least every {max_days} days"
    for secret in stack.of_type(SECRET):
        with stack.deciding(secret):
            rotations = _rotations_of(stack, secret)
            if not rotations:
                unresolved = unresolved_references(stack, SECRET_ROTATION, "secretId")
                if unresolved:
                    raise Undecided([f"secretId of {label(unresolved[0])} is unknown, with no dependencies"])
                stack.fail(secret, f"{label(secret)} has no {SECRET_ROTATION}; required: {required}")
                continue
            problems = [(rotation, _rotation_problem(rotation, max_days)) for rotation in rotations]
            if all(problem for _, problem in problems):
                rotation, problem = problems[0]
                stack.fail(
                    secret,
                    f"{label(secret)} rotates through {label(rotation)} with rotationRules {problem}; "
                    f"required: {required} (automaticallyAfterDays <= {max_days}, rate(N days) with "
                    f"N <= {max_days}, or a cron firing every month)",
                )
