"""Reading IAM-style policy documents (bucket, key, trust and identity policies) as AWS evaluates them."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote


def parse(document: Any) -> dict[str, Any] | None:
    """A policy as a dict; IAM returns trust policies URL-encoded when not decoded by boto3."""
    if isinstance(document, Mapping):
        return dict(document)
    if isinstance(document, str) and document.strip():
        text = document if document.lstrip().startswith("{") else unquote(document)
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def statements(document: Mapping[str, Any] | None) -> Iterator[dict[str, Any]]:
    if not document:
        return
    for statement in as_list(document.get("Statement")):
        if isinstance(statement, Mapping):
            yield dict(statement)


def values(statement: Mapping[str, Any], key: str) -> list[str]:
    return [str(v) for v in as_list(statement.get(key))]


def principals(statement: Mapping[str, Any]) -> list[str]:
    """Every principal named, "*" for the anonymous wildcard in either spelling."""
    principal = statement.get("Principal")
    if principal == "*":
        return ["*"]
    if isinstance(principal, Mapping):
        return [str(p) for kind in principal.values() for p in as_list(kind)]
    return []


def has_bare_wildcard_principal(statement: Mapping[str, Any]) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and "*" in as_list(principal.get("AWS"))


def action_matches(pattern: str, action: str) -> bool:
    """Does an Action pattern (with * and ?) grant `action`? AWS compares case-insensitively."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def grants(statement: Mapping[str, Any], action: str) -> bool:
    if statement.get("Effect") != "Allow" or "NotAction" in statement:
        return (
            "NotAction" in statement
            and statement.get("Effect") == "Allow"
            and not any(action_matches(p, action) for p in values(statement, "NotAction"))
        )
    return any(action_matches(p, action) for p in values(statement, "Action"))


def denies(statement: Mapping[str, Any], action: str) -> bool:
    return statement.get("Effect") == "Deny" and any(
        action_matches(p, action) for p in values(statement, "Action")
    )


def conditions(statement: Mapping[str, Any]) -> dict[str, dict[str, list[str]]]:
    """Condition block normalised to operator -> key -> [values]."""
    result: dict[str, dict[str, list[str]]] = {}
    for operator, block in (statement.get("Condition") or {}).items():
        if isinstance(block, Mapping):
            result[str(operator)] = {str(k): [str(v) for v in as_list(val)] for k, val in block.items()}
    return result


def condition_values(statement: Mapping[str, Any], operator: str, key_suffix: str) -> list[str]:
    found: list[str] = []
    for key, vals in conditions(statement).get(operator, {}).items():
        if key.lower().endswith(key_suffix.lower()):
            found.extend(vals)
    return found


def condition_keys(statement: Mapping[str, Any]) -> set[str]:
    """Every condition key a statement tests, lower-cased (AWS compares keys case-insensitively)."""
    return {key.lower() for block in conditions(statement).values() for key in block}
