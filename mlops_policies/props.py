"""Shape-tolerant readers for resource properties (policy documents: `mlops_policies.policy_documents`).

Policies see whatever a program passed: missing fields, nulls, lists where objects belong, JSON
strings or objects. These readers turn every wrong shape into "absent" so a rule judges it as
missing, and never raise, except `UnknownValueError`, which must propagate: an unknown value during
preview is not a missing value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError

from mlops_policies.shapes import as_list, as_str, get
from mlops_policies.shapes import is_sequence as _is_sequence

__all__ = [
    "UNKNOWN",
    "UnknownValueError",
    "as_bool",
    "as_int",
    "as_list",
    "as_str",
    "get",
    "indices",
    "item",
    "known",
    "sequence_items",
    "shown",
    "tags_of",
]


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN: Any = _Unknown()


def indices(obj: Any, *path: str | int) -> range:
    """The indices of the list at `path` (a scalar or mapping counts as one item at index 0, as IAM
    allows), without reading the items: iterate with them and read each item inside its own
    `deciding` scope, so an unknown item defers only itself. Raises `UnknownValueError` only when the
    list itself is unknown."""
    value = get(obj, *path)
    if value is None:
        return range(0)
    return range(len(value)) if _is_sequence(value) else range(1)


def item(obj: Any, *path: str | int) -> Any:
    """The value at `path`, where a last int step into a scalar or mapping (see `indices`) is the value."""
    *parent, last = path
    container = get(obj, *parent)
    if isinstance(last, int) and container is not None and not _is_sequence(container):
        return container if last == 0 else None
    return get(obj, *path)


def known(obj: Any, *path: str | int, default: Any = None) -> Any:
    """Like `get`, but returns UNKNOWN instead of raising when the value is unknown during preview."""
    try:
        return get(obj, *path, default=default)
    except UnknownValueError:
        return UNKNOWN


def shown(value: Any) -> str:
    """A property value as violation messages show it; never call it on a value that may be secret.

    In the words of the stack and the provider, not Python's: missing, true, false.
    """
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def sequence_items(value: Any) -> list[Any]:
    """The items of a sequence that is not a string; [] for anything else (a scalar is no list here)."""
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else []


def as_bool(value: Any) -> bool | None:
    """True/False for booleans and their string forms; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    return None


def tags_of(props: Any, key: str = "tags") -> dict[str, str]:
    """String tags (or labels) of a resource; non-string entries are treated as absent."""
    raw = get(props, key)
    if not isinstance(raw, Mapping):
        return {}
    return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)}
