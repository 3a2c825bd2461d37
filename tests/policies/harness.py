"""Run one rule in-process, as the analyzer server would, without starting a policy pack.

Props go through the SDK's own unknown-checking proxy, so `UNKNOWN` in a fixture behaves exactly
as an unknown value in a first preview. The stack's tenant is set as stack config, as the CLI does.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from mlops_policies.rule import Rule

UNKNOWN = UNKNOWN_STRING_VALUE

ACME = {
    "id": "acme",
    "tier": "standard",
    "network": {"cidr": "10.1.0.0/16", "egress": "none"},
}
GLOBEX = {
    "id": "globex",
    "tier": "regulated",
    "network": {"cidr": "10.2.0.0/16", "egress": "none"},
}
PLATFORM = {"account_id": "111122223333", "security_archive_bucket": "platform-security-archive"}


@dataclass
class Outcome:
    violations: list[str] = field(default_factory=list)
    urns: list[str | None] = field(default_factory=list)
    not_applicable: str | None = None
    undecided: str | None = None

    @property
    def passed(self) -> bool:
        return not self.violations and self.not_applicable is None and self.undecided is None


def set_tenant(tenant: Mapping[str, Any] | None, platform: Mapping[str, Any] | None = PLATFORM) -> None:
    for key, value in (("landingzone:tenant", tenant), ("landingzone:platform", platform)):
        if value is None:
            pulumi.runtime.config.CONFIG.get().pop(key, None)
        else:
            pulumi.runtime.set_config(key, json.dumps(value))


def urn_for(type_: str, name: str, stack: str = "acme") -> str:
    return f"urn:pulumi:{stack}::mlops-landing-zone::{type_}::{name}"


def _options() -> PolicyResourceOptions:
    # Without customTimeouts from the engine the SDK fills in zeros (pulumi_policy.policy), never None.
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def run_resource(
    rule: Rule,
    type_: str,
    props: Mapping[str, Any],
    *,
    name: str = "subject",
    tenant: Mapping[str, Any] | None = ACME,
    config: Mapping[str, Any] | None = None,
) -> Outcome:
    set_tenant(tenant)
    outcome = Outcome()

    def report(message: str, urn: str | None = None) -> None:
        outcome.violations.append(message)
        outcome.urns.append(urn)

    args = ResourceValidationArgs(
        type_,
        unknown_checking_proxy(copy.deepcopy(dict(props))),
        urn_for(type_, name),
        name,
        _options(),
        None,
        dict(config or {}),
    )
    try:
        rule.policy.validate(args, report)  # type: ignore[attr-defined]
    except _NotApplicableError as na:
        outcome.not_applicable = na.reason or ""
    except UnknownValueError as unknown:
        outcome.undecided = unknown.message
    return outcome


@dataclass
class Res:
    """A stack resource for fixtures: dependencies and property dependencies name other Res by name."""

    type: str
    name: str
    props: Mapping[str, Any]
    parent: str | None = None
    deps: list[str] = field(default_factory=list)
    prop_deps: dict[str, list[str]] = field(default_factory=dict)


def build_resources(resources: list[Res]) -> list[PolicyResource]:
    built = {
        r.name: PolicyResource(
            r.type,
            unknown_checking_proxy(copy.deepcopy(dict(r.props))),
            urn_for(r.type, r.name),
            r.name,
            _options(),
            None,
            None,
            [],
            {},
        )
        for r in resources
    }
    for r in resources:
        target = built[r.name]
        target.parent = built[r.parent] if r.parent else None
        target.dependencies = [built[d] for d in r.deps]
        target.property_dependencies = {k: [built[d] for d in v] for k, v in r.prop_deps.items()}
    return list(built.values())


def run_stack(
    rule: Rule,
    resources: list[Res],
    *,
    tenant: Mapping[str, Any] | None = ACME,
    config: Mapping[str, Any] | None = None,
) -> Outcome:
    set_tenant(tenant)
    outcome = Outcome()

    def report(message: str, urn: str | None = None) -> None:
        outcome.violations.append(message)
        outcome.urns.append(urn)

    args = StackValidationArgs(build_resources(resources), dict(config or {}))
    try:
        rule.policy.validate(args, report)  # type: ignore[attr-defined]
    except _NotApplicableError as na:
        outcome.not_applicable = na.reason or ""
    except UnknownValueError as unknown:
        outcome.undecided = unknown.message
    return outcome


def changed(base: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `base` with one property changed (dotted path; value DELETE removes it)."""
    result = copy.deepcopy(dict(base))
    *parents, last = path.split(".")
    node: Any = result
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = value
    elif value is DELETE:
        node.pop(last, None)
    else:
        node[last] = value
    return result


DELETE = object()


def area_rules(area: str) -> list[Rule]:
    """The rules of one catalog area (`secrets`, `data-leakage`, ...), as the packs discover them."""
    from mlops_policies.packs import all_rules

    return [rule for rule in all_rules() if rule.control.area == area.replace("_", "-")]
