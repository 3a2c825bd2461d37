"""`landingzone:tenant`: everything that differs between two tenants, and the rules across its sections.

The tier decides the defaults (TIER_DEFAULTS); the sections are in landingzone.tenant_sections.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator

from landingzone.config_fields import (
    StrictModel,
    TenantId,
    unique,
)
from landingzone.tenant_sections import (
    AccessConfig,
    AccessRole,
    GpuPoolConfig,
    GpuSharing,
    NetworkConfig,
    QuotaConfig,
    RegistryConfig,
    RetentionConfig,
    SecretConfig,
)


class Tier(StrEnum):
    STANDARD = "standard"
    REGULATED = "regulated"


class Environment(StrEnum):
    DEV = "dev"
    EVAL = "eval"
    TRAIN = "train"
    STAGING = "staging"
    PROD = "prod"


class DataClassification(StrEnum):
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"


class ObjectLockMode(StrEnum):
    GOVERNANCE = "GOVERNANCE"
    COMPLIANCE = "COMPLIANCE"


TIER_DEFAULTS: dict[Tier, dict[str, Any]] = {
    Tier.STANDARD: {
        "retention": {"audit_days": 365, "registry_days": 30, "log_days": 90, "artifact_days": 180},
        "data_classification": DataClassification.CONFIDENTIAL.value,
    },
    Tier.REGULATED: {
        "retention": {"audit_days": 2557, "registry_days": 365, "log_days": 365, "artifact_days": 90},
        "data_classification": DataClassification.RESTRICTED.value,
    },
}


class TenantConfig(StrictModel):
    """`landingzone:tenant`: everything that differs between two tenants."""

    id: TenantId = Field(description="Lower-case tenant id, 3-20 chars: a-z, 0-9, '-'. Prefixes all names.")
    tier: Tier = Field(description="`standard` (baseline controls) or `regulated` (baseline + regulated).")
    environments: list[Environment] = Field(
        default_factory=lambda: [Environment.DEV, Environment.PROD],
        min_length=1,
        description="Namespaces to create (default dev, prod); each is isolated.",
    )
    network: NetworkConfig
    gpu_pools: list[GpuPoolConfig] = Field(default_factory=list, description="EKS GPU node groups.")
    quotas: dict[Environment, QuotaConfig] = Field(
        default_factory=dict, description="Per-environment quota overrides (default QuotaConfig())."
    )
    retention: RetentionConfig
    registry: RegistryConfig = Field(default_factory=RegistryConfig)
    secrets: list[SecretConfig] = Field(default_factory=list, description="Rotated Secrets Manager secrets.")
    access: AccessConfig = Field(
        default_factory=AccessConfig, description="Tenant identities by duty (default none)."
    )
    data_classification: DataClassification = Field(
        description="Bucket data-classification tag (default: confidential; restricted when regulated)."
    )

    @model_validator(mode="before")
    @classmethod
    def _tier_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        # An unknown tier is reported on its own; standard defaults keep it from causing noise elsewhere.
        given = data.get("tier")
        tier = given if isinstance(given, str) and given in {t.value for t in Tier} else Tier.STANDARD
        defaults = TIER_DEFAULTS[Tier(tier)]
        merged = dict(data)
        merged.setdefault("data_classification", defaults["data_classification"])
        retention = merged.get("retention", {})
        if isinstance(retention, dict):
            merged["retention"] = {**defaults["retention"], **retention}
        return merged

    @field_validator("environments")
    @classmethod
    def _unique_environments(cls, value: list[Environment]) -> list[Environment]:
        return unique(value, "environment")

    @field_validator("gpu_pools")
    @classmethod
    def _unique_pools(cls, value: list[GpuPoolConfig]) -> list[GpuPoolConfig]:
        unique([pool.name for pool in value], "gpu pool name")
        return value

    @field_validator("secrets")
    @classmethod
    def _unique_secrets(cls, value: list[SecretConfig]) -> list[SecretConfig]:
        unique([secret.name for secret in value], "secret name")
        return value

    @model_validator(mode="after")
    def _cross_field_rules(self) -> TenantConfig:
        problems = []
        stray = sorted(env.value for env in self.quotas if env not in self.environments)
        if stray:
            problems.append(f"quotas name environments that are not configured: {stray}")
        known_profiles = set(self.mig_profiles())
        for env, quota in self.quotas.items():
            unknown = sorted(set(quota.mig) - known_profiles)
            if unknown:
                problems.append(
                    f"quotas.{env.value}.mig names profiles no pool provides: {unknown}; "
                    f"allowed: {sorted(known_profiles)}"
                )
        if self.tier is Tier.REGULATED:
            shared = [p.name for p in self.gpu_pools if p.sharing is not GpuSharing.DEDICATED]
            if shared:
                problems.append(
                    f"regulated tenants get whole GPUs (GPU-03): pools {shared} must be dedicated"
                )
        duty_environments = {
            AccessRole.DEVELOPER: {Environment.DEV, Environment.EVAL, Environment.TRAIN},
            AccessRole.DEPLOYER: {Environment.STAGING, Environment.PROD},
        }
        for duty, allowed in duty_environments.items():
            if getattr(self.access, duty.value) and not allowed & set(self.environments):
                problems.append(f"access.{duty.value} needs one of the environments "
                                f"{sorted(e.value for e in allowed)}")  # fmt: skip
        # Humans never act as a workload: workload and node identities are the platform's machine roles.
        machine = re.compile(rf"arn:aws[a-z-]*:iam::[0-9]{{12}}:role/(?:.*/)?{re.escape(self.id)}-"
                             r"(?:[a-z]+-workload|eks-node|eks-cluster)")  # fmt: skip
        for duty in AccessRole:
            for arn in getattr(self.access, duty.value):
                if machine.fullmatch(arn):
                    problems.append(
                        f"access.{duty.value}: {arn} is a workload/node role; required: a human or CI role"
                    )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def registry_lock_mode(self) -> ObjectLockMode:
        return ObjectLockMode.COMPLIANCE if self.tier is Tier.REGULATED else ObjectLockMode.GOVERNANCE

    @property
    def is_regulated(self) -> bool:
        return self.tier is Tier.REGULATED

    def mig_profiles(self) -> dict[str, int]:
        """Every MIG profile the tenant's pools can offer at full scale: profile -> slice count."""
        totals: dict[str, int] = {}
        for pool in self.gpu_pools:
            for profile, per_node in pool.mig_slices_per_node().items():
                totals[profile] = totals.get(profile, 0) + per_node * pool.max_size
        return totals

    def dedicated_gpus(self) -> int:
        return sum(p.gpus_per_node * p.max_size for p in self.gpu_pools if p.sharing is GpuSharing.DEDICATED)

    def namespace_quota(self, env: Environment) -> dict[str, str]:
        """The ResourceQuota `hard` map for one environment's namespace (GPU-04)."""
        quota = self.quotas.get(env, QuotaConfig())
        gpus = self.dedicated_gpus() if quota.gpus is None else quota.gpus
        hard = {
            "requests.cpu": str(quota.cpu),
            "limits.cpu": str(quota.cpu),
            "requests.memory": f"{quota.memory_gib}Gi",
            "limits.memory": f"{quota.memory_gib}Gi",
            "pods": str(quota.pods),
            "requests.nvidia.com/gpu": str(gpus),
        }
        for profile, total in sorted(self.mig_profiles().items()):
            hard[f"requests.nvidia.com/mig-{profile}"] = str(quota.mig.get(profile, total))
        return hard
