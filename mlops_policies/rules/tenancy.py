"""Placeholder until the area's rules land."""

from mlops_policies.core import Rule

RULES: list[Rule] = []
