"""Helpers for the issue-14 fixtures: rules looked up by policy name (so the fixtures survive the move
of rules into mlops_policies/controls/), and stack edits that change one resource at a time."""

from __future__ import annotations

from functools import cache
from typing import Any

from mlops_policies.packs import all_rules
from mlops_policies.rule import Rule
from tests.policies.harness import Res, changed


@cache
def rule(name: str) -> Rule:
    found = [r for r in all_rules() if r.name == name]
    assert len(found) == 1, f"no rule named {name}"
    return found[0]


def retyped(stack: list[Res], name: str, type_: str) -> list[Res]:
    """The stack with resource `name` declared through another provider type, props unchanged."""
    return [
        Res(type_, r.name, r.props, r.parent, r.deps, r.prop_deps) if r.name == name else r for r in stack
    ]


def with_props(stack: list[Res], name: str, path: str, value: Any) -> list[Res]:
    return [
        Res(r.type, r.name, changed(r.props, path, value), r.parent, r.deps, r.prop_deps)
        if r.name == name
        else r
        for r in stack
    ]


def copied(stack: list[Res], name: str, new_name: str, **props: Any) -> list[Res]:
    """The stack plus a copy of resource `name` (same type and dependencies) with some props replaced."""
    source = next(r for r in stack if r.name == name)
    return [
        *stack,
        Res(source.type, new_name, {**source.props, **props}, source.parent, source.deps, source.prop_deps),
    ]
