"""Markdown tables as both the gate's PR comment and the audit's report write them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cell(text: str) -> str:
    """Text safe inside a table cell: pipes and backslashes escaped, line breaks kept as <br>."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>").strip()


def table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> list[str]:
    """The lines of a table; cells are written as given (escape free text with `cell`)."""
    rule = ["---:" if i in numeric else "---" for i in range(len(header))]
    out = [f"| {' | '.join(header)} |", f"|{'|'.join(rule)}|"]
    out += [f"| {' | '.join(row)} |" for row in rows]
    return out
