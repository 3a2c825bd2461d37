"""The typed stack configuration: the config keys a stack may set, and their validation as one StackSettings.

Every field is validated; a bad stack file fails before any resource is registered, with one message
that names the file, each field path and what is allowed, all problems at once. The models live beside
this module, one per config value (tenant_config with tenant_sections, platform_config,
incident_config; shared field types in config_fields); their public names are re-exported here so
`landingzone.config` stays the one import for readers of a stack's settings. Just over 300 lines only
because of that re-export list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from landingzone.config_fields import (
    MAX_ARTIFACT_RETENTION_DAYS,
    MAX_GPU_NODES,
    MAX_OBJECT_LOCK_DAYS,
    MAX_SECRET_ROTATION_DAYS,
    MIN_AUDIT_RETENTION_DAYS,
    MIN_LOG_RETENTION_DAYS,
    MIN_REGISTRY_RETENTION_DAYS,
)
from landingzone.incident_config import EvidenceSnapshot, IncidentConfig, IncidentState
from landingzone.platform_config import PlatformConfig
from landingzone.tenant_config import (
    TIER_DEFAULTS,
    DataClassification,
    Environment,
    ObjectLockMode,
    TenantConfig,
    Tier,
)
from landingzone.tenant_sections import (
    AccessConfig,
    AccessRole,
    ArtifactPurpose,
    Egress,
    GpuPoolConfig,
    GpuSharing,
    NetworkConfig,
    QuotaConfig,
    RegistryConfig,
    RetentionConfig,
    SecretConfig,
)

__all__ = [
    "AWS_KEYS",
    "CONFIG_NAMESPACE",
    "INCIDENT_KEY",
    "KUBERNETES_KEYS_REFUSED",
    "LANDINGZONE_KEYS",
    "MANAGED_BY",
    "MAX_ARTIFACT_RETENTION_DAYS",
    "MAX_GPU_NODES",
    "MAX_OBJECT_LOCK_DAYS",
    "MAX_SECRET_ROTATION_DAYS",
    "MIN_AUDIT_RETENTION_DAYS",
    "MIN_LOG_RETENTION_DAYS",
    "MIN_REGISTRY_RETENTION_DAYS",
    "PLATFORM_KEY",
    "REGION_KEY",
    "TENANT_KEY",
    "TIER_DEFAULTS",
    "AccessConfig",
    "AccessRole",
    "ArtifactPurpose",
    "ConfigError",
    "DataClassification",
    "Egress",
    "Environment",
    "EvidenceSnapshot",
    "GpuPoolConfig",
    "GpuSharing",
    "IncidentConfig",
    "IncidentState",
    "NetworkConfig",
    "ObjectLockMode",
    "PlatformConfig",
    "QuotaConfig",
    "RegistryConfig",
    "RetentionConfig",
    "SecretConfig",
    "StackSettings",
    "TenantConfig",
    "Tier",
    "bucket_name",
    "key_problems",
    "load_stack",
    "parse_settings",
    "quote_hint",
    "read_stack_config",
    "settings_from_runtime_config",
    "stack_file",
    "tenant_bucket_names",
]

CONFIG_NAMESPACE = "landingzone"
TENANT_KEY = f"{CONFIG_NAMESPACE}:tenant"
PLATFORM_KEY = f"{CONFIG_NAMESPACE}:platform"
INCIDENT_KEY = f"{CONFIG_NAMESPACE}:incident"
REGION_KEY = "aws:region"

MANAGED_BY = "mlops-landing-zone"

# Config keys a stack may set. Everything else in the landingzone: namespace is a typo, and provider
# keys outside the allowlist would change where or as whom a deploy runs (a profile, static keys, a
# role to assume, other endpoints): credentials come from the deploy pipeline, never from the stack.
LANDINGZONE_KEYS = (TENANT_KEY, PLATFORM_KEY, INCIDENT_KEY)
AWS_KEYS = ("aws:region", "aws:defaultTags", "aws:allowedAccountIds")
KUBERNETES_KEYS_REFUSED = ("kubernetes:kubeconfig", "kubernetes:context", "kubernetes:cluster")


class StackSettings(BaseModel):
    """Everything the program reads from one stack's config, validated together."""

    model_config = ConfigDict(frozen=True)

    stack: str
    region: str
    tenant: TenantConfig
    platform: PlatformConfig
    incident: IncidentConfig | None = None
    """Set while the tenant is quarantined (`landingzone:incident`); None otherwise."""


class ConfigError(Exception):
    """Bad stack config: one message naming the file, each field path and what is allowed."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: invalid stack config ({len(problems)} problem(s)):\n{listing}")


def _format_error(prefix: str, error: Any) -> str:
    path = ".".join(
        str(part) for part in error["loc"] if not str(part).startswith(("function-after", "function-before"))
    )
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    where = f"{prefix}.{path}" if path else prefix
    if error["type"] == "string_type":
        message = quote_hint(error["input"]) or message
    return f"{where}: {message}"


def quote_hint(value: Any) -> str | None:
    """What YAML did to an unquoted value where text was required, and how to keep it text."""
    if isinstance(value, bool):
        return (
            f"found {str(value).lower()}: YAML reads an unquoted true/false/yes/no/on/off as a boolean; "
            "quote it to keep it text"
        )
    if isinstance(value, float):
        return (
            f"found the number {value}: YAML reads unquoted digits with a dot as a number "
            '(1.30 becomes 1.3); quote it, e.g. "1.30"'
        )
    if isinstance(value, int):
        return (
            f"found the number {value}: YAML reads unquoted digits as a number (leading zeros are lost, and "
            'digits 0-7 after a leading 0 are read as octal); quote it, e.g. "011122223333"'
        )
    return None


def key_problems(config: dict[str, Any]) -> list[str]:
    """Stack config keys that are typos in the landingzone: namespace, or that redirect the deploy."""
    problems = []
    for key in config:
        namespace = key.split(":", 1)[0]
        if namespace == CONFIG_NAMESPACE and key not in LANDINGZONE_KEYS:
            problems.append(
                f"{key}: unknown key; allowed in {CONFIG_NAMESPACE}: {', '.join(LANDINGZONE_KEYS)}"
            )
        elif namespace == "aws" and key not in AWS_KEYS:
            problems.append(
                f"{key}: not allowed in a stack file: it would change where or as whom the deploy runs "
                f"(credentials come from the pipeline); allowed aws keys: {', '.join(AWS_KEYS)}"
            )
        elif key in KUBERNETES_KEYS_REFUSED:
            problems.append(
                f"{key}: not allowed in a stack file: the program reaches the tenant cluster through its own "
                "provider; remove it"
            )
    return problems


def parse_settings(stack: str, config: dict[str, Any], source: str) -> StackSettings:
    """Validate a stack's config values (key -> value, as in a stack file's `config:`)."""
    problems: list[str] = key_problems(config)
    region = config.get(REGION_KEY)
    if not isinstance(region, str) or not re.fullmatch(r"[a-z]{2}(-gov)?-[a-z]+-[0-9]", region):
        found = "missing" if region is None else f"'{region}'" if isinstance(region, str) else str(region)
        problems.append(f"{REGION_KEY}: required, an AWS region such as us-east-1 (found {found})")
    parsed: dict[str, Any] = {}
    for key, model in ((TENANT_KEY, TenantConfig), (PLATFORM_KEY, PlatformConfig)):
        raw = config.get(key)
        if raw is None:
            problems.append(f"{key}: required; see README 'Config reference'")
            continue
        try:
            parsed[key] = model.model_validate(raw)
        except ValidationError as err:
            problems.extend(_format_error(key, e) for e in err.errors())
    incident = None
    if config.get(INCIDENT_KEY) is not None:
        try:
            incident = IncidentConfig.model_validate(config[INCIDENT_KEY])
        except ValidationError as err:
            problems.extend(_format_error(INCIDENT_KEY, e) for e in err.errors())
    if not problems:
        problems.extend(_cross_config_problems(parsed[TENANT_KEY], parsed[PLATFORM_KEY], region or ""))
    if problems:
        raise ConfigError(source, problems)
    return StackSettings(
        stack=stack,
        region=str(region),
        tenant=parsed[TENANT_KEY],
        platform=parsed[PLATFORM_KEY],
        incident=incident,
    )


def _cross_config_problems(tenant: TenantConfig, platform: PlatformConfig, region: str) -> list[str]:
    problems = []
    if tenant.secrets and platform.rotation_lambda_arn is None:
        problems.append(
            f"{PLATFORM_KEY}.rotation_lambda_arn: required when the tenant declares secrets (SEC-03)"
        )
    if tenant.is_regulated:
        for field_name in ("security_archive_bucket", "security_archive_kms_key_arn"):
            if getattr(platform, field_name) is None:
                problems.append(f"{PLATFORM_KEY}.{field_name}: required for regulated tenants (AUD-07)")
    for duty in AccessRole:
        if platform.admin_role_arn in getattr(tenant.access, duty.value):
            problems.append(
                f"{TENANT_KEY}.access.{duty.value}: the platform admin role cannot be a tenant identity"
            )
    wrong_zones = [z for z in tenant.network.availability_zones if not z.startswith(region)]
    if wrong_zones:
        problems.append(f"{TENANT_KEY}.network.availability_zones: {wrong_zones} are not in region {region}")
    return problems


def stack_file(project_dir: Path, stack: str) -> Path:
    return project_dir / "stacks" / f"Pulumi.{stack}.yaml"


def read_stack_config(path: Path) -> dict[str, Any]:
    """The `config:` map of a stack file; a clear ConfigError when the YAML itself is unusable."""
    try:
        # libyaml when present: the pure-Python parser dominates fleet-wide validation time. A stream,
        # not its text, so a YAML error names the file instead of "<unicode string>".
        with path.open("rb") as stream:
            document = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise ConfigError(str(path), ["stack file not found"]) from None
    except yaml.YAMLError as err:
        raise ConfigError(str(path), [f"not valid YAML: {err}"]) from None
    if not isinstance(document, dict) or not isinstance(document.get("config", {}), dict):
        raise ConfigError(str(path), ["config: must be a mapping of config keys to values"])
    return dict(document.get("config") or {})


def load_stack(project_dir: Path, stack: str) -> StackSettings:
    path = stack_file(project_dir, stack)
    return parse_settings(stack, read_stack_config(path), str(path.relative_to(project_dir)))


def bucket_name(tenant_id: str, purpose: str, account_id: str) -> str:
    """Every tenant bucket is `<tenant>-<purpose>-<account>`: globally unique and known before creation."""
    return f"{tenant_id}-{purpose}-{account_id}"


def tenant_bucket_names(settings: StackSettings) -> dict[str, str]:
    """purpose -> bucket name for every bucket the tenant's landing zone creates."""
    tenant, account = settings.tenant, settings.platform.account_id
    purposes = ["model-registry", "audit-log", *(p.value for p in tenant.registry.artifact_buckets)]
    return {purpose: bucket_name(tenant.id, purpose, account) for purpose in purposes}


def settings_from_runtime_config(
    stack: str, get: Any, source: str, keys: Iterable[str] = ()
) -> StackSettings:
    """Validate config as a Pulumi program sees it: `get(key)` returns strings, objects as JSON text.

    `keys` are every config key the stack sets (only their names are judged, see `key_problems`).
    """
    raw: dict[str, Any] = dict.fromkeys(keys)
    for key in (REGION_KEY, TENANT_KEY, PLATFORM_KEY, INCIDENT_KEY):
        value = get(key)
        if key == INCIDENT_KEY and value is None:
            continue  # optional: only quarantined stacks have it
        if isinstance(value, str) and key != REGION_KEY:
            try:
                value = json.loads(value)
            except ValueError:
                raise ConfigError(source, [f"{key}: must be an object (YAML mapping)"]) from None
        raw[key] = value
    return parse_settings(stack, raw, source)
