"""Fixtures shared by the tests of several TEN-05 rules."""

from __future__ import annotations

from typing import Any

from tests.policies.harness import Res


def without(stack: list[Res], name: str) -> list[Res]:
    return [r for r in stack if r.name != name]


def replaced(stack: list[Res], name: str, props: dict[str, Any]) -> list[Res]:
    return [Res(r.type, r.name, props, prop_deps=r.prop_deps) if r.name == name else r for r in stack]
