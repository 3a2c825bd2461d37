"""Which resources of a stack a property refers to, when that cannot be decided yet."""

from __future__ import annotations

from pulumi_policy import PolicyResource

from mlops_policies.props import UNKNOWN, known
from mlops_policies.rule import StackCheck


def unresolved_references(stack: StackCheck, type_: str, prop: str) -> list[PolicyResource]:
    """Resources whose `prop` is unknown and has no dependency information: they may refer to anything."""
    return [
        r
        for r in stack.of_type(type_)
        if known(r.props, prop) is UNKNOWN and not stack.referenced_by(r, prop)
    ]
