"""Policy exemptions: URN patterns with reason, approver and expiry, read from a policy's config."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlops_policies.props import as_str, sequence_items

EXEMPTIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "default": [],
    "description": "Resources exempted from this policy: each needs urn (glob), reason, approver, expires.",
    "items": {
        "type": "object",
        "properties": {
            "urn": {"type": "string"},
            "reason": {"type": "string"},
            "approver": {"type": "string"},
            "expires": {"type": "string", "description": "YYYY-MM-DD; the exemption ends that day."},
        },
    },
}


@dataclass(frozen=True)
class Exemption:
    urn: str
    reason: str
    approver: str
    expires: str
    problem: str | None

    def covers(self, urn: str) -> bool:
        return fnmatch.fnmatchcase(urn, self.urn)

    def describe(self) -> str:
        return f"exempted by {self.approver} until {self.expires}: {self.reason}"


def parse_exemptions(config: Mapping[str, Any], today: dt.date | None = None) -> list[Exemption]:
    today = today or dt.date.today()
    parsed = []
    for index, entry in enumerate(sequence_items(config.get("exemptions"))):
        entry = entry if isinstance(entry, Mapping) else {}
        values = {key: as_str(entry.get(key)) or "" for key in ("urn", "reason", "approver", "expires")}
        missing = [key for key, value in values.items() if not value.strip()]
        problem = None
        if missing:
            problem = f"exemption #{index + 1} is incomplete: missing {', '.join(missing)}"
        else:
            try:
                expires = dt.date.fromisoformat(values["expires"])
            except ValueError:
                problem = f"exemption #{index + 1} has expires '{values['expires']}', required YYYY-MM-DD"
            else:
                if expires < today:
                    problem = f"exemption #{index + 1} for '{values['urn']}' expired on {values['expires']}"
        parsed.append(Exemption(**values, problem=problem))
    return parsed
