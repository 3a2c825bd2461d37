"""platform.yaml: what every new tenant gets from the platform (address pool, region, platform block).

The file lives at the project root next to Pulumi.yaml. It is read with a strict model, so a typo in
it is refused with the key named, instead of silently producing stacks with the wrong account.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from landingzone.config import PLATFORM_KEY, PlatformConfig
from tenantctl.onboarding.errors import Refusal

PLATFORM_FILE = "platform.yaml"
# The tenant model accepts VPCs from /16 to /22; a pool block outside that could never validate.
SMALLEST_BLOCK, LARGEST_BLOCK = 22, 16
DEFAULT_MAX_EXEMPTION_DAYS = 90
# Ten years: the longest CloudWatch-style retention the catalog names; longer COMPLIANCE locks need a flag.
DEFAULT_COMPLIANCE_RETENTION_MAX_DAYS = 3653


class _CidrPool(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    pool: str
    block_prefix: int


class _Exemptions(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    approvers: list[str] = Field(default_factory=list)
    max_days: int = Field(default=DEFAULT_MAX_EXEMPTION_DAYS, ge=1, le=365)


class _PlatformFile(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    cidr_pool: _CidrPool
    region: str = Field(alias="aws:region")
    availability_zones: list[str]
    platform: dict[str, Any] = Field(alias="landingzone:platform")  # the keys of a stack file
    regulated_platform: dict[str, Any] = Field(default_factory=dict)
    exemptions: _Exemptions = Field(default_factory=_Exemptions)
    compliance_retention_max_days: int = Field(default=DEFAULT_COMPLIANCE_RETENTION_MAX_DAYS, ge=365)


@dataclass(frozen=True)
class PlatformDefaults:
    """platform.yaml, checked: the pool is a real IPv4 network and its blocks are valid tenant VPCs."""

    pool: ipaddress.IPv4Network
    block_prefix: int
    region: str
    availability_zones: list[str]
    platform: dict[str, Any]
    regulated_platform: dict[str, Any]
    exemption_approvers: tuple[str, ...] = ()
    max_exemption_days: int = DEFAULT_MAX_EXEMPTION_DAYS
    compliance_retention_max_days: int = DEFAULT_COMPLIANCE_RETENTION_MAX_DAYS

    def platform_block(self, regulated: bool) -> dict[str, Any]:
        """`landingzone:platform` for a new tenant; regulated tenants also get the security archive."""
        return {**self.platform, **self.regulated_platform} if regulated else dict(self.platform)


def load_defaults(project_dir: Path) -> PlatformDefaults:
    path = project_dir / PLATFORM_FILE
    try:
        with path.open("rb") as stream:  # a stream, so YAML errors name the file
            document = yaml.safe_load(stream)
    except OSError as err:
        raise Refusal(str(path), [f"cannot read the platform defaults: {err.strerror or err}"]) from None
    except yaml.YAMLError as err:
        raise Refusal(str(path), [f"not valid YAML: {err}"]) from None
    if not isinstance(document, dict):
        raise Refusal(str(path), ["must be a mapping of platform defaults (see the comments in it)"])
    try:
        parsed = _PlatformFile.model_validate(document)
    except ValidationError as err:
        raise Refusal(str(path), [_problem(e) for e in err.errors()]) from None
    problems = _pool_problems(parsed.cidr_pool) + _platform_problems(PLATFORM_KEY, parsed.platform)
    if not problems:
        merged = {**parsed.platform, **parsed.regulated_platform}
        problems = _platform_problems("regulated_platform", merged)
    if problems:
        raise Refusal(str(path), problems)
    return PlatformDefaults(
        pool=ipaddress.IPv4Network(parsed.cidr_pool.pool),
        block_prefix=parsed.cidr_pool.block_prefix,
        region=parsed.region,
        availability_zones=list(parsed.availability_zones),
        platform=dict(parsed.platform),
        regulated_platform=dict(parsed.regulated_platform),
        exemption_approvers=tuple(parsed.exemptions.approvers),
        max_exemption_days=parsed.exemptions.max_days,
        compliance_retention_max_days=parsed.compliance_retention_max_days,
    )


def _problem(error: Any) -> str:
    path = ".".join(str(part) for part in error["loc"])
    return f"{path}: {error['msg']}"


def _pool_problems(cidr_pool: _CidrPool) -> list[str]:
    try:
        pool = ipaddress.ip_network(cidr_pool.pool, strict=True)
    except ValueError as err:
        return [f"cidr_pool.pool: '{cidr_pool.pool}' is not a CIDR block ({err})"]
    if not isinstance(pool, ipaddress.IPv4Network) or not pool.is_private:
        return [f"cidr_pool.pool: '{cidr_pool.pool}' must be an IPv4 block in RFC 1918 space"]
    prefix = cidr_pool.block_prefix
    lowest = max(pool.prefixlen, LARGEST_BLOCK)
    if not lowest <= prefix <= SMALLEST_BLOCK:
        return [f"cidr_pool.block_prefix: /{prefix} must be /{lowest} to /{SMALLEST_BLOCK} for {pool}"]
    return []


def _platform_problems(where: str, block: dict[str, Any]) -> list[str]:
    # Checked here so a bad platform.yaml is reported as such, not as a fault of the tenant being onboarded.
    try:
        PlatformConfig.model_validate(block)
    except ValidationError as err:
        return [f"{where}.{_problem(e)}" for e in err.errors()]
    return []


def load_exemption_settings(project_dir: Path) -> tuple[tuple[str, ...], int]:
    """platform.yaml `exemptions`: (approvers, max_days). No platform.yaml: nobody may approve one."""
    path = project_dir / PLATFORM_FILE
    if not path.is_file():
        return (), DEFAULT_MAX_EXEMPTION_DAYS
    try:
        with path.open("rb") as stream:
            document = yaml.safe_load(stream)
    except OSError as err:
        raise Refusal(str(path), [f"cannot read the platform defaults: {err.strerror or err}"]) from None
    except yaml.YAMLError as err:
        raise Refusal(str(path), [f"not valid YAML: {err}"]) from None
    section = document.get("exemptions", {}) if isinstance(document, dict) else {}
    try:
        parsed = _Exemptions.model_validate(section if section is not None else {})
    except ValidationError as err:
        raise Refusal(str(path), [f"exemptions.{_problem(e)}" for e in err.errors()]) from None
    return tuple(parsed.approvers), parsed.max_days
