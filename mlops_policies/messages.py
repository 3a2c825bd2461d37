"""How the data-leakage rules show a property value and its path in messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_policies.props import UNKNOWN


def as_shown(value: Any) -> str:
    """A property value as messages show it: 'text', true/false, numbers, or missing."""
    if value is None:
        return "missing"
    if value is UNKNOWN:
        return "(unknown until apply)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return repr(value)
    return "an object" if isinstance(value, Mapping) else "a list"


def prop_path(prop: str, *path: str | int) -> str:
    text = prop
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text


def located(owner: str, where: str) -> str:
    return f"{owner} {where}" if where else owner
