"""How messages name one statement of a policy document and its values (trust and key policies)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_policies.shapes import as_str, get


def statement_name(index: int, statement: Mapping[str, Any]) -> str:
    sid = as_str(get(statement, "Sid"))
    return f"statement {sid!r}" if sid else f"statement #{index + 1}"


def shown_values(values: list[Any]) -> str:
    return repr(values[0]) if len(values) == 1 else repr(values)
