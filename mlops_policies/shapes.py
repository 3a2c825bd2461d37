"""Shape-tolerant readers with no Pulumi import, so the live audit reads documents exactly as the gate.

`mlops_policies.props` re-exports them beside its preview-aware readers (`known`, `indices`, ...).
They turn every wrong shape into "absent" and never raise on their own; a Pulumi proxy value that is
unknown during preview raises `UnknownValueError` when read, and that must propagate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def get(obj: Any, *path: str | int, default: Any = None) -> Any:
    """obj[path[0]][path[1]]..., or `default` where a step is missing or of the wrong shape."""
    current = obj
    for step in path:
        if isinstance(step, int):
            if not is_sequence(current) or not -len(current) <= step < len(current):
                return default
            current = current[step]
        else:
            if not isinstance(current, Mapping) or step not in current:
                return default
            current = current[step]
        if current is None:
            return default
    return current


def as_list(value: Any) -> list[Any]:
    """A list for a sequence; a one-item list for a scalar or mapping (IAM allows both); [] for None."""
    if value is None:
        return []
    if is_sequence(value):
        return list(value)
    return [value]


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
