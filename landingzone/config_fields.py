"""Field types and validators the stack config models share: whole numbers, names, limits, uniqueness.

Messages name what YAML did to a value and what is allowed, so every model reports problems the same way.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

# Control minimums (controls.yaml): below these no tenant may go, whatever its tier.
MIN_AUDIT_RETENTION_DAYS = 365
MIN_REGISTRY_RETENTION_DAYS = 30
MIN_LOG_RETENTION_DAYS = 90
MAX_ARTIFACT_RETENTION_DAYS = 365
MAX_SECRET_ROTATION_DAYS = 90
MAX_GPU_NODES = 16
# S3 object lock keeps a version at most 100 years (36,500 days); longer is refused by AWS.
MAX_OBJECT_LOCK_DAYS = 36500


def whole_number(value: Any) -> Any:
    """YAML and JSON turn `true`, `365.0` and `"365"` into other types; a count of days must be a number."""
    if isinstance(value, bool):
        raise ValueError(
            f"found {str(value).lower()}: YAML reads an unquoted true/false/yes/no/on/off as a boolean; "
            "required: a whole number"
        )
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        raise ValueError(f"found the text '{value}'; required: a whole number, unquoted")
    return value


WholeNumber = Annotated[int, BeforeValidator(whole_number)]


def matching(pattern: str, allowed: str) -> AfterValidator:
    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise ValueError(f"{value!r} is not allowed: {allowed}")
        return value

    return AfterValidator(check)


TenantId = Annotated[
    str, matching(r"[a-z][a-z0-9-]{1,18}[a-z0-9]", "3-20 of a-z, 0-9 and '-', starting with a letter")
]
ResourceName = Annotated[
    str, matching(r"[a-z][a-z0-9-]{0,30}[a-z0-9]", "2-32 of a-z, 0-9 and '-', starting with a letter")
]
AccountId = Annotated[str, matching(r"[0-9]{12}", "an AWS account id of 12 digits, quoted")]
AvailabilityZone = Annotated[
    str, matching(r"[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]", "an availability zone such as us-east-1a")
]


class StrictModel(BaseModel):
    """Unknown keys are errors (a typo must not be silently ignored); values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


CLOUDWATCH_RETENTION_DAYS = [
    90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]  # fmt: skip


def at_most(value: int, maximum: int) -> int:
    if value > maximum:
        raise ValueError(f"{value} days is above the S3 object-lock maximum of {maximum} days (100 years)")
    return value


def at_least(value: int, minimum: int, control: str) -> int:
    if value < minimum:
        raise ValueError(f"{value} days is below the {control} minimum of {minimum} days")
    return value


def unique(values: list[Any], what: str) -> list[Any]:
    seen: set[Any] = set()
    duplicates = sorted({str(v) for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]
    if duplicates:
        raise ValueError(f"duplicate {what}: {duplicates}; each must appear once")
    return values
