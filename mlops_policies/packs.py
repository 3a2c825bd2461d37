"""Which rules each policy pack carries, and the one function that starts a pack's server."""

from __future__ import annotations

from importlib import import_module

from landingzone.controls import BASELINE, REGULATED
from mlops_policies.core import Rule

BASELINE_PACK = "mlops-baseline"
REGULATED_PACK = "mlops-regulated"
PACK_LEVELS = {BASELINE_PACK: BASELINE, REGULATED_PACK: REGULATED}

AREA_MODULES = ("provenance", "secrets", "gpu_isolation", "data_leakage", "audit", "tenancy")


def all_rules() -> list[Rule]:
    rules: list[Rule] = []
    for area in AREA_MODULES:
        rules.extend(import_module(f"mlops_policies.rules.{area}").RULES)
    return rules


def pack_rules(pack: str) -> list[Rule]:
    level = PACK_LEVELS[pack]
    return [rule for rule in all_rules() if rule.control.level == level]


def build_pack(pack: str) -> None:
    """Serve the pack over the analyzer protocol. Blocks forever: call only from a pack's __main__."""
    from pulumi_policy import EnforcementLevel, PolicyPack

    PolicyPack(
        name=pack,
        policies=[rule.policy for rule in pack_rules(pack)],
        enforcement_level=EnforcementLevel.MANDATORY,
    )
