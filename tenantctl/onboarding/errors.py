"""The one error onboarding raises on purpose: a refusal, always exit 2 and always with nothing written."""

from __future__ import annotations


class Refusal(Exception):
    """A request the platform will not carry out. The message says what is wrong and where, all at once."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: refused ({len(problems)} problem(s)):\n{listing}")
