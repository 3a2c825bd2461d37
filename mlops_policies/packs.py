"""Which rules each policy pack carries, and the one function that starts a pack's server."""

from __future__ import annotations

import pkgutil
from importlib import import_module

from mlops_policies import controls
from mlops_policies.policy_facts import BASELINE_PACK, PACK_LEVELS, REGULATED_PACK
from mlops_policies.rule import Rule

__all__ = ["BASELINE_PACK", "PACK_LEVELS", "REGULATED_PACK", "all_rules", "build_pack", "pack_rules"]


def _control_rule_modules() -> list[str]:
    """Every rule module under mlops_policies/controls/<control>/ (not tests, conftest or private helpers)."""
    names = []
    for info in pkgutil.walk_packages(controls.__path__, prefix=f"{controls.__name__}."):
        leaf = info.name.rsplit(".", 1)[-1]
        if info.ispkg or leaf.startswith(("test_", "_")) or leaf == "conftest":
            continue
        names.append(info.name)
    return sorted(names)


def _rules_defined_in(module_name: str) -> list[Rule]:
    module = import_module(module_name)
    return [value for value in vars(module).values() if isinstance(value, Rule)]


def all_rules() -> list[Rule]:
    rules: list[Rule] = []
    for module_name in _control_rule_modules():
        found = _rules_defined_in(module_name)
        if len(found) != 1:
            raise ValueError(f"{module_name} must define exactly one rule, found {len(found)}")
        rules.extend(found)
    names = [rule.name for rule in rules]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"policy names defined more than once: {', '.join(duplicates)}")
    return rules


def pack_rules(pack: str) -> list[Rule]:
    return [rule for rule in all_rules() if rule.facts.pack == pack]


def build_pack(pack: str) -> None:
    """Serve the pack over the analyzer protocol. Blocks forever: call only from a pack's __main__."""
    from mlops_policies.dispatch import serve

    serve(pack, pack_rules(pack))
