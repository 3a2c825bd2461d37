"""The audit's vocabulary: what is audited (AuditTarget), what a check found (CheckResult), the run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from landingzone.config import (
    MAX_ARTIFACT_RETENTION_DAYS,
    MAX_GPU_NODES,
    MAX_SECRET_ROTATION_DAYS,
    MIN_AUDIT_RETENTION_DAYS,
    MIN_LOG_RETENTION_DAYS,
    MIN_REGISTRY_RETENTION_DAYS,
)

if TYPE_CHECKING:
    from tenantctl.audit.reader import RecordedCall

TOOL_NAME = "tenantctl"
TOOL_VERSION = "0.1.0"


class Status(StrEnum):
    PASS = "pass"  # the evidence shows the control holds
    FAIL = "fail"  # the evidence shows it does not, or a resource the stack declares is missing
    NOT_OBSERVABLE = "not_observable"  # the audit could not read what it needed
    # The stack declares nothing the check judges and the account holds none of it: no evidence either
    # way, so never counted as a pass (an account holding one bucket must not score a pass per check).
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Thresholds:
    """The control minimums (controls.yaml); the same numbers the config model enforces before deploy."""

    min_audit_retention_days: int = MIN_AUDIT_RETENTION_DAYS
    min_registry_retention_days: int = MIN_REGISTRY_RETENTION_DAYS
    min_log_retention_days: int = MIN_LOG_RETENTION_DAYS
    max_rotation_days: int = MAX_SECRET_ROTATION_DAYS
    max_artifact_retention_days: int = MAX_ARTIFACT_RETENTION_DAYS
    max_gpu_nodes: int = MAX_GPU_NODES


@dataclass(frozen=True)
class Declared:
    """What the stack declares beyond what every landing zone has: each one absent live is a failure
    ("missing"), never a vacuous pass. Names as AWS spells them (see the components)."""

    secrets: tuple[str, ...] = ()
    """Secrets Manager names, `<tenant>/<name>`."""
    repositories: tuple[str, ...] = ()
    """ECR repository names, `<tenant>/<name>`."""
    workload_roles: tuple[str, ...] = ()
    """IAM role names, `<tenant>-<environment>-workload`."""
    gpu_node_groups: tuple[str, ...] = ()
    """EKS node group names, `<tenant>-<pool>`."""
    artifact_purposes: tuple[str, ...] = ()
    """Intermediate-artifact bucket purposes (dataset, checkpoint, ...)."""

    @classmethod
    def from_settings(cls, settings: Any) -> Declared:
        """From a validated landingzone.config.StackSettings (the names the program gives them)."""
        tenant = settings.tenant
        return cls(
            secrets=tuple(f"{tenant.id}/{s.name}" for s in tenant.secrets),
            repositories=tuple(f"{tenant.id}/{r}" for r in tenant.registry.repositories),
            workload_roles=tuple(f"{tenant.id}-{env.value}-workload" for env in tenant.environments),
            gpu_node_groups=tuple(f"{tenant.id}-{pool.name}" for pool in tenant.gpu_pools),
            artifact_purposes=tuple(p.value for p in tenant.registry.artifact_buckets),
        )


@dataclass(frozen=True)
class AuditTarget:
    """One tenant in one account and region: the account is always the caller's (STS), never config's."""

    tenant_id: str
    tier: str
    region: str
    account_id: str
    egress: str = "none"
    security_archive_bucket: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    declared: Declared = field(default_factory=Declared)
    caller_arn: str = ""
    """The identity the audit ran as (STS GetCallerIdentity)."""

    @property
    def regulated(self) -> bool:
        return self.tier == "regulated"


@dataclass(frozen=True)
class CheckResult:
    control: str
    check: str
    status: Status
    resource: str
    detail: str
    evidence: dict[str, Any]
    # Names of the recorded API responses (evidence bundle files) the verdict was drawn from.
    sources: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "control": self.control,
            "check": self.check,
            "status": self.status.value,
            "resource": self.resource,
            "detail": self.detail,
            "evidence": self.evidence,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Drift:
    kind: str  # missing | unexpected | changed
    type: str  # Pulumi type token
    name: str
    property: str | None = None
    intended: Any = None
    live: Any = None
    control: str | None = None
    source: str | None = None
    """`path:line` of the program line that constructs the intended resource (missing, changed)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "type": self.type,
            "name": self.name,
            "property": self.property,
            "intended": self.intended,
            "live": self.live,
            "control": self.control,
            "source": self.source,
        }

    def describe(self) -> str:
        if self.kind == "changed":
            return f"{self.name}: {self.property} intended {self.intended!r}, live {self.live!r}"
        if self.kind == "missing":
            return f"{self.name}: intended by the stack, not found live"
        return f"{self.name}: live with the tenant's tag, not in the stack"


@dataclass
class AuditReport:
    target: AuditTarget
    results: list[CheckResult]
    catalog_version: str
    started_at: dt.datetime
    finished_at: dt.datetime
    # True when the region holds nothing of the tenant: every result is then not_observable.
    nothing_found: bool = False
    drift: list[Drift] = field(default_factory=list)
    inventory_summary: dict[str, int] = field(default_factory=dict)
    # Every API response the audit read, in order: the raw material of the evidence bundle.
    responses: list[RecordedCall] = field(default_factory=list, repr=False)
    # Versions the program stamped on the live resources: tag key -> version -> resource count.
    stamped_versions: dict[str, dict[str, int]] = field(default_factory=dict)
    # Provenance of the run (tool, catalog and pack versions, stack file and program hashes).
    provenance: dict[str, Any] = field(default_factory=dict)

    def with_status(self, status: Status) -> list[CheckResult]:
        return [r for r in self.results if r.status is status]

    def counts(self) -> dict[str, int]:
        return {s.value: len(self.with_status(s)) for s in Status}

    def result(self, check: str, resource: str | None = None) -> CheckResult:
        """The one result of `check` (on `resource`, when the check ran on several)."""
        found = [r for r in self.results if r.check == check and resource in (None, r.resource)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} results for check {check!r} on {resource!r}")
        return found[0]

    def exit_code(self) -> int:
        """0: everything observable passed; 1: a check failed or the live state drifted; 2: nothing found."""
        if self.nothing_found:
            return 2
        if self.with_status(Status.FAIL) or self.drift:
            return 1
        return 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
            "catalog_version": self.catalog_version,
            "tenant": self.target.tenant_id,
            "tier": self.target.tier,
            "region": self.target.region,
            "account_id": self.target.account_id,
            "caller_arn": self.target.caller_arn,
            "provenance": self.provenance,
            "stamped_versions": self.stamped_versions,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "nothing_found": self.nothing_found,
            "summary": self.counts(),
            "inventory": self.inventory_summary,
            "results": [r.as_dict() for r in self.results],
            "drift": [d.as_dict() for d in self.drift],
        }
