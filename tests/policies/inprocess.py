"""Evaluate recorded program runs with the SDK's own analyzer servicer, in-process.

`DispatchingServicer` is the exact object the packs serve over gRPC (mlops_policies.dispatch); calling
it directly runs the same Configure/Analyze/AnalyzeStack code path without a server, which the
mutation table needs for speed. `sdk=True` uses the SDK's own `_PolicyAnalyzerServicer` instead (the
dispatch tests compare both). The gRPC path itself is covered by test_pack_protocol.py.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from mlops_policies.dispatch import DispatchingServicer, resource_scopes
from mlops_policies.packs import BASELINE_PACK, REGULATED_PACK, pack_rules
from tenantctl.analyzer import AnalyzerRequests, Diagnostic, PackResult, converse
from tenantctl.program import ProgramRun, RecordedResource

_SERVICERS: dict[tuple[str, frozenset[str], bool], _PolicyAnalyzerServicer] = {}


def servicer(pack: str, only: frozenset[str] = frozenset(), sdk: bool = False) -> _PolicyAnalyzerServicer:
    """The pack's servicer; `only` limits it to the named policies (mutation tests need just one)."""
    if (pack, only, sdk) not in _SERVICERS:
        rules = [rule for rule in pack_rules(pack) if not only or rule.name in only]
        policies = [rule.policy for rule in rules]
        if sdk:
            made = _PolicyAnalyzerServicer(pack, "0.1.0", policies, EnforcementLevel.MANDATORY)
        else:
            made = DispatchingServicer(pack, "0.1.0", policies, EnforcementLevel.MANDATORY)
            made.resource_scopes = resource_scopes(rules)
        _SERVICERS[pack, only, sdk] = made
    return _SERVICERS[pack, only, sdk]


@contextmanager
def stack_environment(run: ProgramRun) -> Iterator[None]:
    saved = {
        k: os.environ.get(k) for k in ("PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN")
    }
    os.environ.update(
        PULUMI_CONFIG=json.dumps(run.config),
        PULUMI_PROJECT=run.project,
        PULUMI_STACK=run.stack,
        PULUMI_DRY_RUN="true" if run.preview else "false",
    )
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def packs_for(run: ProgramRun) -> list[str]:
    tenant = json.loads(run.config.get("landingzone:tenant", "{}"))
    return [BASELINE_PACK, REGULATED_PACK] if tenant.get("tier") == "regulated" else [BASELINE_PACK]


class _Stub:
    """The servicer answering like the gRPC stub: same requests, same responses, no transport."""

    def __init__(self, servicer: _PolicyAnalyzerServicer) -> None:
        self._servicer = servicer

    def __getattr__(self, method: str) -> Any:
        return lambda request, timeout=None: getattr(self._servicer, method)(request, None)


def evaluate(
    run: ProgramRun, packs: list[str] | None = None, only: frozenset[str] = frozenset()
) -> list[PackResult]:
    requests = AnalyzerRequests.build(run)
    results = []
    with stack_environment(run):
        for pack in packs or packs_for(run):
            if only and not any(rule.name in only for rule in pack_rules(pack)):
                continue
            result, _info = converse(_Stub(servicer(pack, only)), requests, lambda _names: None, pack)
            results.append(result)
    return results


def mandatory_violations(results: list[PackResult]) -> list[Diagnostic]:
    return [d for r in results for d in r.diagnostics if d.enforcement == "mandatory" and not d.undecided]


def undecided(results: list[PackResult]) -> list[Diagnostic]:
    return [d for r in results for d in r.diagnostics if d.undecided]


def find(run: ProgramRun, type_: str, name: str) -> RecordedResource:
    targets = [r for r in run.resources if r.type.endswith(type_) and r.name == name]
    assert len(targets) == 1, f"{type_} {name!r} matches {[r.name for r in targets]}"
    return targets[0]


def mutated(run: ProgramRun, type_: str, name: str, mutate: Any) -> ProgramRun:
    """A copy of `run` where `mutate(properties)` changed the one resource `type_` named `name`."""
    targets = [find(run, type_, name)]
    resources: list[RecordedResource] = []
    for resource in run.resources:
        if resource is targets[0]:
            properties = copy.deepcopy(resource.properties)
            mutate(properties)
            # A changed input is now a literal: it no longer depends on the resource it came from.
            changed = {
                k
                for k in {*properties, *resource.properties}
                if properties.get(k) != resource.properties.get(k)
            }
            dependencies = {k: v for k, v in resource.property_dependencies.items() if k not in changed}
            resource = replace(resource, properties=properties, property_dependencies=dependencies)
        resources.append(resource)
    return replace(run, resources=resources)


def added(run: ProgramRun, resource: RecordedResource) -> ProgramRun:
    return replace(run, resources=[*run.resources, resource])


def removed(run: ProgramRun, type_: str, name: str) -> ProgramRun:
    target = find(run, type_, name)
    return replace(run, resources=[r for r in run.resources if r is not target])
