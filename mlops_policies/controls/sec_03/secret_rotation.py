"""The rule `sec-03-secret-rotation`, one of the SEC-03 rules.

SEC-03: Secrets rotate.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies.props import as_int, get, known
from mlops_policies.references import unresolved_references
from mlops_policies.resource_types import SECRET
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule
from mlops_policies.schedules import schedule_max_gap_days

SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"


def _rotation_problem(rotation: PolicyResource, max_days: int) -> str | None:
    days = get(rotation.props, "rotationRules", "automaticallyAfterDays")
    if days is not None:
        count = as_int(days)
        return None if count is not None and 1 <= count <= max_days else f"automaticallyAfterDays {days!r}"
    schedule = get(rotation.props, "rotationRules", "scheduleExpression")
    if isinstance(schedule, str):
        gap = schedule_max_gap_days(schedule)
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
