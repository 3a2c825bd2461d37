"""Every policy's facts, pinned as data: `policy_packs/policy-index.json`.

The `PolicyFacts` of each rule (`mlops_policies.policy_facts`), config schema included. `tenantctl
check` reviews the user's policy config against it before any stack is recorded; reading it costs a
few milliseconds, where discovering the rules (importing the policy SDK and ~140 rule modules) cost
~0.3 s on the gate's critical path. It is generated with the membership (`python -m
mlops_policies.membership`, `make docs`); tests/policies/test_membership.py fails when it is stale,
so it always says what the rules say.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mlops_policies.policy_facts import PolicyFacts

INDEX_FILE = Path(__file__).resolve().parents[1] / "policy_packs" / "policy-index.json"


def render(rules: Sequence[Any]) -> str:
    """The index of `rules` (each a `rule.Rule`), sorted by policy name."""
    facts = sorted((asdict(rule.facts) for rule in rules), key=lambda entry: entry["name"])
    return json.dumps(facts, indent=1, sort_keys=True) + "\n"


def load(path: Path = INDEX_FILE) -> dict[str, PolicyFacts]:
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {entry["name"]: PolicyFacts(**{**entry, "tags": tuple(entry["tags"])}) for entry in entries}
