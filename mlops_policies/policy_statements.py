"""One statement of a policy document, as rules judge and name it in messages (trust and key policies)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_policies import iam_match
from mlops_policies.shapes import as_str, get

# IAM's own semantics, from the one matcher (mlops_policies.iam_match): case-insensitive actions with
# wildcards on both sides, NotAction, every spelling of "everyone" (Principal '*', {'AWS': '*'},
# arn:aws:iam::*:root, NotPrincipal). A statement without Effect is judged as Allow, never waved through.
allows_statement = iam_match.is_allow
grants_action = iam_match.grants_action
names_everyone = iam_match.everyone


def statement_name(index: int, statement: Mapping[str, Any]) -> str:
    sid = as_str(get(statement, "Sid"))
    return f"statement {sid!r}" if sid else f"statement #{index + 1}"


def shown_values(values: list[Any]) -> str:
    return repr(values[0]) if len(values) == 1 else repr(values)
