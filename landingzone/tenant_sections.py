"""The sections of `landingzone:tenant`: network, gpu_pools, quotas, retention, registry, access, secrets.

Each section validates itself; rules that need two sections (quotas against pools, duties against
environments) are TenantConfig's (landingzone.tenant_config).

Just over 300 lines: one model per section of the tenant config, each with its own validators.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from landingzone.cidr import is_allowlist_entry, vpc_cidr_problem
from landingzone.config_fields import (
    CLOUDWATCH_RETENTION_DAYS,
    MAX_ARTIFACT_RETENTION_DAYS,
    MAX_GPU_NODES,
    MAX_OBJECT_LOCK_DAYS,
    MAX_SECRET_ROTATION_DAYS,
    MIN_AUDIT_RETENTION_DAYS,
    MIN_LOG_RETENTION_DAYS,
    MIN_REGISTRY_RETENTION_DAYS,
    AvailabilityZone,
    ResourceName,
    StrictModel,
    WholeNumber,
    at_least,
    at_most,
    matching,
    unique,
)
from landingzone.gpu import MIG_DISABLED, load_catalog


class Egress(StrEnum):
    NONE = "none"
    NAT_ALLOWLIST = "nat-allowlist"


class GpuSharing(StrEnum):
    DEDICATED = "dedicated"
    MIG = "mig"


class ArtifactPurpose(StrEnum):
    DATASET = "dataset"
    CHECKPOINT = "checkpoint"
    FEATURE_STORE = "feature-store"
    EXPERIMENT_TRACKING = "experiment-tracking"
    ARTIFACTS = "artifacts"


class NetworkConfig(StrictModel):
    cidr: str = Field(description="The tenant VPC's IPv4 block, a /16 to /22 inside RFC 1918 space.")
    availability_zones: list[AvailabilityZone] = Field(
        min_length=2,
        max_length=3,
        description="2 to 3 distinct AZs (EKS needs two; from config: the program makes no look-ups).",
    )
    egress: Egress = Field(
        default=Egress.NONE, description="`none` (default): no route out. `nat-allowlist`: NAT, 443 only."
    )
    egress_allowlist: list[str] = Field(
        default_factory=list,
        description="With nat-allowlist: the CIDRs or managed prefix lists (pl-...) reachable on 443.",
    )

    @field_validator("cidr")
    @classmethod
    def _cidr_is_private_block(cls, value: str) -> str:
        problem = vpc_cidr_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("availability_zones")
    @classmethod
    def _distinct_zones(cls, value: list[str]) -> list[str]:
        # The same zone twice is one subnet silently; EKS needs subnets in two zones.
        return unique(value, "availability zone")

    @field_validator("egress_allowlist")
    @classmethod
    def _allowlist_entries(cls, value: list[str]) -> list[str]:
        bad = [entry for entry in value if not is_allowlist_entry(entry)]
        if bad:
            raise ValueError(
                f"{bad} are not allowed: entries are IPv4 CIDRs narrower than /0 or prefix list ids (pl-...)"
            )
        # The same test DATA-02 applies to the rendered security groups (imported here, not at module
        # level: the policy library loads the Pulumi policy SDK, which config parsing rarely needs).
        from mlops_policies.network import open_together

        cidrs = [entry for entry in value if not entry.startswith("pl-")]
        if open_together(cidrs):
            raise ValueError(
                f"{cidrs} together cover the whole internet (0.0.0.0/0), which DATA-02 refuses; "
                "allowed: the destinations the tenant needs, narrower than the internet together"
            )
        return value

    @model_validator(mode="after")
    def _allowlist_matches_egress(self) -> NetworkConfig:
        if self.egress is Egress.NAT_ALLOWLIST and not self.egress_allowlist:
            raise ValueError("egress nat-allowlist needs a non-empty egress_allowlist")
        if self.egress is Egress.NONE and self.egress_allowlist:
            raise ValueError("egress_allowlist is only allowed with egress nat-allowlist")
        return self


class GpuPoolConfig(StrictModel):
    name: ResourceName = Field(description="Pool name, unique within the tenant.")
    instance_type: str = Field(description="An instance type from the GPU catalog (landingzone/data).")
    sharing: GpuSharing = Field(
        default=GpuSharing.DEDICATED, description="`dedicated` (default): whole GPUs; `mig`: MIG slices."
    )
    mig_layout: str | None = Field(
        default=None, description="With mig: an nvidia.com/mig.config layout valid for the GPU."
    )
    min_size: WholeNumber = Field(default=0, ge=0, description="Minimum nodes (default 0).")
    max_size: WholeNumber = Field(
        default=2, ge=1, description=f"Maximum nodes (default 2, at most {MAX_GPU_NODES})."
    )
    disk_size_gib: WholeNumber = Field(
        default=200, ge=50, le=16384, description="Root volume size (default 200)."
    )

    @field_validator("instance_type")
    @classmethod
    def _known_instance_type(cls, value: str) -> str:
        catalog = load_catalog()
        if value not in catalog.instance_types:
            allowed = ", ".join(sorted(catalog.instance_types))
            raise ValueError(f"unknown GPU instance type '{value}'; allowed: {allowed}")
        return value

    @model_validator(mode="after")
    def _sizes_and_layout(self) -> GpuPoolConfig:
        problems = []
        if self.max_size < self.min_size:
            problems.append(f"max_size {self.max_size} is below min_size {self.min_size}")
        if self.max_size > MAX_GPU_NODES:
            problems.append(f"max_size {self.max_size} exceeds the {MAX_GPU_NODES}-node limit")
        problems.extend(self._layout_problems())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _layout_problems(self) -> list[str]:
        gpu = load_catalog().instance(self.instance_type).gpu
        if self.sharing is GpuSharing.DEDICATED:
            if self.mig_layout not in (None, MIG_DISABLED):
                return [f"mig_layout is only allowed with sharing mig (dedicated pools use {MIG_DISABLED})"]
            return []
        if not gpu.supports_mig:
            return [f"{self.instance_type} has {gpu.name} GPUs, which have no MIG; use sharing dedicated"]
        valid = [layout for layout in gpu.layouts() if layout != MIG_DISABLED]
        if self.mig_layout not in valid:
            return [
                f"mig_layout '{self.mig_layout}' does not exist for {gpu.name}; allowed: {', '.join(valid)}"
            ]
        return []

    @property
    def effective_mig_layout(self) -> str:
        return self.mig_layout if self.sharing is GpuSharing.MIG and self.mig_layout else MIG_DISABLED

    def mig_slices_per_node(self) -> dict[str, int]:
        if self.sharing is not GpuSharing.MIG:
            return {}
        return load_catalog().mig_slices(self.instance_type, self.effective_mig_layout)

    @property
    def gpus_per_node(self) -> int:
        return load_catalog().instance(self.instance_type).gpus


class QuotaConfig(StrictModel):
    cpu: WholeNumber = Field(
        default=64, ge=1, le=4096, description="requests.cpu / limits.cpu cores (default 64)."
    )
    memory_gib: WholeNumber = Field(
        default=512, ge=1, le=65536, description="requests.memory GiB (default 512)."
    )
    gpus: WholeNumber | None = Field(
        default=None,
        ge=0,
        description="requests.nvidia.com/gpu (default: every dedicated GPU the pools hold).",
    )
    mig: dict[str, WholeNumber] = Field(
        default_factory=dict, description="requests.nvidia.com/mig-<profile> (default: every slice)."
    )
    pods: WholeNumber = Field(default=200, ge=1, le=10000, description="Pod count limit (default 200).")


class RetentionConfig(StrictModel):
    audit_days: WholeNumber = Field(
        description=f"Audit-log object lock (COMPLIANCE) days; {MIN_AUDIT_RETENTION_DAYS} to "
        f"{MAX_OBJECT_LOCK_DAYS}."
    )
    registry_days: WholeNumber = Field(
        description=f"Model-registry object-lock days; {MIN_REGISTRY_RETENTION_DAYS} to "
        f"{MAX_OBJECT_LOCK_DAYS}."
    )
    log_days: WholeNumber = Field(
        description=f"CloudWatch log retention days; at least {MIN_LOG_RETENTION_DAYS}."
    )
    artifact_days: WholeNumber = Field(
        description=f"Dataset/checkpoint/... expiry days; 1 to {MAX_ARTIFACT_RETENTION_DAYS}."
    )

    @field_validator("audit_days")
    @classmethod
    def _audit_minimum(cls, value: int) -> int:
        return at_most(at_least(value, MIN_AUDIT_RETENTION_DAYS, "AUD-02"), MAX_OBJECT_LOCK_DAYS)

    @field_validator("registry_days")
    @classmethod
    def _registry_minimum(cls, value: int) -> int:
        return at_most(at_least(value, MIN_REGISTRY_RETENTION_DAYS, "PROV-01"), MAX_OBJECT_LOCK_DAYS)

    @field_validator("log_days")
    @classmethod
    def _log_minimum(cls, value: int) -> int:
        if value not in CLOUDWATCH_RETENTION_DAYS:
            raise ValueError(f"{value} is not a CloudWatch retention; allowed: {CLOUDWATCH_RETENTION_DAYS}")
        return at_least(value, MIN_LOG_RETENTION_DAYS, "AUD-03")

    @field_validator("artifact_days")
    @classmethod
    def _artifact_maximum(cls, value: int) -> int:
        if not 1 <= value <= MAX_ARTIFACT_RETENTION_DAYS:
            raise ValueError(f"{value} days; allowed are 1 to {MAX_ARTIFACT_RETENTION_DAYS} (DATA-05)")
        return value


class RegistryConfig(StrictModel):
    repositories: list[ResourceName] = Field(
        default_factory=lambda: ["models", "serving"],
        min_length=1,
        description="ECR repositories (default models, serving); tags immutable, scanned on push.",
    )
    artifact_buckets: list[ArtifactPurpose] = Field(
        default_factory=lambda: [ArtifactPurpose.DATASET, ArtifactPurpose.CHECKPOINT],
        description="Intermediate-artifact buckets (default dataset, checkpoint); they expire.",
    )


AccessRoleArn = Annotated[
    str,
    matching(
        r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+",
        "an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
    ),
]


class AccessRole(StrEnum):
    """Tenant duties (PROV-07 separation of duties, at run time in the cluster)."""

    DEVELOPER = "developer"
    DEPLOYER = "deployer"
    APPROVER = "approver"


class AccessConfig(StrictModel):
    """Human and CI identities of the tenant, each with one duty (an ARN may hold only one)."""

    developer: list[AccessRoleArn] = Field(
        default_factory=list,
        description="Edit in the build environments (dev, eval, train), where models are trained and "
        "published; default none.",
    )
    deployer: list[AccessRoleArn] = Field(
        default_factory=list,
        description="Edit in the serving environments (staging, prod), which cannot publish; default none.",
    )
    approver: list[AccessRoleArn] = Field(
        default_factory=list, description="View in every tenant environment; default none."
    )

    @model_validator(mode="after")
    def _one_duty_each(self) -> AccessConfig:
        seen: dict[str, str] = {}
        problems = []
        for duty in AccessRole:
            for arn in getattr(self, duty.value):
                if arn in seen:
                    problems.append(
                        f"{arn} is both {seen[arn]} and {duty.value}; required: one duty per identity"
                    )
                seen.setdefault(arn, duty.value)
        if problems:
            raise ValueError("; ".join(problems))
        return self


class SecretConfig(StrictModel):
    name: ResourceName = Field(description="Secret name; stored as <tenant>/<name>.")
    description: str = Field(default="", max_length=256, description="Free text (default empty).")
    rotation_days: WholeNumber = Field(
        default=30, ge=1, le=MAX_SECRET_ROTATION_DAYS, description="Rotation interval (default 30)."
    )
