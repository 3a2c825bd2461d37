"""Drift: the stack's intended resources (Pulumi type tokens, camelCase inputs) against the live inventory.

Three kinds of finding: `missing` (intended, not live), `unexpected` (live with the tenant's tag or name,
not intended) and `changed` (a security-relevant property differs). Values Pulumi cannot know before
deploy (None, or its unknown sentinel) are never compared: a preview must not invent drift.

Tenant-tagged resources of kinds the inventory does not model (found by the tagging API: an EC2
instance, a SageMaker notebook, ...) have ids a preview cannot know, so they are matched by type: one
is accounted for when the stack intends a resource of the type that makes it (CREATED_BY), and
`unexpected` otherwise. A key without any alias is compared by its ARN: the stack names keys by alias.

Long (about 420 lines) because there is one small comparer per modelled kind, all recording through
one `_Comparison`; they are kept together so every compared property is listed in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tenantctl.audit.inventory import KEY_PURPOSES, LiveBucket, LiveInventory
from tenantctl.audit.model import Drift

# The value the Pulumi engine puts in place of an output that is not known yet.
PULUMI_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

BUCKET = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
VERSIONING = ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2")
OBJECT_LOCK = (
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
)
KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
REPOSITORY = "aws:ecr/repository:Repository"
TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
VPC = "aws:ec2/vpc:Vpc"
CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
SECRET = "aws:secretsmanager/secret:Secret"
ROLE = "aws:iam/role:Role"

# ARN "<service>:<resource type>" of tagged resources the inventory does not model -> the Pulumi types
# whose resources create them (EC2 instances and their volumes come from node groups' launch templates).
CREATED_BY: dict[str, tuple[str, ...]] = {
    "ec2:subnet": ("aws:ec2/subnet:Subnet",),
    "ec2:security-group": (
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    ),
    "ec2:route-table": ("aws:ec2/routeTable:RouteTable",),
    "ec2:vpc-endpoint": ("aws:ec2/vpcEndpoint:VpcEndpoint",),
    "ec2:vpc-flow-log": ("aws:ec2/flowLog:FlowLog",),
    "ec2:launch-template": ("aws:ec2/launchTemplate:LaunchTemplate",),
    "ec2:natgateway": ("aws:ec2/natGateway:NatGateway",),
    "ec2:internet-gateway": ("aws:ec2/internetGateway:InternetGateway",),
    "ec2:elastic-ip": ("aws:ec2/eip:Eip",),
    "ec2:network-acl": ("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "aws:ec2/networkAcl:NetworkAcl"),
    "ec2:instance": (NODE_GROUP,),
    "ec2:volume": ("aws:ec2/launchTemplate:LaunchTemplate",),
    "eks:nodegroup": (NODE_GROUP,),
    "iam:oidc-provider": ("aws:iam/openIdConnectProvider:OpenIdConnectProvider",),
    "signer:/signing-profiles": ("aws:signer/signingProfile:SigningProfile",),
}


def arn_kind(arn: str) -> str:
    """ "<service>:<resource type>" of an ARN: arn:aws:ec2:r:a:volume/vol-1 -> ec2:volume."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return arn
    resource = parts[5]
    kind = resource.split("/", 1)[0] if "/" in resource else resource.split(":", 1)[0]
    return f"{parts[2]}:{kind}"


def known(value: Any) -> bool:
    if value is None or value == PULUMI_UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(known(v) for v in value.values())
    if isinstance(value, list):
        return all(known(v) for v in value)
    return True


def get(inputs: dict[str, Any], *path: str | int, default: Any = None) -> Any:
    value: Any = inputs
    for part in path:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and len(value) > part else None
        else:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return default
    return value


@dataclass
class _Comparison:
    """State of one comparison: which live resources some intended resource accounted for."""

    live: LiveInventory
    drifts: list[Drift] = field(default_factory=list)
    matched: dict[str, set[str]] = field(default_factory=dict)

    def match(self, kind: str, identity: str) -> None:
        self.matched.setdefault(kind, set()).add(identity)

    def missing(self, resource: dict[str, Any], name: str) -> None:
        self.drifts.append(Drift("missing", resource["type"], name, source=resource.get("source")))

    def found(self, resource: dict[str, Any], kind: str, name: str, attr: str = "name") -> Any:
        """The live `kind` item named `name`, recorded as matched; None, recorded as missing, if absent."""
        item = next((i for i in getattr(self.live, kind) if getattr(i, attr) == name), None)
        if item is None:
            self.missing(resource, name)
        else:
            self.match(kind, name)
        return item

    def compare(
        self, resource: dict[str, Any], name: str, prop: str, intended: Any, live: Any, control: str
    ) -> None:
        if known(intended) and live is not None and _normal(intended) != _normal(live):
            self.drifts.append(
                Drift(
                    "changed", resource["type"], name, prop, intended, live, control, resource.get("source")
                )
            )


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return value.upper() if value.isalpha() else value
    if isinstance(value, list):
        return sorted((_normal(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


def _name(resource: dict[str, Any], *keys: str) -> str:
    inputs = resource.get("inputs") or {}
    for key in keys:
        if known(inputs.get(key)) and inputs.get(key):
            return str(inputs[key])
    return str(resource.get("name", ""))


def _bucket(cmp: _Comparison, resource: dict[str, Any]) -> LiveBucket | None:
    name = _name(resource, "bucket")
    found = next((b for b in cmp.live.buckets if b.name == name), None)
    if found is not None:
        cmp.match("buckets", name)
    return found


def _compare_bucket(cmp: _Comparison, resource: dict[str, Any]) -> None:
    inputs = resource.get("inputs") or {}
    bucket = _bucket(cmp, resource)
    if bucket is None:
        cmp.missing(resource, _name(resource, "bucket"))
        return
    lock_live = bool(bucket.object_lock and bucket.object_lock.get("ObjectLockEnabled") == "Enabled")
    cmp.compare(
        resource, bucket.name, "objectLockEnabled", inputs.get("objectLockEnabled"), lock_live, "PROV-01"
    )
    inline = get(inputs, "versioning", "enabled")
    live_versioning = None if bucket.versioning is None and inline is None else bucket.versioning == "Enabled"
    cmp.compare(resource, bucket.name, "versioning.enabled", inline, live_versioning, "PROV-01")


def _compare_versioning(cmp: _Comparison, resource: dict[str, Any]) -> None:
    bucket = _bucket(cmp, resource)
    if bucket is not None:
        intended = get(resource.get("inputs") or {}, "versioningConfiguration", "status")
        cmp.compare(
            resource,
            bucket.name,
            "versioningConfiguration.status",
            intended,
            bucket.versioning or "Disabled",
            "PROV-01",
        )


def _compare_object_lock(cmp: _Comparison, resource: dict[str, Any]) -> None:
    bucket = _bucket(cmp, resource)
    if bucket is None:
        return
    inputs = resource.get("inputs") or {}
    live = (bucket.object_lock or {}).get("Rule", {}).get("DefaultRetention", {})
    control = "AUD-02" if bucket.purpose == "audit-log" else "PROV-01"
    for prop, live_key in (("mode", "Mode"), ("days", "Days"), ("years", "Years")):
        intended = get(inputs, "rule", "defaultRetention", prop)
        live_value = live.get(live_key) if bucket.object_lock else "absent"
        if live_key == "Years" and intended is None:
            continue
        cmp.compare(resource, bucket.name, f"rule.defaultRetention.{prop}", intended, live_value, control)


def _key_purpose(cmp: _Comparison, resource: dict[str, Any]) -> str | None:
    """Keys have no name in AWS: a Key resource is tied to the alias of the purpose its name carries."""
    name = str(resource.get("name", "")).removeprefix(f"{cmp.live.tenant_id}-").removesuffix("-key")
    return name if name in KEY_PURPOSES else None


def _compare_key(cmp: _Comparison, resource: dict[str, Any]) -> None:
    purpose = _key_purpose(cmp, resource)
    if purpose is None:
        return
    alias = f"alias/{cmp.live.tenant_id}-{purpose}"
    key = next((k for k in cmp.live.keys if alias in k.aliases), None)
    if key is None:
        cmp.missing(resource, alias)
        return
    intended = (resource.get("inputs") or {}).get("enableKeyRotation")
    cmp.compare(resource, alias, "enableKeyRotation", intended, key.rotation_enabled, "SEC-01")


def _compare_alias(cmp: _Comparison, resource: dict[str, Any]) -> None:
    name = _name(resource, "name")
    if any(name in k.aliases for k in cmp.live.keys):
        cmp.match("aliases", name)
    else:
        cmp.missing(resource, name)


def _compare_repository(cmp: _Comparison, resource: dict[str, Any]) -> None:
    name, inputs = _name(resource, "name"), resource.get("inputs") or {}
    repo = cmp.found(resource, "repositories", name)
    if repo is None:
        return
    cmp.compare(
        resource,
        name,
        "imageTagMutability",
        inputs.get("imageTagMutability", "MUTABLE"),
        repo.data.get("imageTagMutability", "MUTABLE"),
        "PROV-03",
    )
    cmp.compare(
        resource,
        name,
        "imageScanningConfiguration.scanOnPush",
        get(inputs, "imageScanningConfiguration", "scanOnPush", default=False),
        bool(get(repo.data, "imageScanningConfiguration", "scanOnPush")),
        "PROV-03",
    )
    intended_encryption = get(inputs, "encryptionConfigurations", 0, "encryptionType", default="AES256")
    live_encryption = get(repo.data, "encryptionConfiguration", "encryptionType", default="AES256")
    cmp.compare(
        resource,
        name,
        "encryptionConfigurations[0].encryptionType",
        intended_encryption,
        live_encryption,
        "PROV-04",
    )


def _compare_trail(cmp: _Comparison, resource: dict[str, Any]) -> None:
    name, inputs = _name(resource, "name"), resource.get("inputs") or {}
    trail = cmp.found(resource, "trails", name)
    if trail is None:
        return
    pairs = (
        ("isMultiRegionTrail", False, "IsMultiRegionTrail"),
        ("enableLogFileValidation", False, "LogFileValidationEnabled"),
        ("includeGlobalServiceEvents", True, "IncludeGlobalServiceEvents"),
        ("s3BucketName", None, "S3BucketName"),
    )
    for prop, default, live_key in pairs:
        cmp.compare(resource, name, prop, inputs.get(prop, default), trail.data.get(live_key), "AUD-01")
    cmp.compare(
        resource, name, "enableLogging", inputs.get("enableLogging", True), trail.is_logging, "AUD-01"
    )


def _compare_log_group(cmp: _Comparison, resource: dict[str, Any]) -> None:
    name, inputs = _name(resource, "name"), resource.get("inputs") or {}
    group = cmp.found(resource, "log_groups", name)
    if group is None:
        return
    intended = inputs.get("retentionInDays")
    cmp.compare(
        resource,
        name,
        "retentionInDays",
        intended or None,
        group.data.get("retentionInDays", "never expires"),
        "AUD-03",
    )


def _compare_vpc(cmp: _Comparison, resource: dict[str, Any]) -> None:
    inputs = resource.get("inputs") or {}
    wanted = get(inputs, "tags", "Name") or f"{cmp.live.tenant_id}-vpc"
    vpc = next((v for v in cmp.live.vpcs if v.tags.get("Name") == wanted), None)
    if vpc is None:
        cmp.missing(resource, wanted)
        return
    cmp.match("vpcs", vpc.vpc_id)
    cmp.compare(resource, wanted, "cidrBlock", inputs.get("cidrBlock"), vpc.data.get("CidrBlock"), "DATA-10")


def _compare_cluster(cmp: _Comparison, resource: dict[str, Any]) -> None:
    name, inputs = _name(resource, "name"), resource.get("inputs") or {}
    cluster = cmp.found(resource, "clusters", name)
    if cluster is None:
        return
    live_vpc = cluster.data.get("resourcesVpcConfig") or {}
    # Pulumi's defaults are EKS's: a public endpoint and no private one, unless the stack says otherwise.
    for prop, default in (("endpointPublicAccess", True), ("endpointPrivateAccess", False)):
        intended = get(inputs, "vpcConfig", prop, default=default)
        cmp.compare(resource, name, f"vpcConfig.{prop}", intended, live_vpc.get(prop), "DATA-08")
    live_logs = sorted(
        {
            t
            for s in get(cluster.data, "logging", "clusterLogging", default=[])
            if s.get("enabled")
            for t in s.get("types", [])
        }
    )
    cmp.compare(
        resource,
        name,
        "enabledClusterLogTypes",
        inputs.get("enabledClusterLogTypes", []),
        live_logs,
        "AUD-05",
    )


def _compare_node_group(cmp: _Comparison, resource: dict[str, Any]) -> None:
    name, inputs = _name(resource, "nodeGroupName"), resource.get("inputs") or {}
    group = cmp.found(resource, "node_groups", name)
    if group is None:
        return
    intended_taints = [
        {"key": t.get("key"), "value": t.get("value"), "effect": t.get("effect")}
        for t in inputs.get("taints") or []
    ]
    live_taints = [
        {"key": t.get("key"), "value": t.get("value"), "effect": t.get("effect")}
        for t in group.data.get("taints") or []
    ]
    cmp.compare(resource, name, "taints", intended_taints, live_taints, "GPU-01")
    cmp.compare(resource, name, "labels", inputs.get("labels", {}), group.data.get("labels") or {}, "GPU-01")


def _named(kind: str, attr: str, *keys: str) -> Callable[[_Comparison, dict[str, Any]], None]:
    def compare(cmp: _Comparison, resource: dict[str, Any]) -> None:
        cmp.found(resource, kind, _name(resource, *keys), attr)

    return compare


def _compare_role(cmp: _Comparison, resource: dict[str, Any]) -> None:
    name = _name(resource, "name")
    role = cmp.found(resource, "roles", name)
    if role is None:
        return
    intended = (resource.get("inputs") or {}).get("maxSessionDuration", 3600)
    cmp.compare(resource, name, "maxSessionDuration", intended, role.data.get("MaxSessionDuration"), "SEC-06")


HANDLERS: dict[str, Callable[[_Comparison, dict[str, Any]], None]] = {
    **dict.fromkeys(BUCKET, _compare_bucket),
    **dict.fromkeys(VERSIONING, _compare_versioning),
    **dict.fromkeys(OBJECT_LOCK, _compare_object_lock),
    KEY: _compare_key,
    ALIAS: _compare_alias,
    REPOSITORY: _compare_repository,
    TRAIL: _compare_trail,
    LOG_GROUP: _compare_log_group,
    VPC: _compare_vpc,
    CLUSTER: _compare_cluster,
    NODE_GROUP: _compare_node_group,
    SECRET: _named("secrets", "name", "name"),
    ROLE: _compare_role,
}


def _live_identities(live: LiveInventory) -> Iterator[tuple[str, str, str]]:
    """(inventory kind, identity, Pulumi type) for every live resource drift can account for."""
    yield from (("buckets", b.name, BUCKET[0]) for b in live.buckets)
    yield from (("aliases", a, ALIAS) for k in live.keys for a in k.aliases)
    yield from (("keys", k.arn, KEY) for k in live.keys if not k.aliases)
    yield from (("repositories", r.name, REPOSITORY) for r in live.repositories)
    yield from (("trails", t.name, TRAIL) for t in live.trails)
    yield from (("log_groups", g.name, LOG_GROUP) for g in live.log_groups)
    yield from (("vpcs", v.vpc_id, VPC) for v in live.vpcs)
    yield from (("clusters", c.name, CLUSTER) for c in live.clusters)
    yield from (("node_groups", g.name, NODE_GROUP) for g in live.node_groups)
    yield from (("secrets", s.name, SECRET) for s in live.secrets)
    yield from (("roles", r.name, ROLE) for r in live.roles)


def compare_intended(intended: list[dict[str, Any]], live: LiveInventory) -> list[Drift]:
    """Differences between what the stack declares and what the account holds for its tenant."""
    cmp = _Comparison(live)
    for resource in intended:
        handler = HANDLERS.get(str(resource.get("type")))
        if handler is not None:
            handler(cmp, resource)
    for kind, identity, type_token in _live_identities(live):
        # A kind the audit could not list cannot tell "unexpected" from "unseen".
        if kind not in live.errors and identity not in cmp.matched.get(kind, set()):
            cmp.drifts.append(Drift("unexpected", type_token, identity))
    intended_types = {str(resource.get("type")) for resource in intended}
    for arn in live.other_tagged:
        kind = arn_kind(arn)
        if not intended_types & set(CREATED_BY.get(kind, ())):
            cmp.drifts.append(Drift("unexpected", kind, arn))
    return cmp.drifts
