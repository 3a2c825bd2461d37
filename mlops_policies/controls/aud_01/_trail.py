"""One CloudTrail flag judged against its required value (AUD-01)."""

from __future__ import annotations

from mlops_policies.props import as_bool, get, shown
from mlops_policies.rule import ResourceCheck


def trail_flag(r: ResourceCheck, prop: str, default: bool | None) -> None:
    raw = get(r.props, prop)
    value = default if raw is None else as_bool(raw)
    if value is not True:
        found = shown(raw)
        r.fail(f"{r.label} has {prop} {found}; required: true")
