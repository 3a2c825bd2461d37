"""The typed tenant configuration: the stack config values `landingzone:tenant` and `landingzone:platform`.

Every field is validated; a bad stack file fails before any resource is registered, with one message
that names the file, each field path and what is allowed, all problems at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from landingzone.cidr import is_allowlist_entry, vpc_cidr_problem
from landingzone.gpu import MIG_DISABLED, load_catalog
from landingzone.kubernetes import supported_versions_problem

CONFIG_NAMESPACE = "landingzone"
TENANT_KEY = f"{CONFIG_NAMESPACE}:tenant"
PLATFORM_KEY = f"{CONFIG_NAMESPACE}:platform"
INCIDENT_KEY = f"{CONFIG_NAMESPACE}:incident"
REGION_KEY = "aws:region"

MANAGED_BY = "mlops-landing-zone"

# Control minimums (controls.yaml): below these no tenant may go, whatever its tier.
MIN_AUDIT_RETENTION_DAYS = 365
MIN_REGISTRY_RETENTION_DAYS = 30
MIN_LOG_RETENTION_DAYS = 90
MAX_ARTIFACT_RETENTION_DAYS = 365
MAX_SECRET_ROTATION_DAYS = 90
MAX_GPU_NODES = 16
# S3 object lock keeps a version at most 100 years (36,500 days); longer is refused by AWS.
MAX_OBJECT_LOCK_DAYS = 36500

# Config keys a stack may set. Everything else in the landingzone: namespace is a typo, and provider
# keys outside the allowlist would change where or as whom a deploy runs (a profile, static keys, a
# role to assume, other endpoints): credentials come from the deploy pipeline, never from the stack.
LANDINGZONE_KEYS = (TENANT_KEY, PLATFORM_KEY, INCIDENT_KEY)
AWS_KEYS = ("aws:region", "aws:defaultTags", "aws:allowedAccountIds")
KUBERNETES_KEYS_REFUSED = ("kubernetes:kubeconfig", "kubernetes:context", "kubernetes:cluster")


def _whole_number(value: Any) -> Any:
    """YAML and JSON turn `true`, `365.0` and `"365"` into other types; a count of days must be a number."""
    if isinstance(value, bool):
        raise ValueError(
            f"found {str(value).lower()}: YAML reads an unquoted true/false/yes/no/on/off as a boolean; "
            "required: a whole number"
        )
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        raise ValueError(f"found the text '{value}'; required: a whole number, unquoted")
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


def _matching(pattern: str, allowed: str) -> AfterValidator:
    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise ValueError(f"{value!r} is not allowed: {allowed}")
        return value

    return AfterValidator(check)


TenantId = Annotated[
    str, _matching(r"[a-z][a-z0-9-]{1,18}[a-z0-9]", "3-20 of a-z, 0-9 and '-', starting with a letter")
]
ResourceName = Annotated[
    str, _matching(r"[a-z][a-z0-9-]{0,30}[a-z0-9]", "2-32 of a-z, 0-9 and '-', starting with a letter")
]
AccountId = Annotated[str, _matching(r"[0-9]{12}", "an AWS account id of 12 digits, quoted")]
AvailabilityZone = Annotated[
    str, _matching(r"[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]", "an availability zone such as us-east-1a")
]


class Tier(StrEnum):
    STANDARD = "standard"
    REGULATED = "regulated"


class Environment(StrEnum):
    DEV = "dev"
    EVAL = "eval"
    TRAIN = "train"
    STAGING = "staging"
    PROD = "prod"


class Egress(StrEnum):
    NONE = "none"
    NAT_ALLOWLIST = "nat-allowlist"


class GpuSharing(StrEnum):
    DEDICATED = "dedicated"
    MIG = "mig"


class DataClassification(StrEnum):
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"


class ArtifactPurpose(StrEnum):
    DATASET = "dataset"
    CHECKPOINT = "checkpoint"
    FEATURE_STORE = "feature-store"
    EXPERIMENT_TRACKING = "experiment-tracking"
    ARTIFACTS = "artifacts"


class ObjectLockMode(StrEnum):
    GOVERNANCE = "GOVERNANCE"
    COMPLIANCE = "COMPLIANCE"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class NetworkConfig(_Strict):
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
        return _unique(value, "availability zone")

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


class GpuPoolConfig(_Strict):
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


class QuotaConfig(_Strict):
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


class RetentionConfig(_Strict):
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
        return _at_most(_at_least(value, MIN_AUDIT_RETENTION_DAYS, "AUD-02"), MAX_OBJECT_LOCK_DAYS)

    @field_validator("registry_days")
    @classmethod
    def _registry_minimum(cls, value: int) -> int:
        return _at_most(_at_least(value, MIN_REGISTRY_RETENTION_DAYS, "PROV-01"), MAX_OBJECT_LOCK_DAYS)

    @field_validator("log_days")
    @classmethod
    def _log_minimum(cls, value: int) -> int:
        if value not in CLOUDWATCH_RETENTION_DAYS:
            raise ValueError(f"{value} is not a CloudWatch retention; allowed: {CLOUDWATCH_RETENTION_DAYS}")
        return _at_least(value, MIN_LOG_RETENTION_DAYS, "AUD-03")

    @field_validator("artifact_days")
    @classmethod
    def _artifact_maximum(cls, value: int) -> int:
        if not 1 <= value <= MAX_ARTIFACT_RETENTION_DAYS:
            raise ValueError(f"{value} days; allowed are 1 to {MAX_ARTIFACT_RETENTION_DAYS} (DATA-05)")
        return value


CLOUDWATCH_RETENTION_DAYS = [
    90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]  # fmt: skip


def _at_most(value: int, maximum: int) -> int:
    if value > maximum:
        raise ValueError(f"{value} days is above the S3 object-lock maximum of {maximum} days (100 years)")
    return value


def _at_least(value: int, minimum: int, control: str) -> int:
    if value < minimum:
        raise ValueError(f"{value} days is below the {control} minimum of {minimum} days")
    return value


class RegistryConfig(_Strict):
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
    _matching(
        r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+",
        "an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
    ),
]


class AccessRole(StrEnum):
    """Tenant duties (PROV-07 separation of duties, at run time in the cluster)."""

    DEVELOPER = "developer"
    DEPLOYER = "deployer"
    APPROVER = "approver"


class AccessConfig(_Strict):
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


class SecretConfig(_Strict):
    name: ResourceName = Field(description="Secret name; stored as <tenant>/<name>.")
    description: str = Field(default="", max_length=256, description="Free text (default empty).")
    rotation_days: WholeNumber = Field(
        default=30, ge=1, le=MAX_SECRET_ROTATION_DAYS, description="Rotation interval (default 30)."
    )


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


class TenantConfig(_Strict):
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
        return _unique(value, "environment")

    @field_validator("gpu_pools")
    @classmethod
    def _unique_pools(cls, value: list[GpuPoolConfig]) -> list[GpuPoolConfig]:
        _unique([pool.name for pool in value], "gpu pool name")
        return value

    @field_validator("secrets")
    @classmethod
    def _unique_secrets(cls, value: list[SecretConfig]) -> list[SecretConfig]:
        _unique([secret.name for secret in value], "secret name")
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


def _unique(values: list[Any], what: str) -> list[Any]:
    seen: set[Any] = set()
    duplicates = sorted({str(v) for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]
    if duplicates:
        raise ValueError(f"duplicate {what}: {duplicates}; each must appear once")
    return values


class PlatformConfig(_Strict):
    """`landingzone:platform`: what the hosting platform provides to every tenant stack."""

    account_id: AccountId = Field(description="The AWS account the tenant lands in (12 digits).")
    admin_role_arn: str = Field(
        description="The platform's break-glass admin role: key admin, cluster admin."
    )
    rotation_lambda_arn: str | None = Field(
        default=None, description="The platform's Secrets Manager rotation Lambda (needed with secrets)."
    )
    security_archive_bucket: str | None = Field(
        default=None,
        description="Bucket name of the platform security archive, outside tenant reach (regulated).",
    )
    security_archive_kms_key_arn: str | None = Field(
        default=None, description="The archive's KMS key that replicas are encrypted with (regulated)."
    )
    kubernetes_version: str = Field(
        default="1.33",
        description="EKS version (default 1.33): one of landingzone/data/kubernetes-versions.yaml.",
    )

    @field_validator("kubernetes_version")
    @classmethod
    def _supported_version(cls, value: str) -> str:
        problem = supported_versions_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("admin_role_arn")
    @classmethod
    def _role_arn(cls, value: str) -> str:
        if not re.fullmatch(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+", value):
            raise ValueError(f"'{value}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
        return value

    @field_validator("rotation_lambda_arn")
    @classmethod
    def _lambda_arn(cls, value: str | None) -> str | None:
        pattern = r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[\w-]+(:[\w-]+)?"
        if value is not None and not re.fullmatch(pattern, value):
            raise ValueError(f"'{value}' is not a Lambda function ARN")
        return value

    @field_validator("security_archive_kms_key_arn")
    @classmethod
    def _kms_arn(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(
            r"arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[\w-]+", value
        ):
            raise ValueError(f"'{value}' is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)")
        return value

    @field_validator("security_archive_bucket")
    @classmethod
    def _bucket_name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", value):
            raise ValueError(f"'{value}' is not an S3 bucket name")
        return value


# ---------------------------------------------------------------- incident state (tenantctl quarantine)


class IncidentState(StrEnum):
    QUARANTINED = "quarantined"


class EvidenceSnapshot(_Strict):
    """What held evidence when the tenant was quarantined (recorded by `tenantctl quarantine` from the
    program): until release none of it may be deleted, shortened or unlocked (AUD-02 quarantine rule)."""

    buckets: list[str] = Field(description="S3 bucket names (audit log, registry, artifacts).")
    log_groups: list[str] = Field(description="CloudWatch log group names.")
    repositories: list[str] = Field(description="ECR repository names.")
    trails: list[str] = Field(description="CloudTrail trail names.")
    key_aliases: list[str] = Field(description="KMS key aliases (alias/<tenant>-<purpose>).")
    audit_retention_days: int = Field(ge=1, description="Audit bucket object-lock days at quarantine.")
    registry_retention_days: int = Field(ge=1, description="Registry object-lock days at quarantine.")
    log_retention_days: int = Field(ge=1, description="Log group retention at quarantine.")
    artifact_retention_days: int = Field(ge=1, description="Artifact expiry at quarantine.")


IncidentTicket = Annotated[
    str,
    _matching(
        r"[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?",
        "1-63 of A-Z, a-z, 0-9, '.', '_' and '-', starting and ending alphanumeric (it becomes a label)",
    ),
]
UtcTimestamp = Annotated[
    str, _matching(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", "UTC as YYYY-MM-DDTHH:MM:SSZ")
]
RoleArn = Annotated[str, _matching(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+", "an IAM role ARN")]


class IncidentConfig(_Strict):
    """`landingzone:incident`: the tenant is quarantined (written by `tenantctl quarantine`, removed by
    `tenantctl release`; docs/incident-response.md). The program then denies all traffic in the tenant's
    namespaces, taints GPU pools NoSchedule, denies every workload-role session issued before `since`
    and gives responders read-only cluster access; evidence is never deleted, shortened or unlocked."""

    state: IncidentState = Field(description="quarantined (the only incident state).")
    ticket: IncidentTicket = Field(description="The incident ticket id.")
    reason: str = Field(min_length=1, max_length=500, description="Why, in one line.")
    since: UtcTimestamp = Field(description="When the quarantine began; older sessions are denied.")
    responder_role_arns: list[RoleArn] = Field(
        default_factory=list, description="Roles given read-only cluster access (default none)."
    )
    evidence: EvidenceSnapshot = Field(description="What held evidence at quarantine time.")
    original_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the original file.")
    original_stack_file: str = Field(
        min_length=1, description="The stack file before quarantine, base64: release restores it exactly."
    )


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
