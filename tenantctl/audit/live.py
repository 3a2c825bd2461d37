"""What the audit knows about one live resource, and the tenant's whole live inventory.

Plain records filled by discovery (tenantctl.audit.inventory) and read by the checks and by drift: each
keeps the API's own response (`data`) beside the few fields the checks compare, and its tags as one map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tenantctl.audit.reader import Unobservable

BUCKET_PURPOSES = (
    "model-registry",
    "audit-log",
    "dataset",
    "checkpoint",
    "feature-store",
    "experiment-tracking",
    "artifacts",
)
ARTIFACT_PURPOSES = frozenset({"dataset", "checkpoint", "feature-store", "experiment-tracking", "artifacts"})
KEY_PURPOSES = ("data", "logs", "secrets", "registry")


def tag_map(tags: Any) -> dict[str, str]:
    """AWS spells tags three ways: {k: v}, [{Key, Value}] and [{TagKey, TagValue}]."""
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    result: dict[str, str] = {}
    for tag in tags or []:
        key = tag.get("Key", tag.get("TagKey"))
        value = tag.get("Value", tag.get("TagValue", ""))
        if key is not None:
            result[str(key)] = str(value)
    return result


@dataclass
class LiveKey:
    key_id: str
    arn: str
    aliases: list[str]
    tags: dict[str, str]
    metadata: dict[str, Any]
    rotation_enabled: bool | None = None

    @property
    def resource(self) -> str:
        return self.aliases[0] if self.aliases else self.arn

    def identifiers(self, region: str, account_id: str) -> set[str]:
        names = {self.key_id, self.arn}
        for alias in self.aliases:
            names |= {alias, f"arn:aws:kms:{region}:{account_id}:{alias}"}
        return names


@dataclass
class LiveBucket:
    name: str
    region: str
    tags: dict[str, str]
    purpose: str | None
    versioning: str | None = None
    object_lock: dict[str, Any] | None = None

    @property
    def resource(self) -> str:
        return f"arn:aws:s3:::{self.name}"


@dataclass
class LiveRepository:
    name: str
    arn: str
    data: dict[str, Any]
    tags: dict[str, str]

    @property
    def resource(self) -> str:
        return self.arn


@dataclass
class LiveTrail:
    name: str
    arn: str
    data: dict[str, Any]
    tags: dict[str, str]
    is_logging: bool | None = None

    @property
    def resource(self) -> str:
        return self.arn


@dataclass
class LiveLogGroup:
    name: str
    data: dict[str, Any]
    tags: dict[str, str]

    @property
    def resource(self) -> str:
        return str(self.data.get("logGroupArn") or self.name)


@dataclass
class LiveVpc:
    vpc_id: str
    data: dict[str, Any]
    tags: dict[str, str]

    @property
    def resource(self) -> str:
        return self.vpc_id


@dataclass
class LiveCluster:
    name: str
    data: dict[str, Any]

    @property
    def resource(self) -> str:
        return str(self.data.get("arn") or self.name)

    @property
    def tags(self) -> dict[str, str]:
        return tag_map(self.data.get("tags"))


@dataclass
class LiveNodeGroup:
    name: str
    cluster: str
    data: dict[str, Any]

    @property
    def resource(self) -> str:
        return str(self.data.get("nodegroupArn") or f"{self.cluster}/{self.name}")

    @property
    def tags(self) -> dict[str, str]:
        return tag_map(self.data.get("tags"))


@dataclass
class LiveSecret:
    name: str
    data: dict[str, Any]

    @property
    def resource(self) -> str:
        return str(self.data.get("ARN") or self.name)

    @property
    def tags(self) -> dict[str, str]:
        return tag_map(self.data.get("Tags"))


@dataclass
class LiveRole:
    name: str
    data: dict[str, Any]

    @property
    def resource(self) -> str:
        return str(self.data.get("Arn") or self.name)

    @property
    def tags(self) -> dict[str, str]:
        return tag_map(self.data.get("Tags"))


@dataclass
class LiveUser:
    name: str
    data: dict[str, Any]
    tags: dict[str, str]

    @property
    def resource(self) -> str:
        return str(self.data.get("Arn") or self.name)


@dataclass
class LiveInventory:
    tenant_id: str
    region: str
    account_id: str
    keys: list[LiveKey] = field(default_factory=list)
    buckets: list[LiveBucket] = field(default_factory=list)
    repositories: list[LiveRepository] = field(default_factory=list)
    trails: list[LiveTrail] = field(default_factory=list)
    log_groups: list[LiveLogGroup] = field(default_factory=list)
    vpcs: list[LiveVpc] = field(default_factory=list)
    clusters: list[LiveCluster] = field(default_factory=list)
    node_groups: list[LiveNodeGroup] = field(default_factory=list)
    secrets: list[LiveSecret] = field(default_factory=list)
    roles: list[LiveRole] = field(default_factory=list)
    users: list[LiveUser] = field(default_factory=list)
    # Tagged `tenant=<id>` (Resource Groups Tagging API) but of a kind the audit does not model: ARN -> tags.
    other_tagged: dict[str, dict[str, str]] = field(default_factory=dict)
    # kind -> error code, for each kind the audit could not list; checks on that kind are not_observable.
    errors: dict[str, str] = field(default_factory=dict)

    REGIONAL_KINDS = (
        "keys",
        "buckets",
        "repositories",
        "trails",
        "log_groups",
        "vpcs",
        "clusters",
        "secrets",
    )

    def require(self, kind: str) -> None:
        if kind in self.errors:
            raise Unobservable(self.errors[kind], f"discovery of {kind}", "could not list them")

    def is_empty(self) -> bool:
        """Nothing regional of the tenant, and nothing unlisted that might hide it (IAM is global)."""
        listed = [kind for kind in self.REGIONAL_KINDS if kind not in self.errors]
        return (
            bool(listed)
            and len(listed) == len(self.REGIONAL_KINDS)
            and not any(getattr(self, kind) for kind in listed)
            and not self.other_tagged
        )

    def summary(self) -> dict[str, int]:
        kinds = (*self.REGIONAL_KINDS, "node_groups", "roles", "users")
        return {**{kind: len(getattr(self, kind)) for kind in kinds}, "other_tagged": len(self.other_tagged)}

    def tenant_key_ids(self) -> set[str]:
        ids: set[str] = set()
        for key in self.keys:
            if key.tags.get("tenant") == self.tenant_id:
                ids |= key.identifiers(self.region, self.account_id)
        return ids

    def is_tenant_key(self, reference: str | None) -> bool:
        return bool(reference) and reference in self.tenant_key_ids()

    def buckets_with(self, *purposes: str) -> list[LiveBucket]:
        return [b for b in self.buckets if b.purpose in purposes]

    def expected_bucket_name(self, purpose: str) -> str:
        return f"{self.tenant_id}-{purpose}-{self.account_id}"
