"""The packs' analyzer servicer: the SDK's own, minus the work it repeats for every policy.

pulumi_policy's `_PolicyAnalyzerServicer` converts a resource's properties from protobuf
(`MessageToDict` + `deserialize_properties`) once per policy in Analyze, and every resource of the
stack once per stack policy in AnalyzeStack, and hands every resource to every resource policy even
though most rules judge one or two types. With ~100 policies that is most of a pack's CPU time.

`DispatchingServicer` answers exactly as the SDK servicer does (the same diagnostics and
not-applicable entries, in the same order: tests/policies/test_dispatch.py compares both on every
example stack and mutation) but:
- a resource rule whose declared types do not include the resource's type is answered
  not-applicable with the reason the rule itself gives (`rule.out_of_scope`), without converting
  anything or calling it; which policies run on a type, at which level, is worked out once per type
  and config (`Configure` starts afresh);
- properties are converted once per Analyze request, and the stack's resources once per AnalyzeStack
  request; each policy still gets its own unknown-checking proxy over them. Rules only read
  properties, so sharing the converted values cannot leak one policy's view into another's.

It relies on SDK internals (the servicer's private fields and helpers, and PolicyPack looking the
servicer class up by name when it starts); `pulumi-policy` is pinned, and the tests fail when the
installed SDK is not the version this was written against or its PolicyPack no longer does so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from inspect import isawaitable
from typing import Any

from google.protobuf import json_format
from pulumi.runtime import proto
from pulumi_policy import policy as sdk
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from mlops_policies import undecided
from mlops_policies.rule import Rule, out_of_scope

SDK_VERSION = "1.21.0"
"""The pulumi-policy release whose servicer this mirrors (requirements.txt pins it)."""

_Base = sdk._PolicyAnalyzerServicer


class DispatchingServicer(_Base):
    """The SDK servicer with per-request conversion and type dispatch (see the module docstring)."""

    # Set by `serving` before PolicyPack constructs the servicer: policy name -> the resource types
    # it judges (an empty set: every type). Policies not listed are dispatched like the SDK does.
    resource_scopes: Mapping[str, frozenset[str]] = {}

    def _private(self, name: str) -> Any:
        return getattr(self, f"_PolicyAnalyzerServicer__{name}")

    def _run(self, policy: Any, args: Any, report: Any, response: Any) -> None:
        """Call one policy's validate and record how it ended, exactly as the SDK does."""
        try:
            result = policy.validate(args, report)
            if isawaitable(result):
                loop = asyncio.new_event_loop()
                loop.run_until_complete(asyncio.Task(result, loop=loop))  # type: ignore[arg-type]
                loop.close()
        except UnknownValueError as e:
            pack_name, pack_version = self._private("policy_pack_name"), self._private("policy_pack_version")
            response.diagnostics.append(
                proto.AnalyzeDiagnostic(  # type: ignore[attr-defined]
                    policyName=policy.name,
                    policyPackName=pack_name,
                    policyPackVersion=pack_version,
                    message=undecided.message(policy.name, pack_name, pack_version, e.message),
                    urn="",
                    description=policy.description,
                    enforcementLevel=self._map_enforcement_level(sdk.EnforcementLevel.ADVISORY),
                )
            )
        except sdk._NotApplicableError as e:
            response.not_applicable.append(
                proto.PolicyNotApplicable(policy_name=policy.name, reason=e.reason or "")  # type: ignore[attr-defined]
            )

    def _level(self, policy: Any, kind: type) -> Any:
        """The policy's effective level, or None when it does not run for this request kind."""
        level = self._get_enforcement_level(policy)
        if level == sdk.EnforcementLevel.DISABLED or not isinstance(policy, kind):
            return None
        return sdk.EnforcementLevel.MANDATORY if level == sdk.EnforcementLevel.REMEDIATE else level

    def Configure(self, request: Any, context: Any) -> Any:
        # Levels come from the config: the plans computed under the previous one are void.
        self._plans: dict[str, list[tuple[Any, Any, Any]]] = {}
        return super().Configure(request, context)

    def _plan(self, resource_type: str) -> list[tuple[Any, Any, Any]]:
        """Per policy that runs on this type, in pack order: (policy, level, None) to call it, or
        (policy, None, not-applicable answer). Depends only on the type and the config."""
        plans = self.__dict__.setdefault("_plans", {})
        plan = plans.get(resource_type)
        if plan is None:
            plan = []
            for policy in self._private("policies"):
                level = self._level(policy, sdk.ResourceValidationPolicy)
                if level is None:
                    continue
                if not policy.has_validation():
                    reason = "Policy does not implement validate"
                else:
                    scope = self.resource_scopes.get(policy.name)
                    reason = out_of_scope(policy.name, scope) if scope and resource_type not in scope else ""
                if reason:
                    answer = proto.PolicyNotApplicable(policy_name=policy.name, reason=reason)  # type: ignore[attr-defined]
                    plan.append((policy, None, answer))
                else:
                    plan.append((policy, level, None))
            plans[resource_type] = plan
        return plan

    def Analyze(self, request: Any, _context: Any) -> Any:
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()  # type: ignore[attr-defined]
        converted: dict[str, Any] | None = None
        for policy, level, not_applicable in self._plan(request.type):
            if not_applicable is not None:
                response.not_applicable.append(not_applicable)
                continue
            report = self._create_report_violation(
                response, policy.name, policy.description, level, policy.severity
            )
            if converted is None:
                converted = deserialize_properties(json_format.MessageToDict(request.properties))
            args = sdk.ResourceValidationArgs(
                request.type,
                unknown_checking_proxy(converted),
                request.urn,
                request.name,
                self._get_resource_options(request),
                self._get_provider_resource(request),
                self._get_policy_config(policy.name),
                self._private("stack_tags"),
            )
            self._run(policy, args, report, response)
        return response

    def _stack_resources(self, request: Any) -> list[Any]:
        """The stack's resources with parents and dependencies linked, as the SDK builds them."""
        resources, links = [], []
        for r in request.resources:
            props = unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(r.properties)))
            resource = sdk.PolicyResource(
                r.type,
                props,
                r.urn,
                r.name,
                self._get_resource_options(r),
                self._get_provider_resource(r),
                None,
                [],
                {},
            )
            resources.append(resource)
            links.append(
                (r.parent, list(r.dependencies), {k: list(v.urns) for k, v in r.propertyDependencies.items()})
            )
        by_urn = {resource.urn: resource for resource in resources}
        for resource, (parent, dependencies, property_dependencies) in zip(resources, links, strict=True):
            if parent is not None and parent in by_urn:
                resource.parent = by_urn[parent]
            resource.dependencies.extend(by_urn[d] for d in dependencies if d in by_urn)
            for key, urns in property_dependencies.items():
                resource.property_dependencies[key] = [by_urn[d] for d in urns if d in by_urn]
        return resources

    def AnalyzeStack(self, request: Any, _context: Any) -> Any:
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()  # type: ignore[attr-defined]
        resources: list[Any] | None = None
        for policy in self._private("policies"):
            level = self._level(policy, sdk.StackValidationPolicy)
            if level is None:
                continue
            report = self._create_report_violation(
                response, policy.name, policy.description, level, policy.severity
            )
            if resources is None:
                resources = self._stack_resources(request)
            args = sdk.StackValidationArgs(
                list(resources), self._get_policy_config(policy.name), self._private("stack_tags")
            )
            self._run(policy, args, report, response)
        return response


def resource_scopes(rules: list[Rule]) -> dict[str, frozenset[str]]:
    return {rule.name: frozenset(rule.resource_types) for rule in rules if rule.kind == "resource"}


def serve(name: str, rules: list[Rule]) -> None:
    """Serve `rules` as pack `name` over the analyzer protocol with the dispatching servicer. Blocks."""
    DispatchingServicer.resource_scopes = resource_scopes(rules)
    sdk._PolicyAnalyzerServicer = DispatchingServicer  # type: ignore[misc]
    sdk.PolicyPack(
        name=name,
        policies=[rule.policy for rule in rules],
        enforcement_level=sdk.EnforcementLevel.MANDATORY,
    )
