"""One statement of a policy document, as rules judge and name it in messages (trust and key policies)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_policies.props import action_matches, as_str, get, principals, statement_values


def allows_statement(statement: Mapping[str, Any]) -> bool:
    # A statement without Effect is invalid; judged as Allow so a malformed grant is not waved through.
    return get(statement, "Effect") != "Deny"


def grants_action(statement: Mapping[str, Any], action: str) -> bool:
    if get(statement, "NotAction") is not None:
        return not any(action_matches(p, action) for p in statement_values(statement, "NotAction"))
    return any(action_matches(p, action) for p in statement_values(statement, "Action"))


def names_everyone(statement: Mapping[str, Any]) -> str | None:
    """How a statement names every principal ("Principal '*'", or Allow with NotPrincipal), or None."""
    if "*" in principals(statement):
        return "Principal '*'"
    if get(statement, "NotPrincipal") is not None:
        return "NotPrincipal (every principal not listed)"
    return None


def statement_name(index: int, statement: Mapping[str, Any]) -> str:
    sid = as_str(get(statement, "Sid"))
    return f"statement {sid!r}" if sid else f"statement #{index + 1}"


def shown_values(values: list[Any]) -> str:
    return repr(values[0]) if len(values) == 1 else repr(values)
