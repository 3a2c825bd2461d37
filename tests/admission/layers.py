"""Both layers' verdicts on one object: CrossGuard (the pack's rules, in-process) and admission (cel-cpp)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from landingzone.admission import Policy, settings_from_stack, tenant_policies
from landingzone.config import load_stack
from mlops_policies.packs import all_rules
from mlops_policies.rule import Rule
from tests.admission.engine import Request, admit
from tests.policies.harness import run_resource

PROJECT = Path(__file__).resolve().parents[2]
SA_TYPE = "kubernetes:core/v1:ServiceAccount"


@cache
def stack_policies(stack: str = "acme") -> tuple[Policy, ...]:
    return tuple(tenant_policies(settings_from_stack(load_stack(PROJECT, stack))))


@cache
def rule(name: str) -> Rule:
    """A CrossGuard rule by its policy name (wherever the rule's module lives)."""
    return next(r for r in all_rules() if r.name == name)


def mirrored_rules() -> list[str]:
    """Every CrossGuard policy some admission validation mirrors."""
    return sorted({v.mirrors for p in stack_policies() for v in p.validations if v.mirrors})


def crossguard_passes(rule_name: str, type_: str, obj: Mapping[str, Any]) -> bool:
    outcome = run_resource(rule(rule_name), type_, obj)
    assert outcome.undecided is None and outcome.not_applicable is None, outcome
    return outcome.passed


def admission_denials(obj: Mapping[str, Any], **request: Any) -> dict[str, list[str]]:
    """policy name -> denied validation keys; an evaluation error fails the test (no silent fail-closed)."""
    found: dict[str, list[str]] = {}
    for policy in stack_policies():
        verdict = admit(policy, Request(obj, **request))
        assert not verdict.errors, verdict.errors
        if verdict.denied_keys:
            found[policy.name] = verdict.denied_keys
    return found


def admission_verdicts(obj: Mapping[str, Any]) -> dict[str, bool]:
    """For every mirrored CrossGuard policy: True unless a validation mirroring it denies the object."""
    denied = admission_denials(obj)
    verdicts = dict.fromkeys(mirrored_rules(), True)
    for policy in stack_policies():
        for validation in policy.validations:
            if validation.mirrors and validation.key in denied.get(policy.name, []):
                verdicts[validation.mirrors] = False
    return verdicts


def admission_passes(rule_name: str, obj: Mapping[str, Any]) -> bool:
    return admission_verdicts(obj)[rule_name]
