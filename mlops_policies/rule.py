"""How a checklist rule becomes a CrossGuard policy.

A rule is one validate function plus its policy's facts (mlops_policies.policy_facts: the one model
of a policy that the gate and the reports share). `resource_rule` / `stack_rule` decide the facts
from the declaration and the control catalog, then wrap the function into a `pulumi_policy` policy
built from those facts that:
- takes name prefix, framework, severity, tags and level from the control catalog;
- is MANDATORY, and for regulated controls not applicable to standard-tier tenants;
- fills its config from the schema defaults (the CLI does too, tests and direct calls may not);
- honours exemptions (URN patterns with reason, approver and expiry) and reports bad ones;
- evaluates unknown-aware: a rule judges each part of a resource (a container, a statement, a
  rule entry, a resource of the stack) inside its own `deciding` scope, so an unknown value defers
  only that part. After the rule ran, every definite violation is reported; only when there is none
  and some part was undecided does the policy raise the SDK's `UnknownValueError`, so the pack says
  "cannot decide during preview". An unknown read outside any scope defers the rest of the rule the
  same way (it never hides a violation already reported).

Long (about 430 lines) because the rule framework is one contract: the checks rules write against,
the unknown-aware evaluation and the two decorators that build a policy from a rule's facts.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from landingzone.controls import REGULATED, Control, load_controls
from landingzone.parts import DeployPart
from mlops_policies import exemptions, policy_config
from mlops_policies.policy_facts import RESOURCE, STACK, PolicyFacts, pack_of_level
from mlops_policies.props import UNKNOWN, UnknownValueError, known

FRAMEWORK_NAME = "mlops-hoster-checklist"


# The stack's tenant (mlops_policies.tenant) is re-exported: rules and tools import it from here.
from mlops_policies.tenant import TENANT_CONFIG_KEY as TENANT_CONFIG_KEY  # noqa: E402
from mlops_policies.tenant import UNDECLARED_REASON as UNDECLARED_REASON  # noqa: E402
from mlops_policies.tenant import Tenant as Tenant  # noqa: E402
from mlops_policies.tenant import config_value as config_value  # noqa: E402
from mlops_policies.tenant import current_tenant as current_tenant  # noqa: E402

# The exemption contract lives in mlops_policies/exemptions.py (the gate reads the same module);
# these names stay importable from here.
EXEMPTIONS_SCHEMA = exemptions.SCHEMA_PROPERTIES[exemptions.EXEMPTIONS]
Exemption = exemptions.Exemption
parse_exemptions = exemptions.parse_exemptions


def _exemptions_for(
    name: str, settings: Mapping[str, Any], defaults: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Exemption], list[str]]:
    """The settings the rule runs with, its exemptions, and the config's own violations.

    A threshold loosened below the catalog (the CLI's schema check refuses that, a direct call may
    not) is a violation of this policy, and the rule runs with the catalog value instead.
    """
    loosened = policy_config.weakenings(name, settings, defaults)
    problems = [weakening.message() for weakening in loosened]
    return policy_config.tightened(settings, loosened), parse_exemptions(settings), problems


# ---------------------------------------------------------------- what a rule function receives


@dataclass
class ResourceCheck:
    """One resource, as a resource rule sees it."""

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    tenant: Tenant
    config: Mapping[str, Any]
    _report: ReportViolation
    failures: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.failures.append(message)
        self._report(message, self.urn)

    @contextmanager
    def deciding(self, where: str = "") -> Iterator[None]:
        """Judge one part of the resource (e.g. "containers[1]"); an unknown value defers only that part."""
        try:
            yield
        except UnknownValueError as unknown:
            self.undecided.append(f"{where}: {unknown.message}" if where else unknown.message)

    @property
    def label(self) -> str:
        """How messages name the resource: its type token and logical name."""
        return f"{self.type} '{self.name}'"


class Undecided(UnknownValueError):
    """Some resources could not be judged because values they depend on are unknown in preview."""

    def __init__(self, reasons: list[str]) -> None:
        Exception.__init__(self)
        self.props: list[str] = []
        self.message = "; ".join(reasons)


@dataclass
class StackCheck:
    """The whole stack, as a stack rule sees it, with the relationship helpers rules need."""

    resources: list[PolicyResource]
    tenant: Tenant
    config: Mapping[str, Any]
    _report: ReportViolation
    _exempt: Callable[[str], bool]
    undecided: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def fail(self, resource: PolicyResource | None, message: str) -> None:
        urn = resource.urn if resource is not None else None
        if urn is not None and self._exempt(urn):
            return
        self.failures.append(message)
        self._report(message, urn)

    @contextmanager
    def deciding(self, resource: PolicyResource) -> Iterator[None]:
        """Judge one resource; an unknown value defers only this resource, not the whole stack."""
        try:
            yield
        except UnknownValueError as unknown:
            self.undecided.append(f"{label(resource)}: {unknown.message}")

    def of_type(self, *types: str) -> list[PolicyResource]:
        return [r for r in self.resources if r.resource_type in types]

    def attached_to(self, target: PolicyResource, types: Sequence[str], prop: str) -> list[PolicyResource]:
        """Resources of `types` whose input `prop` refers to `target`.

        By property dependency first (works in a first preview, where ids are unknown), then by
        known value: the target's id, name, or its `bucket` input (buckets are named explicitly).
        """
        found = []
        identities = {v for v in (_identity(target, "bucket"), _identity(target, "name")) if v}
        for candidate in self.of_type(*types):
            deps = candidate.property_dependencies.get(prop) or []
            if any(dep.urn == target.urn for dep in deps):
                found.append(candidate)
                continue
            value = known(candidate.props, prop)
            if isinstance(value, str) and value in identities:
                found.append(candidate)
        return found

    def depends_on(self, resource: PolicyResource, target: PolicyResource) -> bool:
        if any(dep.urn == target.urn for dep in resource.dependencies):
            return True
        return any(dep.urn == target.urn for deps in resource.property_dependencies.values() for dep in deps)

    def referenced_by(self, resource: PolicyResource, prop: str) -> list[PolicyResource]:
        """The resources that `resource`'s input `prop` was computed from."""
        return list(resource.property_dependencies.get(prop) or [])


def _identity(resource: PolicyResource, key: str) -> str | None:
    value = known(resource.props, key)
    return value if isinstance(value, str) and value is not UNKNOWN else None


def label(resource: PolicyResource) -> str:
    return f"{resource.resource_type} '{resource.name}'"


def conclude(failures: Sequence[str], undecided: list[str], run: Callable[[], None]) -> None:
    """Run a rule's check unknown-aware: definite violations win over "cannot decide".

    `failures` and `undecided` are the check's own lists (filled while `run` runs). An unknown read
    outside any `deciding` scope ends the check there and counts as undecided. Raises `Undecided`
    (the SDK's UnknownValueError) only when no violation was reported and something was undecided.
    """
    try:
        run()
    except UnknownValueError as unknown:
        undecided.append(unknown.message)
    if undecided and not failures:
        raise Undecided(undecided)


# ---------------------------------------------------------------- turning functions into policies


@dataclass(frozen=True)
class Rule:
    """A policy plus what tests and reports need to know about it."""

    facts: PolicyFacts
    """The policy's static facts; the CrossGuard policy is built from them (`_policy_arguments`)."""
    control: Control
    policy: Policy
    resource_types: tuple[str, ...]
    function: str
    """The validate function's name: how tests refer to the rule."""

    @property
    def name(self) -> str:
        return self.facts.name

    @property
    def kind(self) -> str:
        return self.facts.kind

    @property
    def config_defaults(self) -> dict[str, Any]:
        return self.facts.defaults


def _facts(
    name: str,
    kind: str,
    control_id: str,
    description: str,
    remediation: str,
    severity: Severity,
    config: Mapping[str, Mapping[str, Any]] | None,
) -> tuple[Control, PolicyFacts]:
    """The catalog control of a rule and the policy's facts, as its declaration states them."""
    catalog = load_controls()
    control = catalog.control(control_id)
    if not name.startswith(control.policy_prefix):
        raise ValueError(f"policy {name} must start with {control.policy_prefix}")
    return control, PolicyFacts(
        pack=pack_of_level(control.level),
        name=name,
        control=control.id,
        area=control.area,
        title=control.title,
        description=description,
        display_name=f"{control.id}: {control.title}",
        declared=EnforcementLevel.MANDATORY.value,
        severity=severity.value,
        remediation=remediation,
        tags=(control.area, control.level),
        kind=kind,
        framework_version=catalog.version,
        properties=policy_config.schema_properties(name, config),
    )


def _policy_arguments(facts: PolicyFacts) -> dict[str, Any]:
    """The CrossGuard policy's declaration, every field taken from the facts (GetAnalyzerInfo sends them)."""
    return {
        "name": facts.name,
        "description": facts.description,
        "enforcement_level": EnforcementLevel(facts.declared),
        "severity": Severity(facts.severity),
        "remediation_steps": facts.remediation,
        "framework": PolicyComplianceFramework(
            name=FRAMEWORK_NAME,
            version=facts.framework_version,
            reference=facts.control,
            specification=facts.title,
        ),
        "tags": list(facts.tags),
        "config_schema": PolicyConfigSchema(
            properties={key: copy.deepcopy(dict(spec)) for key, spec in facts.properties.items()}
        ),
        "display_name": facts.display_name,
    }


def _with_defaults(facts: PolicyFacts, given: Mapping[str, Any]) -> dict[str, Any]:
    return {**facts.defaults, **dict(given)}


def out_of_scope(name: str, types: frozenset[str]) -> str:
    """Why a resource rule skips a resource of another type (mlops_policies.dispatch says it too)."""
    return f"{name} judges {', '.join(sorted(types))}"


def current_part() -> DeployPart:
    """The half of the landing zone this stack holds, from its project name (landingzone.parts)."""
    return DeployPart.of_project(os.environ.get("PULUMI_PROJECT", ""))


def _providers(types: Sequence[str]) -> set[str]:
    return {t.split(":", 1)[0] for t in types} & {"aws", "kubernetes"}


def spans_other_part(types: Sequence[str], part: DeployPart) -> bool:
    """Whether a stack rule relates resources the stack of `part` does not hold.

    On one half of a split deployment, such a rule cannot see the other half: it is judged where
    both halves are present (the PR gate, and `tenantctl check --stack-export` given both exports).
    """
    if part is DeployPart.ALL:
        return False
    own = "aws" if part is DeployPart.AWS else "kubernetes"
    return bool(_providers(types) - {own})


def resource_rule(
    name: str,
    *,
    control: str,
    types: Sequence[str],
    description: str,
    remediation: str,
    severity: Severity,
    config: Mapping[str, Mapping[str, Any]] | None = None,
) -> Callable[[Callable[[ResourceCheck], None]], Rule]:
    """Declare a rule judging one resource's own inputs. `types` empty means every resource."""

    def wrap(check: Callable[[ResourceCheck], None]) -> Rule:
        ctrl, facts = _facts(name, RESOURCE, control, description, remediation, severity, config)
        type_set = frozenset(types)

        def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
            if type_set and args.resource_type not in type_set:
                args.not_applicable(out_of_scope(name, type_set))
            tenant = current_tenant()
            if not tenant.declared:
                args.not_applicable(UNDECLARED_REASON)
            if ctrl.level == REGULATED and not tenant.is_regulated:
                args.not_applicable(
                    f"{ctrl.id} applies to regulated tenants; tenant {tenant.id} is {tenant.tier}"
                )
            settings, all_exemptions, problems = _exemptions_for(
                name, _with_defaults(facts, args.get_config()), facts.defaults
            )
            for problem in problems:
                report(problem, args.urn)
            matching = [e for e in all_exemptions if e.covers(args.urn)]
            for bad in (e for e in matching if e.problem):
                report(bad.refusal(), args.urn)
            valid = [e for e in matching if not e.problem]
            if valid:
                args.not_applicable(valid[0].describe())
            resource = ResourceCheck(
                args.resource_type, args.name, args.urn, args.props, tenant, settings, report
            )
            conclude(resource.failures, resource.undecided, lambda: check(resource))

        policy = ResourceValidationPolicy(validate=validate, **_policy_arguments(facts))
        return Rule(facts, ctrl, policy, tuple(types), check.__name__)

    return wrap


def stack_rule(
    name: str,
    *,
    control: str,
    types: Sequence[str],
    description: str,
    remediation: str,
    severity: Severity,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    judges_undeclared: bool = False,
) -> Callable[[Callable[[StackCheck], None]], Rule]:
    """Declare a rule judging relationships between resources; `types` documents its scope.

    `judges_undeclared`: the rule also runs on stacks without `landingzone:tenant` config (every
    other rule stands down there); only the gatekeeper ten-01-stack-declares-tenant sets it.
    """

    def wrap(check: Callable[[StackCheck], None]) -> Rule:
        ctrl, facts = _facts(name, STACK, control, description, remediation, severity, config)

        def validate(args: StackValidationArgs, report: ReportViolation) -> None:
            tenant = current_tenant()
            if not tenant.declared and not judges_undeclared:
                args.not_applicable(UNDECLARED_REASON)
            part = current_part()
            if spans_other_part(types, part):
                args.not_applicable(
                    f"{name} relates resources of both halves of the landing zone; this stack holds the "
                    f"{part.value} half only, so the PR gate judges it on the whole program"
                )
            if ctrl.level == REGULATED and not tenant.is_regulated:
                args.not_applicable(
                    f"{ctrl.id} applies to regulated tenants; tenant {tenant.id} is {tenant.tier}"
                )
            settings, stack_exemptions, problems = _exemptions_for(
                name, _with_defaults(facts, args.get_config()), facts.defaults
            )
            for problem in problems:
                report(problem, None)
            resources = list(args.resources)
            too_broad = exemptions.covering_everything(stack_exemptions, [r.urn for r in resources])
            for broad in too_broad:
                report(f"{exemptions.everything_problem(broad)}; the exemption does not apply", None)
            usable = [e for e in stack_exemptions if e not in too_broad]

            used: dict[str, Exemption] = {}

            def exempt(urn: str) -> bool:
                matching = [e for e in usable if e.covers(urn)]
                for bad in (e for e in matching if e.problem):
                    report(bad.refusal(), urn)
                valid = [e for e in matching if not e.problem]
                if valid:
                    used.setdefault(urn, valid[0])
                return bool(valid)

            stack = StackCheck(resources, tenant, settings, report, exempt)
            conclude(stack.failures, stack.undecided, lambda: check(stack))
            if used:
                # The only way a stack policy can say which resources it skipped, and why.
                args.not_applicable(exemptions.notes(used))

        policy = StackValidationPolicy(validate=validate, **_policy_arguments(facts))
        return Rule(facts, ctrl, policy, tuple(types), check.__name__)

    return wrap
