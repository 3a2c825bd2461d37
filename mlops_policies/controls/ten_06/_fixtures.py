"""An acme stack as the landing zone registers it (cluster, namespaces, admission objects), for TEN-06."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pulumi
from pulumi_policy import StackValidationArgs
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UnknownValueError

from landingzone.admission import settings_from_stack, tenant_policies
from landingzone.config import PLATFORM_KEY, REGION_KEY, TENANT_KEY, load_stack, read_stack_config, stack_file
from mlops_policies.controls.ten_06._expected import BINDING, CLUSTER, NAMESPACE, POLICY
from mlops_policies.rule import Rule
from tests.policies.harness import Outcome, Res, build_resources, set_tenant

PROJECT = Path(__file__).resolve().parents[3]


def stack_config(stack: str = "acme") -> dict[str, Any]:
    return read_stack_config(stack_file(PROJECT, stack))


def landing_zone(stack: str = "acme", quarantined: bool = False) -> list[Res]:
    """The cluster, the namespaces and every generated policy and binding, as the program registers them
    (`quarantined`: as it registers them while landingzone:incident is set)."""
    settings = replace(settings_from_stack(load_stack(PROJECT, stack)), quarantined=quarantined)
    resources = [Res(CLUSTER, f"{stack}-cluster-eks", {"name": f"{stack}-eks"})]
    for namespace in settings.namespaces:
        labels = {"tenant": settings.tenant_id, "pod-security.kubernetes.io/enforce": "restricted"}
        resources.append(Res(NAMESPACE, namespace, {"metadata": {"name": namespace, "labels": labels}}))
    for policy in tenant_policies(settings):
        short = policy.name.removeprefix("mlops-")
        resources.append(Res(POLICY, f"{stack}-admission-{short}-policy", policy.manifest()))
        resources.append(Res(BINDING, f"{stack}-admission-{short}-binding", policy.binding_manifest()))
    return resources


def named(resources: list[Res], name: str) -> Res:
    return next(r for r in resources if r.name == name)


def edited(resources: list[Res], name: str, change: Any) -> list[Res]:
    """A copy of `resources` where `change(props)` edited the props of resource `name` in place."""
    result = copy.deepcopy(resources)
    change(named(result, name).props)
    return result


def run(rule: Rule, resources: list[Res], config: Mapping[str, Any] | None = None) -> Outcome:
    """Like harness.run_stack, with the whole stack config (TEN-06 validates it like the program does)."""
    config = stack_config() if config is None else config
    set_tenant(config.get(TENANT_KEY), config.get(PLATFORM_KEY))
    region = config.get(REGION_KEY)
    if region is None:
        pulumi.runtime.config.CONFIG.get().pop(REGION_KEY, None)
    else:
        pulumi.runtime.set_config(REGION_KEY, region)
    outcome = Outcome()

    def report(message: str, urn: str | None = None) -> None:
        outcome.violations.append(message)
        outcome.urns.append(urn)

    try:
        rule.policy.validate(StackValidationArgs(build_resources(resources), {}), report)  # type: ignore[attr-defined]
    except _NotApplicableError as na:
        outcome.not_applicable = na.reason or ""
    except UnknownValueError as unknown:
        outcome.undecided = unknown.message
    return outcome
