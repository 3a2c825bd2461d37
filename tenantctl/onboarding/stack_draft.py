"""Draft a new tenant's stack file from an onboarding request: allocate, build, validate, render.

Pure with respect to the disk: it reads the fleet it is given and returns text. The caller decides
whether to print it (--dry-run) or write it (under the lock, see writer.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from landingzone.cidr import next_free_block
from landingzone.config import (
    PLATFORM_KEY,
    REGION_KEY,
    TENANT_KEY,
    ConfigError,
    StackSettings,
    parse_settings,
)
from tenantctl.onboarding.defaults import PlatformDefaults
from tenantctl.onboarding.errors import Refusal
from tenantctl.onboarding.fleet import StackFile
from tenantctl.onboarding.intake import OnboardRequest
from tenantctl.onboarding.render import render_stack


@dataclass(frozen=True)
class StackDraft:
    """The stack file onboarding would write: its stack name, path, validated settings and text."""

    stack: str
    source: str
    settings: StackSettings
    text: str


def draft_stack(
    request: OnboardRequest, defaults: PlatformDefaults, fleet: list[StackFile], origin: str
) -> StackDraft:
    """The stack file for `request` in this fleet, or a Refusal listing every problem found."""
    if not request.tenant or not request.tier:
        missing = [name for name in ("tenant", "tier") if not getattr(request, name)]
        raise Refusal(
            origin, [f"{name}: required (--{name} or `{name}:` in the intake file)" for name in missing]
        )
    source = f"stacks/Pulumi.{request.tenant}.yaml"
    _refuse_unreadable(fleet)
    cidr = allocate_cidr(defaults, fleet, source)
    problems = _duplicate_problems(request.tenant, fleet)
    try:
        settings = parse_settings(request.tenant, build_config(request, defaults, cidr), source)
    except ConfigError as err:
        problems.extend(err.problems)
    else:
        problems.extend(_irreversible_retention(settings, defaults, request.confirm_compliance_retention))
    if problems:
        raise Refusal(f"{source} ({origin})", problems)
    return StackDraft(request.tenant, source, settings, render_stack(settings, source))


def _irreversible_retention(
    settings: StackSettings, defaults: PlatformDefaults, confirmed: bool | None
) -> list[str]:
    """COMPLIANCE locks nobody can shorten: above the platform maximum only with an explicit confirmation."""
    if confirmed:
        return []
    retention, limit = settings.tenant.retention, defaults.compliance_retention_max_days
    locked = [("audit_days", retention.audit_days)]
    if settings.tenant.registry_lock_mode.value == "COMPLIANCE":
        locked.append(("registry_days", retention.registry_days))
    return [
        f"{TENANT_KEY}.retention.{name}: {days} days of COMPLIANCE object lock is above the platform maximum "
        f"of {limit} (platform.yaml compliance_retention_max_days); nobody can shorten it once written, so "
        "pass --confirm-compliance-retention if it is meant"
        for name, days in locked
        if days > limit
    ]


def allocate_cidr(defaults: PlatformDefaults, fleet: list[StackFile], source: str) -> str:
    taken = [str(cidr) for stack in fleet if (cidr := stack.cidr) is not None]
    block = next_free_block(str(defaults.pool), defaults.block_prefix, taken)
    if block is None:
        raise Refusal(
            source,
            [
                f"the platform pool {defaults.pool} has no free /{defaults.block_prefix} block left "
                f"({len(taken)} stack(s) hold address space); widen cidr_pool in platform.yaml"
            ],
        )
    return block


def _refuse_unreadable(fleet: list[StackFile]) -> None:
    # A stack whose id or CIDR cannot be read might hold any block or id: allocating next to it could
    # overlap or duplicate it, so nothing is onboarded until it is fixed.
    problems = [
        f"{stack.source}: cannot read its tenant id and network.cidr "
        f"({'; '.join(stack.read_problems) or 'missing or not a CIDR'}); fix or remove it first"
        for stack in fleet
        if stack.tenant_id is None or stack.cidr is None
    ]
    if problems:
        raise Refusal("stacks/", problems)


def _duplicate_problems(tenant_id: str, fleet: list[StackFile]) -> list[str]:
    holders = [stack.source for stack in fleet if tenant_id in (stack.tenant_id, stack.name)]
    if holders:
        return [f"{TENANT_KEY}.id: tenant '{tenant_id}' already exists ({', '.join(holders)})"]
    return []


def build_config(request: OnboardRequest, defaults: PlatformDefaults, cidr: str) -> dict[str, Any]:
    """The stack's `config:` map. Only what was asked for is set; the model fills in its defaults."""
    network: dict[str, Any] = {"cidr": cidr, "availability_zones": list(defaults.availability_zones)}
    _put(network, "egress", request.egress)
    _put(network, "egress_allowlist", request.egress_allowlist)
    tenant: dict[str, Any] = {"id": request.tenant, "tier": request.tier, "network": network}
    _put(tenant, "environments", request.environments)
    if request.gpu_pools is not None:
        tenant["gpu_pools"] = [pool.model_dump(exclude_none=True) for pool in request.gpu_pools]
    if request.secrets is not None:
        tenant["secrets"] = [secret.model_dump(exclude_none=True) for secret in request.secrets]
    registry: dict[str, Any] = {}
    _put(registry, "repositories", request.repositories)
    _put(registry, "artifact_buckets", request.artifact_buckets)
    if registry:
        tenant["registry"] = registry
    if request.retention is not None and request.retention.model_dump(exclude_none=True):
        tenant["retention"] = request.retention.model_dump(exclude_none=True)
    return {
        REGION_KEY: defaults.region,
        PLATFORM_KEY: defaults.platform_block(regulated=request.tier == "regulated"),
        TENANT_KEY: tenant,
    }


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value
