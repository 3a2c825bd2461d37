"""Shape-tolerant readers for resource properties and IAM policy documents.

Policies see whatever a program passed: missing fields, nulls, lists where objects belong, JSON
strings or objects. These readers turn every wrong shape into "absent" so a rule judges it as
missing, and never raise, except `UnknownValueError`, which must propagate: an unknown value during
preview is not a missing value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError

__all__ = [
    "UNKNOWN",
    "UnknownValueError",
    "action_matches",
    "as_bool",
    "as_int",
    "as_list",
    "as_str",
    "get",
    "indices",
    "item",
    "known",
    "policy_document",
    "sequence_items",
    "shown",
    "statement_values",
    "statements",
    "tags_of",
]


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN: Any = _Unknown()


def get(obj: Any, *path: str | int, default: Any = None) -> Any:
    """obj[path[0]][path[1]]..., or `default` where a step is missing or of the wrong shape."""
    current = obj
    for step in path:
        if isinstance(step, int):
            if not _is_sequence(current) or not -len(current) <= step < len(current):
                return default
            current = current[step]
        else:
            if not isinstance(current, Mapping) or step not in current:
                return default
            current = current[step]
        if current is None:
            return default
    return current


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


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def shown(value: Any) -> str:
    """A property value as violation messages show it; never call it on a value that may be secret.

    In the words of the stack and the provider, not Python's: missing, true, false.
    """
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def as_list(value: Any) -> list[Any]:
    """A list for a sequence; a one-item list for a scalar or mapping (IAM allows both); [] for None."""
    if value is None:
        return []
    if _is_sequence(value):
        return list(value)
    return [value]


def sequence_items(value: Any) -> list[Any]:
    """The items of a sequence that is not a string; [] for anything else (a scalar is no list here)."""
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else []


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


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


def policy_document(value: Any) -> Mapping[str, Any] | None:
    """An IAM/resource policy document from a JSON string or an object; None when unusable."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, Mapping) else None


def statements(document: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    for statement in as_list(get(document, "Statement")):
        if isinstance(statement, Mapping):
            yield statement


def statement_values(statement: Mapping[str, Any], key: str) -> list[str]:
    """Action/NotAction/Resource values of a statement, as strings."""
    return [v for v in as_list(get(statement, key)) if isinstance(v, str)]


def action_matches(pattern: str, action: str) -> bool:
    """Whether an IAM action pattern (with * and ?) grants `action`; IAM matching is case-insensitive."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, action, flags=re.IGNORECASE) is not None


def principals(statement: Mapping[str, Any]) -> list[str]:
    """Every principal string of a statement: "*" for a bare wildcard, else AWS/Service/Federated values."""
    principal = get(statement, "Principal")
    if isinstance(principal, str):
        return [principal]
    if isinstance(principal, Mapping):
        return [p for values in principal.values() for p in as_list(values) if isinstance(p, str)]
    return []
