"""What the gate needs to judge a policy-config file, pinned as data: `policy_packs/policy-index.json`.

Per policy: its pack, its control, its config schema and the schema's defaults. `tenantctl check`
reviews the user's policy config against it before any stack is recorded; reading it costs a
millisecond, where discovering the rules (importing the policy SDK and ~140 rule modules) cost ~0.3 s
on the gate's critical path. It is generated with the membership (`python -m
mlops_policies.membership`, `make docs`); tests/policies/test_membership.py fails when it is stale,
so it always says what the packs say.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mlops_policies import policy_config as pc

INDEX_FILE = Path(__file__).resolve().parents[1] / "policy_packs" / "policy-index.json"


def entries(rules: Sequence[Any]) -> list[dict[str, Any]]:
    """One entry per rule (a `core.Rule`), sorted by policy name."""
    from mlops_policies.packs import PACK_LEVELS

    pack_of_level = {level: pack for pack, level in PACK_LEVELS.items()}
    return sorted(
        (
            {
                "name": rule.name,
                "pack": pack_of_level[rule.control.level],
                "control": rule.control.id,
                "properties": dict(rule.policy.config_schema.properties) if rule.policy.config_schema else {},
                "defaults": dict(rule.config_defaults),
            }
            for rule in rules
        ),
        key=lambda entry: entry["name"],
    )


def render(rules: Sequence[Any]) -> str:
    return json.dumps(entries(rules), indent=1, sort_keys=True) + "\n"


def load(path: Path = INDEX_FILE) -> dict[str, pc.PolicyInfo]:
    return {
        entry["name"]: pc.PolicyInfo(
            name=entry["name"],
            pack=entry["pack"],
            control=entry["control"],
            properties=entry["properties"],
            defaults=entry["defaults"],
        )
        for entry in json.loads(path.read_text(encoding="utf-8"))
    }
