"""The stack's tenant as policies see it: read from the stack config the Pulumi CLI hands the pack."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from mlops_policies.props import as_str, get, sequence_items


@dataclass(frozen=True)
class Tenant:
    """The stack's tenant as the policy pack sees it, from the stack config the CLI hands over."""

    id: str | None
    tier: str | None
    egress: str | None
    cidr: str | None
    security_archive_bucket: str | None
    account_id: str | None
    mig_profiles: frozenset[str] = frozenset()
    egress_allowlist: tuple[str, ...] = ()
    """network.egress_allowlist: the only destinations outside the VPC that egress may reach."""
    declared: bool = True
    """Whether the stack has a `landingzone:tenant` config at all. A stack without one is not a tenant
    landing zone (another team's project under an org-wide policy group): every policy stands down
    and `ten-01-stack-declares-tenant` alone decides, failing closed unless the org admin lists it."""

    @property
    def is_regulated(self) -> bool:
        # Fail closed: a stack whose tier cannot be read is held to the regulated controls.
        return self.tier != "standard"


def config_value(key: str) -> Any:
    """A structured stack config value (the CLI hands it over as a JSON string); None when unusable.

    A fresh object each call: callers may hold on to it."""
    return _parsed(pulumi.runtime.get_config(key))


def _parsed(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return None
    return raw


TENANT_CONFIG_KEY = "landingzone:tenant"
UNDECLARED_REASON = (
    "the stack has no landingzone:tenant config, so it is not a tenant landing zone; "
    "ten-01-stack-declares-tenant decides whether it may deploy"
)


def current_tenant() -> Tenant:
    return _tenant_of(
        pulumi.runtime.get_config(TENANT_CONFIG_KEY), pulumi.runtime.get_config("landingzone:platform")
    )


# Every rule asks for the tenant on every resource; the config strings are the same each time. Cached
# by value (a frozen Tenant), so a changed config (another test, another stack) is read afresh.
@functools.lru_cache(maxsize=16)
def _tenant_of(tenant_raw: str | None, platform_raw: str | None) -> Tenant:
    """The Tenant the two config strings describe."""
    tenant = _parsed(tenant_raw)
    tenant = tenant if isinstance(tenant, Mapping) else {}
    platform = _parsed(platform_raw)
    platform = platform if isinstance(platform, Mapping) else {}
    return Tenant(
        # Present but unreadable still counts as declared: such a stack is judged, as regulated.
        declared=tenant_raw is not None,
        id=as_str(tenant.get("id")),
        tier=as_str(tenant.get("tier")),
        egress=as_str(get(tenant, "network", "egress", default="none")),
        cidr=as_str(get(tenant, "network", "cidr")),
        security_archive_bucket=as_str(platform.get("security_archive_bucket")),
        account_id=as_str(platform.get("account_id")),
        egress_allowlist=tuple(
            entry
            for entry in sequence_items(get(tenant, "network", "egress_allowlist"))
            if isinstance(entry, str)
        ),
    )
