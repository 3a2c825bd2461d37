"""One policy's static facts: the single description of a policy that packs, gate and reports share.

A policy is declared once, in its rule module (`mlops_policies.rule.resource_rule` / `stack_rule`),
which builds its `PolicyFacts` first and the CrossGuard policy from them. The gate sees the policy
only through the pack's GetAnalyzerInfo reply and builds the same facts back from it
(`tenantctl.analyzer.policy_facts`); a test holds the two equal for every policy of both packs.
Policy-config validation (`mlops_policies.policy_config.review`), the check's per-stack result
(`tenantctl.model.PolicyOutcome`) and every report read these facts, so each is decided here once.

What a run decides about a policy (the enforcement the policy config set, its status in one stack)
is not a fact of the policy: `tenantctl.model.PolicyOutcome` holds it beside the facts.

This module imports neither the Pulumi policy SDK nor gRPC: tenantctl's data model loads it, and a
built pack folder vendors it with the rest of mlops_policies.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from landingzone.controls import BASELINE, REGULATED

BASELINE_PACK = "mlops-baseline"
REGULATED_PACK = "mlops-regulated"
PACK_LEVELS = {BASELINE_PACK: BASELINE, REGULATED_PACK: REGULATED}
"""pack -> the control level whose rules it carries."""

RESOURCE, STACK = "resource", "stack"


def pack_of_level(level: str) -> str:
    """The pack that carries the rules of controls at `level` (baseline or regulated)."""
    return next(pack for pack, pack_level in PACK_LEVELS.items() if pack_level == level)


@dataclass(frozen=True)
class PolicyFacts:
    """What a policy is, whoever asks: the same for every stack and every run."""

    pack: str
    name: str
    control: str
    """The catalog control id (the compliance framework's reference); empty for a foreign policy."""
    area: str
    title: str
    """The control's title; a policy without a catalog control has its display name here."""
    description: str
    display_name: str
    declared: str
    """The enforcement level the pack declares (every landing-zone policy: mandatory)."""
    severity: str
    remediation: str
    tags: tuple[str, ...]
    kind: str
    """RESOURCE (judges one resource's inputs) or STACK (judges relationships in the whole stack)."""
    framework_version: str
    """The control catalog's version the pack was built with."""
    properties: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """The config schema's properties (thresholds with their catalog bounds, the exemption ones).

    Not stored with a stack's result (see `to_dict`): ~1 KB a policy that no report uses, so facts
    read back from a report or the cache have none.
    """

    @property
    def defaults(self) -> dict[str, Any]:
        """The settings a policy runs with when the policy config sets none: the schema defaults."""
        return {key: spec["default"] for key, spec in self.properties.items() if "default" in spec}

    def to_dict(self) -> dict[str, Any]:
        """The facts as stored with a stack's result (reports, cache): everything but `properties`."""
        return dict(self._stored)

    @functools.cached_property
    def _stored(self) -> dict[str, Any]:
        # Once per facts (shared by every stack read back, see from_dict): a fleet's report stores
        # ~130 facts a stack, and asdict deep-copied every field each time.
        return {name: getattr(self, name) for name in _STORED_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PolicyFacts:
        """The facts `to_dict` stored (extra keys, e.g. a run's own fields, are for the caller).

        Equal facts read back are one shared (frozen) object: a fleet's cached results hold the same
        ~130 policies once per stack.
        """
        return _read_back(
            str(data["pack"]),
            str(data["name"]),
            str(data["control"]),
            str(data["area"]),
            str(data["title"]),
            str(data["description"]),
            str(data["display_name"]),
            str(data["declared"]),
            str(data["severity"]),
            str(data["remediation"]),
            tuple(str(tag) for tag in data["tags"]),
            str(data["kind"]),
            # Reports written before the catalog version was recorded with each policy lack it.
            str(data.get("framework_version", "")),
        )


_STORED_FIELDS = tuple(f.name for f in fields(PolicyFacts) if f.name != "properties")


@functools.lru_cache(maxsize=1024)
def _read_back(*values: Any) -> PolicyFacts:
    """Facts from the stored fields' values, in `_STORED_FIELDS` order."""
    return PolicyFacts(**dict(zip(_STORED_FIELDS, values, strict=True)))
