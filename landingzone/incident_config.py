"""`landingzone:incident`: the quarantine state that `tenantctl quarantine` writes and `release` removes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from landingzone.config_fields import StrictModel, matching


class IncidentState(StrEnum):
    QUARANTINED = "quarantined"


class EvidenceSnapshot(StrictModel):
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
    matching(
        r"[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?",
        "1-63 of A-Z, a-z, 0-9, '.', '_' and '-', starting and ending alphanumeric (it becomes a label)",
    ),
]
UtcTimestamp = Annotated[
    str, matching(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", "UTC as YYYY-MM-DDTHH:MM:SSZ")
]
RoleArn = Annotated[str, matching(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+", "an IAM role ARN")]


class IncidentConfig(StrictModel):
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
