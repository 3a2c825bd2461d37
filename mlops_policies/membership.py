"""Pack membership pinned as data: `policy_packs/membership.csv`, one sorted row per (pack, policy).

It is the control-to-rules mapping the docs are rendered from. A test compares it with what
`all_rules()` discovers and with what both packs report over gRPC, so adding, moving or re-grading a
rule shows up as a reviewed change to this file. `make docs` rewrites it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mlops_policies.rule import Rule

MEMBERSHIP_FILE = Path(__file__).resolve().parents[1] / "policy_packs" / "membership.csv"
FIELDS = ("pack", "policy", "control", "severity", "level")


@dataclass(frozen=True, order=True)
class Member:
    pack: str
    policy: str
    control: str
    severity: str
    level: str


def members(rules: Sequence[Rule]) -> list[Member]:
    """Every rule in the pack of its control's level, sorted by pack then policy."""
    return sorted(
        Member(r.facts.pack, r.name, r.facts.control, r.facts.severity, r.control.level) for r in rules
    )


def render(rows: Sequence[Member]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows((m.pack, m.policy, m.control, m.severity, m.level) for m in rows)
    return out.getvalue()


def load(path: Path = MEMBERSHIP_FILE) -> list[Member]:
    """The committed membership; a row that does not have exactly the five fields is an error."""
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if tuple(header or ()) != FIELDS:
            raise ValueError(f"{path}: header must be {','.join(FIELDS)}, found {','.join(header or [])}")
        rows = []
        for number, row in enumerate(reader, start=2):
            if len(row) != len(FIELDS):
                raise ValueError(f"{path} line {number}: {len(row)} fields, required {len(FIELDS)}")
            rows.append(Member(*row))
    return rows


if __name__ == "__main__":
    from mlops_policies import policy_index
    from mlops_policies.packs import all_rules

    rules = all_rules()
    MEMBERSHIP_FILE.write_text(render(members(rules)))
    policy_index.INDEX_FILE.write_text(policy_index.render(rules))
