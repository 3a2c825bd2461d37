"""The sets of resources checks judge, drawn from the inventory (and, for network pieces, from EC2 reads).

Resources the landing zone always creates (the registry and audit buckets, the four keys, the trail, the
VPC, the cluster) and those the stack declares (secrets, repositories, workload roles, GPU node groups,
artifact buckets: AuditTarget.declared) come back as Missing when absent, so their checks fail instead
of passing vacuously.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from landingzone.gpu import is_gpu_instance_type
from tenantctl.audit.checks.registry import AuditContext, Missing, Scope
from tenantctl.audit.inventory import ARTIFACT_PURPOSES, KEY_PURPOSES, LiveNodeGroup


def _buckets(purpose: str, required: bool) -> Scope:
    def select(ctx: AuditContext) -> list[Any]:
        ctx.inventory.require("buckets")
        found: list[Any] = ctx.inventory.buckets_with(purpose)
        if not found and required:
            return [Missing(f"arn:aws:s3:::{ctx.inventory.expected_bucket_name(purpose)}")]
        return found

    return Scope(f"{purpose} buckets", select)


REGISTRY_BUCKETS = _buckets("model-registry", required=True)
AUDIT_BUCKETS = _buckets("audit-log", required=True)


def _artifact_buckets(ctx: AuditContext) -> list[Any]:
    ctx.inventory.require("buckets")
    found: list[Any] = ctx.inventory.buckets_with(*sorted(ARTIFACT_PURPOSES))
    present = {bucket.purpose for bucket in found}
    return found + [
        Missing(f"arn:aws:s3:::{ctx.inventory.expected_bucket_name(purpose)}")
        for purpose in ctx.target.declared.artifact_purposes
        if purpose not in present
    ]


def _all_buckets(ctx: AuditContext) -> list[Any]:
    ctx.inventory.require("buckets")
    return list(ctx.inventory.buckets)


ARTIFACT_BUCKETS = Scope("artifact buckets", _artifact_buckets)
ALL_BUCKETS = Scope("buckets", _all_buckets)


def _keys(ctx: AuditContext) -> list[Any]:
    ctx.inventory.require("keys")
    tenant = ctx.target.tenant_id
    present = {alias for key in ctx.inventory.keys for alias in key.aliases}
    missing: list[Any] = [
        Missing(f"alias/{tenant}-{purpose}")
        for purpose in KEY_PURPOSES
        if f"alias/{tenant}-{purpose}" not in present
    ]
    return [*ctx.inventory.keys, *missing]


TENANT_KEYS = Scope("KMS keys", _keys)


def _simple(kind: str, label: str) -> Scope:
    def select(ctx: AuditContext) -> list[Any]:
        ctx.inventory.require(kind)
        return list(getattr(ctx.inventory, kind))

    return Scope(label, select)


def _declared(kind: str, label: str, declared: str) -> Scope:
    """Everything live of `kind`, plus a Missing for each name the stack declares that is not live."""

    def select(ctx: AuditContext) -> list[Any]:
        ctx.inventory.require(kind)
        found: list[Any] = list(getattr(ctx.inventory, kind))
        names = {item.name for item in found}
        return found + [Missing(name) for name in getattr(ctx.target.declared, declared) if name not in names]

    return Scope(label, select)


REPOSITORIES = _declared("repositories", "ECR repositories", "repositories")
LOG_GROUPS = _simple("log_groups", "log groups")
SECRETS = _declared("secrets", "secrets", "secrets")
ROLES = _simple("roles", "IAM roles")
USERS = _simple("users", "IAM users")


def _required(kind: str, label: str, expected: str) -> Scope:
    def select(ctx: AuditContext) -> list[Any]:
        ctx.inventory.require(kind)
        found = list(getattr(ctx.inventory, kind))
        return found or [Missing(expected.format(tenant=ctx.target.tenant_id))]

    return Scope(label, select)


TRAIL = _required("trails", "CloudTrail trail", "{tenant}-audit-trail")
VPCS = _required("vpcs", "VPC", "{tenant}-vpc")
CLUSTER = _required("clusters", "EKS cluster", "{tenant}-cluster")


def _workload_roles(ctx: AuditContext) -> list[Any]:
    ctx.inventory.require("roles")
    found: list[Any] = [role for role in ctx.inventory.roles if role.name.endswith("-workload")]
    names = {role.name for role in found}
    return found + [Missing(name) for name in ctx.target.declared.workload_roles if name not in names]


WORKLOAD_ROLES = Scope("workload roles", _workload_roles)


def launch_template_data(ctx: AuditContext, group: LiveNodeGroup) -> tuple[dict[str, Any] | None, Any]:
    """The launch template version a node group runs (None when it has none) and the reply that said so."""
    template = group.data.get("launchTemplate") or {}
    if not template.get("id") and not template.get("name"):
        return None, None
    ident = (
        {"LaunchTemplateId": template["id"]}
        if template.get("id")
        else {"LaunchTemplateName": template["name"]}
    )
    reply = ctx.read(
        "ec2",
        "describe_launch_template_versions",
        Versions=[str(template.get("version") or "$Default")],
        **ident,
    )
    versions = (reply.data or {}).get("LaunchTemplateVersions", [])
    return (versions[0].get("LaunchTemplateData", {}) if versions else {}), reply


def is_gpu_node_group(ctx: AuditContext, group: LiveNodeGroup) -> bool:
    ami = str(group.data.get("amiType", "")).upper()
    types = list(group.data.get("instanceTypes") or [])
    if not types:
        data, _ = launch_template_data(ctx, group)
        types = [data["InstanceType"]] if data and data.get("InstanceType") else []
    return "GPU" in ami or "NVIDIA" in ami or any(is_gpu_instance_type(t) for t in types)


def _gpu_node_groups(ctx: AuditContext) -> list[Any]:
    ctx.inventory.require("node_groups")
    found: list[Any] = [group for group in ctx.inventory.node_groups if is_gpu_node_group(ctx, group)]
    names = {group.name for group in found}
    return found + [Missing(name) for name in ctx.target.declared.gpu_node_groups if name not in names]


GPU_NODE_GROUPS = Scope("GPU node groups", _gpu_node_groups)


@dataclass(frozen=True)
class SecurityGroup:
    data: dict[str, Any]

    @property
    def resource(self) -> str:
        return str(self.data.get("SecurityGroupArn") or self.data["GroupId"])

    @property
    def is_default(self) -> bool:
        return self.data.get("GroupName") == "default"


def tenant_vpc_ids(ctx: AuditContext) -> list[str]:
    ctx.inventory.require("vpcs")
    return [vpc.vpc_id for vpc in ctx.inventory.vpcs]


def security_groups(ctx: AuditContext) -> tuple[list[SecurityGroup], Any]:
    vpc_ids = tenant_vpc_ids(ctx)
    if not vpc_ids:
        return [], None
    reply = ctx.read("ec2", "describe_security_groups", Filters=[{"Name": "vpc-id", "Values": vpc_ids}])
    return [SecurityGroup(group) for group in (reply.data or {}).get("SecurityGroups", [])], reply


def _security_groups(ctx: AuditContext) -> list[Any]:
    return list(security_groups(ctx)[0])


def _default_security_groups(ctx: AuditContext) -> list[Any]:
    return [group for group in security_groups(ctx)[0] if group.is_default]


SECURITY_GROUPS = Scope("security groups", _security_groups)
DEFAULT_SECURITY_GROUPS = Scope("default security groups", _default_security_groups)


@dataclass(frozen=True)
class Volume:
    data: dict[str, Any]

    @property
    def resource(self) -> str:
        return str(self.data["VolumeId"])


def _volumes(ctx: AuditContext) -> list[Any]:
    filters = [{"Name": "tag:tenant", "Values": [ctx.target.tenant_id]}]
    return [Volume(v) for v in ctx.reader.pages("ec2", "describe_volumes", "Volumes", Filters=filters)]


VOLUMES = Scope("EBS volumes", _volumes)


@dataclass(frozen=True)
class TenantScope:
    """The tenant as a whole, for checks on something the account must contain (a signing profile)."""

    tenant_id: str

    @property
    def resource(self) -> str:
        return f"tenant/{self.tenant_id}"


TENANT = Scope("tenant", lambda ctx: [TenantScope(ctx.target.tenant_id)])
