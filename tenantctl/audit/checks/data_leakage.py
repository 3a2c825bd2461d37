"""Dataset leakage: no door to the internet (DATA-01/02/06/08/10), private TLS-only buckets (DATA-03), tenant
keys at rest (DATA-04) and expiring intermediate artifacts (DATA-05).

Long (about 370 lines): one small check per property of six controls, kept together because they share
the network and bucket readers of the live inventory."""

from __future__ import annotations

from typing import Any

from mlops_policies.policy_documents import parse, statements
from mlops_policies.policy_predicates import bucket_space, denies_insecure_transport, s3_grant_outside
from tenantctl.audit.checks.buckets import bucket_policy
from tenantctl.audit.checks.registry import AuditContext, Outcome, check, verdict
from tenantctl.audit.checks.scopes import (
    ALL_BUCKETS,
    ARTIFACT_BUCKETS,
    CLUSTER,
    DEFAULT_SECURITY_GROUPS,
    LOG_GROUPS,
    SECURITY_GROUPS,
    VOLUMES,
    VPCS,
    SecurityGroup,
    Volume,
)
from tenantctl.audit.inventory import LiveBucket, LiveCluster, LiveLogGroup, LiveVpc

OPEN_CIDRS = {"0.0.0.0/0", "::/0"}
PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
INTERFACE_ENDPOINTS = ("ecr.api", "ecr.dkr", "sts", "kms", "logs")


def _vpc_filter(vpc: LiveVpc, name: str = "vpc-id") -> list[dict[str, Any]]:
    return [{"Name": name, "Values": [vpc.vpc_id]}]


@check("DATA-01", "vpc_no_internet_gateway", VPCS)
def vpc_no_internet_gateway(ctx: AuditContext, vpc: LiveVpc) -> Outcome:
    """The tenant VPC has no internet gateway unless the tenant's egress is nat-allowlist."""
    reply = ctx.read("ec2", "describe_internet_gateways", Filters=_vpc_filter(vpc, "attachment.vpc-id"))
    gateways = [g["InternetGatewayId"] for g in (reply.data or {}).get("InternetGateways", [])]
    allowed = ctx.target.egress == "nat-allowlist"
    evidence = {"InternetGateways": gateways, "egress": ctx.target.egress}
    detail = f"{len(gateways)} internet gateway(s), egress {ctx.target.egress}"
    return verdict(not gateways or allowed, detail, evidence, reply)


@check("DATA-01", "vpc_no_egress_only_gateway", VPCS)
def vpc_no_egress_only_gateway(ctx: AuditContext, vpc: LiveVpc) -> Outcome:
    """The tenant VPC has no egress-only internet gateway."""
    reply = ctx.read("ec2", "describe_egress_only_internet_gateways")
    gateways = [
        g["EgressOnlyInternetGatewayId"]
        for g in (reply.data or {}).get("EgressOnlyInternetGateways", [])
        if any(a.get("VpcId") == vpc.vpc_id for a in g.get("Attachments", []))
    ]
    return verdict(
        not gateways,
        f"{len(gateways)} egress-only gateway(s)",
        {"EgressOnlyInternetGateways": gateways},
        reply,
    )


@check("DATA-01", "subnet_no_public_ip_on_launch", VPCS)
def subnet_no_public_ip_on_launch(ctx: AuditContext, vpc: LiveVpc) -> Outcome:
    """No tenant subnet hands out public IPs."""
    subnets, refs = ctx.reader.listing("ec2", "describe_subnets", "Subnets", Filters=_vpc_filter(vpc))
    public = [s["SubnetId"] for s in subnets if s.get("MapPublicIpOnLaunch")]
    evidence = {"public_subnets": public, "subnets": [s["SubnetId"] for s in subnets]}
    return verdict(not public, f"{len(public)} of {len(subnets)} subnet(s) public", evidence, *refs)


@check("DATA-01", "default_security_group_closed", DEFAULT_SECURITY_GROUPS)
def default_security_group_closed(ctx: AuditContext, group: SecurityGroup) -> Outcome:
    """The VPC's default security group has no rules at all."""
    ingress, egress = group.data.get("IpPermissions") or [], group.data.get("IpPermissionsEgress") or []
    evidence = {"IpPermissions": ingress, "IpPermissionsEgress": egress}
    ok = not ingress and not egress
    return verdict(
        ok,
        f"{len(ingress)} ingress, {len(egress)} egress rule(s)",
        evidence,
        ctx.listed("ec2", "DescribeSecurityGroups"),
    )


def _open_ranges(permission: dict[str, Any]) -> list[str]:
    v4 = [r.get("CidrIp") for r in permission.get("IpRanges") or []]
    v6 = [r.get("CidrIpv6") for r in permission.get("Ipv6Ranges") or []]
    return [str(c) for c in v4 + v6 if c in OPEN_CIDRS]


@check("DATA-02", "security_group_no_open_ingress", SECURITY_GROUPS)
def security_group_no_open_ingress(ctx: AuditContext, group: SecurityGroup) -> Outcome:
    """No security group accepts traffic from 0.0.0.0/0 or ::/0."""
    open_rules = [p for p in group.data.get("IpPermissions") or [] if _open_ranges(p)]
    evidence = {"open_ingress": open_rules}
    return verdict(
        not open_rules,
        f"{len(open_rules)} ingress rule(s) open to the internet",
        evidence,
        ctx.listed("ec2", "DescribeSecurityGroups"),
    )


@check("DATA-02", "security_group_egress_restricted", SECURITY_GROUPS)
def security_group_egress_restricted(ctx: AuditContext, group: SecurityGroup) -> Outcome:
    """Egress to the internet, if any, is tcp/443 for a nat-allowlist tenant; never all ports."""

    def acceptable(permission: dict[str, Any]) -> bool:
        https_only = (
            permission.get("IpProtocol") == "tcp"
            and permission.get("FromPort") == permission.get("ToPort") == 443
        )
        return https_only and ctx.target.egress == "nat-allowlist"

    wide = [p for p in group.data.get("IpPermissionsEgress") or [] if _open_ranges(p) and not acceptable(p)]
    evidence = {"open_egress": wide, "egress": ctx.target.egress}
    return verdict(
        not wide,
        f"{len(wide)} egress rule(s) open to the internet",
        evidence,
        ctx.listed("ec2", "DescribeSecurityGroups"),
    )


@check("DATA-03", "bucket_public_access_block", ALL_BUCKETS)
def bucket_public_access_block(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Buckets block every form of public access."""
    reply = ctx.reader.read(
        "s3", "get_public_access_block", absent={"NoSuchPublicAccessBlockConfiguration"}, Bucket=bucket.name
    )
    config = dict((reply.data or {}).get("PublicAccessBlockConfiguration", {}))
    flags = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    off = [f for f in flags if config.get(f) is not True]
    return verdict(
        not off,
        f"flags off: {off}" if off else "all four flags on",
        {"PublicAccessBlockConfiguration": config or None},
        reply,
    )


@check("DATA-03", "bucket_tls_only_policy", ALL_BUCKETS)
def bucket_tls_only_policy(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Bucket policies deny every request made without TLS (aws:SecureTransport false)."""
    document, reply = bucket_policy(ctx, bucket)
    # The gate's data-03-bucket-tls-only-policy judges the declared policy with the same predicate.
    denying = denies_insecure_transport(document, bucket.name)
    evidence = {"tls_only_deny": denying, "policy": "absent" if document is None else "present"}
    return verdict(
        denying,
        "TLS-only deny present" if denying else "no deny on aws:SecureTransport false",
        evidence,
        reply,
    )


@check("DATA-03", "bucket_acl_not_public", ALL_BUCKETS)
def bucket_acl_not_public(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Bucket ACLs grant nothing to AllUsers or AuthenticatedUsers."""
    reply = ctx.read("s3", "get_bucket_acl", Bucket=bucket.name)
    public = [
        g for g in (reply.data or {}).get("Grants", []) if g.get("Grantee", {}).get("URI") in PUBLIC_GRANTEES
    ]
    return verdict(not public, f"{len(public)} public grant(s)", {"public_grants": public}, reply)


@check("DATA-03", "bucket_owner_enforced", ALL_BUCKETS)
def bucket_owner_enforced(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Bucket ownership is BucketOwnerEnforced, which disables ACLs altogether."""
    reply = ctx.reader.read(
        "s3", "get_bucket_ownership_controls", absent={"OwnershipControlsNotFoundError"}, Bucket=bucket.name
    )
    rules = (reply.data or {}).get("OwnershipControls", {}).get("Rules", [])
    ownership = [r.get("ObjectOwnership") for r in rules]
    return verdict(
        ownership == ["BucketOwnerEnforced"],
        f"ObjectOwnership {ownership or None}",
        {"ObjectOwnership": ownership},
        reply,
    )


@check("DATA-04", "bucket_default_encryption_tenant_key", ALL_BUCKETS)
def bucket_default_encryption_tenant_key(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Buckets encrypt by default with aws:kms and a tenant key."""
    reply = ctx.reader.read(
        "s3",
        "get_bucket_encryption",
        absent={"ServerSideEncryptionConfigurationNotFoundError"},
        Bucket=bucket.name,
    )
    rules = (reply.data or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    defaults = [r.get("ApplyServerSideEncryptionByDefault", {}) for r in rules]
    ok = bool(defaults) and all(
        d.get("SSEAlgorithm") in ("aws:kms", "aws:kms:dsse")
        and ctx.inventory.is_tenant_key(d.get("KMSMasterKeyID"))
        for d in defaults
    )
    detail = (
        ", ".join(f"{d.get('SSEAlgorithm')} {d.get('KMSMasterKeyID')}" for d in defaults)
        or "no default encryption"
    )
    return verdict(ok, detail, {"ApplyServerSideEncryptionByDefault": defaults}, reply)


@check("DATA-04", "log_group_tenant_key", LOG_GROUPS)
def log_group_tenant_key(ctx: AuditContext, group: LiveLogGroup) -> Outcome:
    """Log groups are encrypted with a tenant key."""
    key = group.data.get("kmsKeyId")
    ok = ctx.inventory.is_tenant_key(key)
    return verdict(ok, f"kmsKeyId {key}", {"kmsKeyId": key}, ctx.listed("logs", "DescribeLogGroups"))


@check("DATA-04", "eks_secrets_tenant_key", CLUSTER)
def eks_secrets_tenant_key(ctx: AuditContext, cluster: LiveCluster) -> Outcome:
    """The EKS cluster envelope-encrypts Kubernetes secrets with a tenant key."""
    configs = list(cluster.data.get("encryptionConfig") or [])
    keys = [c.get("provider", {}).get("keyArn") for c in configs if "secrets" in (c.get("resources") or [])]
    ok = bool(keys) and all(ctx.inventory.is_tenant_key(k) for k in keys)
    source = ctx.read("eks", "describe_cluster", name=cluster.name)
    return verdict(ok, f"secrets encrypted with {keys or 'nothing'}", {"encryptionConfig": configs}, source)


@check("DATA-04", "ebs_volume_tenant_key", VOLUMES)
def ebs_volume_tenant_key(ctx: AuditContext, volume: Volume) -> Outcome:
    """The tenant's EBS volumes are encrypted with a tenant key."""
    encrypted, key = volume.data.get("Encrypted"), volume.data.get("KmsKeyId")
    ok = bool(encrypted) and ctx.inventory.is_tenant_key(key)
    return verdict(
        ok,
        f"Encrypted {encrypted}, KmsKeyId {key}",
        {"Encrypted": encrypted, "KmsKeyId": key},
        ctx.listed("ec2", "DescribeVolumes"),
    )


def _whole_bucket(rule: dict[str, Any]) -> bool:
    scope = rule.get("Filter", {"Prefix": rule.get("Prefix", "")})
    return scope in ({}, {"Prefix": ""})


@check("DATA-05", "artifact_bucket_expiry", ARTIFACT_BUCKETS)
def artifact_bucket_expiry(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Artifact buckets expire current and noncurrent versions within maxArtifactRetentionDays."""
    reply = ctx.reader.read(
        "s3",
        "get_bucket_lifecycle_configuration",
        absent={"NoSuchLifecycleConfiguration"},
        Bucket=bucket.name,
    )
    rules = [
        r for r in (reply.data or {}).get("Rules", []) if r.get("Status") == "Enabled" and _whole_bucket(r)
    ]
    limit = ctx.target.thresholds.max_artifact_retention_days
    current = [r["Expiration"]["Days"] for r in rules if (r.get("Expiration") or {}).get("Days")]
    noncurrent = [
        r["NoncurrentVersionExpiration"]["NoncurrentDays"]
        for r in rules
        if (r.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays")
    ]
    ok = any(d <= limit for d in current) and any(d <= limit for d in noncurrent)
    evidence = {"Rules": (reply.data or {}).get("Rules", []), "limit_days": limit}
    detail = f"current expire after {current or 'never'}, noncurrent after {noncurrent or 'never'} days"
    return verdict(ok, detail, evidence, reply)


@check("DATA-06", "vpc_endpoints_present", VPCS)
def vpc_endpoints_present(ctx: AuditContext, vpc: LiveVpc) -> Outcome:
    """The VPC reaches s3 (gateway) and ecr.api, ecr.dkr, sts, kms, logs (private DNS) privately."""
    endpoints, refs = ctx.reader.listing(
        "ec2", "describe_vpc_endpoints", "VpcEndpoints", Filters=_vpc_filter(vpc)
    )
    prefix = f"com.amazonaws.{ctx.target.region}."
    found = {
        (e["ServiceName"].removeprefix(prefix), e.get("VpcEndpointType"), bool(e.get("PrivateDnsEnabled")))
        for e in endpoints
        if e.get("State", "available").lower() not in {"deleted", "deleting", "failed", "rejected"}
    }
    missing = [] if any(s == "s3" and t == "Gateway" for s, t, _ in found) else ["s3 (Gateway)"]
    missing += [
        f"{svc} (Interface, private DNS)"
        for svc in INTERFACE_ENDPOINTS
        if (svc, "Interface", True) not in found
    ]
    evidence = {"endpoints": sorted(f"{s} {t} privateDns={d}" for s, t, d in found), "missing": missing}
    return verdict(
        not missing, f"missing {missing}" if missing else "all private endpoints present", evidence, *refs
    )


@check("DATA-06", "s3_endpoint_policy_scoped", VPCS)
def s3_endpoint_policy_scoped(ctx: AuditContext, vpc: LiveVpc) -> Outcome:
    """The s3 gateway endpoint's policy is limited to the tenant's buckets."""
    endpoints, refs = ctx.reader.listing(
        "ec2", "describe_vpc_endpoints", "VpcEndpoints", Filters=_vpc_filter(vpc)
    )
    s3 = [e for e in endpoints if e["ServiceName"] == f"com.amazonaws.{ctx.target.region}.s3"]
    if not s3:
        return verdict(False, "no s3 endpoint", {"s3_endpoints": []}, *refs)
    # The gate's data-06-s3-endpoint-policy-scoped asks the same of the declared policy; here the tenant's
    # buckets are the ones the account holds.
    spaces = bucket_space(b.name for b in ctx.inventory.buckets)
    outside = {
        e["VpcEndpointId"]: [
            p for s in statements(parse(e.get("PolicyDocument"))) for p in s3_grant_outside(s, spaces)
        ]
        for e in s3
    }
    wide = sorted(endpoint for endpoint, patterns in outside.items() if patterns)
    evidence = {
        "policies": {e["VpcEndpointId"]: parse(e.get("PolicyDocument")) for e in s3},
        "beyond_tenant_buckets": {endpoint: patterns for endpoint, patterns in outside.items() if patterns},
    }
    return verdict(
        not wide,
        f"endpoints allowing s3 actions beyond the tenant's buckets: {wide}" if wide else "scoped",
        evidence,
        *refs,
    )


@check("DATA-08", "eks_endpoint_private", CLUSTER)
def eks_endpoint_private(ctx: AuditContext, cluster: LiveCluster) -> Outcome:
    """The EKS API endpoint is not reachable from the internet."""
    config = dict(cluster.data.get("resourcesVpcConfig") or {})
    public = config.get("endpointPublicAccess")
    evidence = {
        k: config.get(k) for k in ("endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs")
    }
    source = ctx.read("eks", "describe_cluster", name=cluster.name)
    return verdict(public is False, f"endpointPublicAccess {public}", evidence, source)


@check("DATA-10", "vpc_no_peering", VPCS)
def vpc_no_peering(ctx: AuditContext, vpc: LiveVpc) -> Outcome:
    """The tenant VPC is peered with no other VPC."""
    reply = ctx.read("ec2", "describe_vpc_peering_connections")
    live_states = {"active", "pending-acceptance", "provisioning", "initiating-request"}
    peerings = [
        p["VpcPeeringConnectionId"]
        for p in (reply.data or {}).get("VpcPeeringConnections", [])
        if vpc.vpc_id
        in {p.get("RequesterVpcInfo", {}).get("VpcId"), p.get("AccepterVpcInfo", {}).get("VpcId")}
        and p.get("Status", {}).get("Code") in live_states
    ]
    return verdict(
        not peerings, f"{len(peerings)} peering connection(s)", {"VpcPeeringConnections": peerings}, reply
    )


@check("DATA-10", "vpc_no_transit_gateway_attachment", VPCS)
def vpc_no_transit_gateway_attachment(ctx: AuditContext, vpc: LiveVpc) -> Outcome:
    """The tenant VPC is attached to no transit gateway."""
    reply = ctx.read("ec2", "describe_transit_gateway_vpc_attachments", Filters=_vpc_filter(vpc))
    attachments = [
        a["TransitGatewayAttachmentId"]
        for a in (reply.data or {}).get("TransitGatewayVpcAttachments", [])
        if a.get("VpcId") == vpc.vpc_id
        and a.get("State") not in {"deleted", "deleting", "rejected", "failed"}
    ]
    return verdict(
        not attachments,
        f"{len(attachments)} attachment(s)",
        {"TransitGatewayVpcAttachments": attachments},
        reply,
    )
