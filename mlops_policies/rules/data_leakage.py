"""Dataset leakage: no open door to the internet, private TLS-only buckets, tenant-key encryption,
expiring intermediate artifacts, private AWS endpoints, default-deny namespaces, private serving,
notebooks inside the VPC, and no network path to another tenant.

"Not mine": a stack is one tenant's, so every resource of a rule's types in the stack is judged
(tags are not needed to claim it). "Missing" is a violation unless AWS's default for the missing
input is the compliant value. "Unknown" defers: resource rules let the SDK's unknown error through
(after reporting what is already known); stack rules defer just that resource with `stack.deciding`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pulumi_policy import PolicyResource

from mlops_policies import buckets as s3
from mlops_policies import iam_match
from mlops_policies import keys as kms
from mlops_policies import network as net
from mlops_policies.core import ResourceCheck, Rule, StackCheck, Undecided, label, resource_rule, stack_rule
from mlops_policies.props import (
    UNKNOWN,
    UnknownValueError,
    as_bool,
    as_int,
    as_list,
    as_str,
    get,
    indices,
    item,
    known,
    policy_document,
    statement_values,
    tags_of,
)

NAT_ALLOWLIST = "nat-allowlist"

BUCKETS = s3.BUCKET_TYPES
BUCKET_PUBLIC_ACCESS_BLOCK = s3.PUBLIC_ACCESS_BLOCK
BUCKET_POLICY = s3.POLICY
BUCKET_ACL = s3.ACL
BUCKET_OWNERSHIP_CONTROLS = s3.OWNERSHIP_CONTROLS
BUCKET_ENCRYPTION = s3.ENCRYPTION
BUCKET_LIFECYCLE = s3.LIFECYCLE
KMS_KEY = kms.KEY
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
MANAGED_PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList"
MANAGED_PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"
VPC_PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"
TGW_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
NAMESPACE = "kubernetes:core/v1:Namespace"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
SERVICE = "kubernetes:core/v1:Service"

PUBLIC_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
PUBLIC_GRANTEES = ("/global/AllUsers", "/global/AuthenticatedUsers")
ARTIFACT_PURPOSES = (s3.DATASET, s3.CHECKPOINT, s3.FEATURE_STORE, s3.EXPERIMENT_TRACKING, s3.ARTIFACTS)
INTERFACE_SERVICES = ["ecr.api", "ecr.dkr", "sts", "kms", "logs"]
SCHEME_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-scheme"
INTERNAL_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-internal"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
CROSS_VPC_TARGETS = ("vpcPeeringConnectionId", "transitGatewayId", "coreNetworkArn")


# ---------------------------------------------------------------- message helpers


def _shown(value: Any) -> str:
    """A property value as messages show it: 'text', true/false, numbers, or missing."""
    if value is None:
        return "missing"
    if value is UNKNOWN:
        return "(unknown until apply)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return repr(value)
    return "an object" if isinstance(value, Mapping) else "a list"


def _path(prop: str, *path: str | int) -> str:
    text = prop
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text


def _at(owner: str, where: str) -> str:
    return f"{owner} {where}" if where else owner


def _tier(subnet: PolicyResource) -> str:
    return _shown(get(subnet.props, "tags", "tier"))


def _require_tenant_key(stack: StackCheck, resource: PolicyResource, prop: str, *path: str | int) -> None:
    """Fail `resource` unless the key input at prop/path is a tenant key; undecided defers it."""
    where = f"{label(resource)} {_path(prop, *path)}"
    use = kms.require_decided(kms.key_use(stack, resource, prop, *path), where)
    if not use.tenant_key:
        stack.fail(
            resource,
            f"{label(resource)} has {_path(prop, *path)} {use.found}; required: a KMS key of this stack "
            f"tagged tenant={stack.tenant.id}",
        )


# ================================================================ DATA-01: no open door to the internet


@resource_rule(
    "data-01-no-internet-gateway",
    control="DATA-01",
    types=[net.INTERNET_GATEWAY, net.EGRESS_ONLY_GATEWAY],
    description="The stack creates no internet gateway or egress-only internet gateway, unless the "
    "tenant's network.egress is 'nat-allowlist'.",
    remediation="Remove the aws.ec2.InternetGateway / aws.ec2.EgressOnlyInternetGateway: workloads reach "
    "AWS APIs through VPC endpoints. A tenant that needs internet egress gets network.egress: "
    "nat-allowlist in its stack config; then only NAT gateways in subnets tagged tier=egress may route out.",
)
def no_internet_gateway(r: ResourceCheck) -> None:
    if r.tenant.egress != NAT_ALLOWLIST:
        r.fail(
            f"{r.label} exists while the tenant's network.egress is {_shown(r.tenant.egress)}; required: no "
            "internet gateway unless network.egress is 'nat-allowlist'"
        )


@resource_rule(
    "data-01-no-public-subnet",
    control="DATA-01",
    types=net.SUBNETS,
    description="No subnet assigns public IP addresses on launch (mapPublicIpOnLaunch is false, or unset on "
    "an aws.ec2.Subnet; a DefaultSubnet's unset value is AWS's default for default subnets, true).",
    remediation="Set map_public_ip_on_launch=False (or leave it unset) on the aws.ec2.Subnet. Egress "
    "subnets reach the internet through a NAT gateway's Elastic IP, never through public instance "
    "addresses.",
)
def no_public_subnet(r: ResourceCheck) -> None:
    value = get(r.props, "mapPublicIpOnLaunch")
    if value is None and r.type == net.DEFAULT_SUBNET:
        r.fail(f"{r.label} has mapPublicIpOnLaunch missing (true for a default subnet); required: false")
    elif as_bool(value) is True:
        r.fail(f"{r.label} has mapPublicIpOnLaunch true; required: false")


@resource_rule(
    "data-01-default-sg-no-rules",
    control="DATA-01",
    types=[net.DEFAULT_SECURITY_GROUP],
    description="Managed default security groups have no ingress and no egress rules.",
    remediation="Declare aws.ec2.DefaultSecurityGroup(vpc_id=vpc.id) without ingress/egress arguments (or "
    "with empty lists); give workloads their own security groups.",
)
def default_sg_no_rules(r: ResourceCheck) -> None:
    for direction in ("ingress", "egress"):
        rules = get(r.props, direction)
        count = (
            len(rules)
            if isinstance(rules, Sequence) and not isinstance(rules, str)
            else int(rules is not None)
        )
        if count:
            r.fail(f"{r.label} has {count} {direction} rule(s); required: no {direction} rules")


@stack_rule(
    "data-01-vpc-default-sg-managed",
    control="DATA-01",
    types=[*net.VPCS, net.DEFAULT_SECURITY_GROUP, *net.STANDALONE_SG_RULES],
    description="Every VPC of the stack has an aws:ec2/defaultSecurityGroup:DefaultSecurityGroup managing "
    "its default security group, and no standalone rule resource (SecurityGroupRule, "
    "SecurityGroupIngressRule, SecurityGroupEgressRule) adds a rule to a default security group.",
    remediation="Add aws.ec2.DefaultSecurityGroup(vpc_id=vpc.id) with no ingress/egress for every "
    "aws.ec2.Vpc; AWS otherwise leaves the default group allowing all traffic between its members and all "
    "egress.",
)
def vpc_default_sg_managed(stack: StackCheck) -> None:
    for vpc in stack.of_type(*net.VPCS):
        with stack.deciding(vpc):
            if not net.referrers(stack, vpc, [net.DEFAULT_SECURITY_GROUP], "vpcId"):
                stack.fail(
                    vpc,
                    f"{label(vpc)} has no {net.DEFAULT_SECURITY_GROUP} with vpcId referring to it; "
                    "required: one managing the VPC's default security group with no rules",
                )
    for rule in stack.of_type(*net.STANDALONE_SG_RULES):
        with stack.deciding(rule):
            group = net.default_group_of(stack, rule)
            if group is not None:
                what = "" if group.resource_type == net.DEFAULT_SECURITY_GROUP else "the default group of "
                stack.fail(
                    rule,
                    f"{label(rule)} has securityGroupId referring to {what}{label(group)}; required: no "
                    "rules on a default security group (give workloads their own security groups)",
                )


def _each_route(stack: StackCheck, judge: Callable[[PolicyResource, net.Route], None]) -> None:
    """Judge every route; an unknown in one route defers its owner but never hides its other routes."""
    for owner in stack.of_type(net.ROUTE, net.ROUTE_TABLE, net.DEFAULT_ROUTE_TABLE):
        with stack.deciding(owner):
            found, pending = net.routes_of(owner.resource_type, owner.props)
            for route in found:
                try:
                    judge(owner, route)
                except UnknownValueError as unknown:
                    pending = pending or unknown
            if pending:
                raise pending


def _internet_gateway(owner: PolicyResource, route: net.Route) -> bool:
    target = net.targets_internet_gateway(owner, route)
    if target is None:
        raise Undecided(
            [f"{_at(label(owner), route.where)} has an unknown gatewayId without dependency information"]
        )
    return target


@stack_rule(
    "data-01-internet-routes-from-egress-subnets",
    control="DATA-01",
    types=[net.ROUTE, net.ROUTE_TABLE, net.DEFAULT_ROUTE_TABLE, net.ROUTE_TABLE_ASSOCIATION, net.SUBNET],
    description="Routes to an internet gateway exist only with network.egress 'nat-allowlist', and then "
    "only in route tables associated solely with subnets tagged tier=egress.",
    remediation="Put the internet-gateway route (aws.ec2.Route gateway_id=igw.id, or route_table routes) "
    "only in the route table of the egress subnets (aws.ec2.Subnet tags={'tier': 'egress'}), associated "
    "with aws.ec2.RouteTableAssociation(subnet_id=..., route_table_id=...); never in the VPC's "
    "main/default route table. Without network.egress nat-allowlist, remove internet-gateway routes "
    "entirely.",
)
def internet_routes_from_egress_subnets(stack: StackCheck) -> None:
    def judge(owner: PolicyResource, route: net.Route) -> None:
        if not _internet_gateway(owner, route):
            return
        where = f"{_at(label(owner), route.where)} sends {route.destination_text} to an internet gateway"
        if stack.tenant.egress != NAT_ALLOWLIST:
            stack.fail(
                owner,
                f"{where} while the tenant's network.egress is {_shown(stack.tenant.egress)}; required: no "
                "internet-gateway route unless network.egress is 'nat-allowlist'",
            )
            return
        problem = net.egress_table_problem(stack, net.route_table_of(stack, owner))
        if problem:
            stack.fail(
                owner,
                f"{where} from {problem}; required: internet-gateway routes only in route tables associated "
                "solely with subnets tagged tier=egress",
            )

    _each_route(stack, judge)


@stack_rule(
    "data-01-private-default-route-via-nat",
    control="DATA-01",
    types=[net.ROUTE, net.ROUTE_TABLE, net.DEFAULT_ROUTE_TABLE, net.ROUTE_TABLE_ASSOCIATION, net.SUBNET],
    description="Route tables of subnets that are not egress subnets send 0.0.0.0/0 and ::/0 only to a NAT "
    "gateway.",
    remediation="In private route tables, point the default route at the NAT gateway (aws.ec2.Route "
    "nat_gateway_id=nat.id); remove default routes via egress-only gateways, VPN gateways, network "
    "interfaces, transit gateways or peering connections.",
)
def private_default_route_via_nat(stack: StackCheck) -> None:
    def judge(owner: PolicyResource, route: net.Route) -> None:
        # Internet-gateway routes are judged by data-01-internet-routes-from-egress-subnets.
        if not route.to_internet or route.target == "natGatewayId" or _internet_gateway(owner, route):
            return
        problem = net.egress_table_problem(stack, net.route_table_of(stack, owner))
        if problem:
            stack.fail(
                owner,
                f"{_at(label(owner), route.where)} sends {route.destination_text} via "
                f"{route.target or 'no target'} from {problem}; required: default routes of non-egress "
                "subnets only via natGatewayId",
            )

    _each_route(stack, judge)


@stack_rule(
    "data-01-nat-gateway-in-egress-subnet",
    control="DATA-01",
    types=[net.NAT_GATEWAY, net.SUBNET],
    description="Public NAT gateways exist only with network.egress 'nat-allowlist', and then only in "
    "subnets tagged tier=egress.",
    remediation="Create aws.ec2.NatGateway(subnet_id=egress_subnet.id) in a subnet tagged tier=egress (the "
    "regional availability mode has no subnet and is not accepted); use connectivity_type='private' for "
    "NAT between private networks. Without network.egress nat-allowlist, remove public NAT gateways.",
)
def nat_gateway_in_egress_subnet(stack: StackCheck) -> None:
    for nat in stack.of_type(net.NAT_GATEWAY):
        with stack.deciding(nat):
            if get(nat.props, "connectivityType", default="public") == "private":
                continue
            if stack.tenant.egress != NAT_ALLOWLIST:
                stack.fail(
                    nat,
                    f"{label(nat)} is a public NAT gateway while the tenant's network.egress is "
                    f"{_shown(stack.tenant.egress)}; required: no public NAT gateway unless network.egress "
                    "is 'nat-allowlist'",
                )
                continue
            subnet = net.referenced(stack, nat, "subnetId", [net.SUBNET])
            if subnet is None:
                found = "missing" if known(nat.props, "subnetId") is None else "a subnet outside this stack"
                stack.fail(
                    nat,
                    f"{label(nat)} has subnetId {found}; required: a subnet of this stack tagged tier=egress",
                )
            elif get(subnet.props, "tags", "tier") != "egress":
                stack.fail(
                    nat,
                    f"{label(nat)} sits in {label(subnet)} with tags.tier {_tier(subnet)}; required: a "
                    "subnet tagged tier=egress",
                )


# ================================================================ DATA-02: security groups deny by default


@resource_rule(
    "data-02-no-open-ingress",
    control="DATA-02",
    types=[net.SECURITY_GROUP, net.SECURITY_GROUP_RULE, net.VPC_INGRESS_RULE],
    description="No security group or ingress rule admits traffic from 0.0.0.0/0 or ::/0 (alone or added "
    "up).",
    remediation="Replace the open CIDR in ingress cidr_blocks / ipv6_cidr_blocks "
    "(aws.vpc.SecurityGroupIngressRule cidr_ipv4 / cidr_ipv6) with the source security group "
    "(security_groups / referenced_security_group_id), a prefix list, or the tenant's CIDR. Public entry "
    "points belong to the platform's ingress, not tenant stacks.",
)
def no_open_ingress(r: ResourceCheck) -> None:
    rules, pending = net.sg_rules(r.type, r.props, "ingress")
    for rule in rules:
        opened = rule.open_cidrs()
        if opened:
            r.fail(
                f"{r.label} has {net.describe_values(opened)} ({rule.traffic()}) for ingress; required: no "
                "ingress from 0.0.0.0/0 or ::/0"
            )
    if pending:
        raise pending


@resource_rule(
    "data-02-egress-allowlist",
    control="DATA-02",
    types=[net.SECURITY_GROUP, net.SECURITY_GROUP_RULE, net.VPC_EGRESS_RULE],
    description="Egress never goes to 0.0.0.0/0 or ::/0, and egress on all ports or protocols goes only to "
    "security groups or inside the tenant's CIDR.",
    remediation="Reading of the spec: 'egress to 0.0.0.0/0 only on 443 toward a declared allowlist' means "
    "the allowlist IS the destination, so an egress rule to 0.0.0.0/0 or ::/0 is always a violation. Allow "
    "tcp 443 (from_port=to_port=443) toward prefix lists (prefix_list_ids), VPC endpoint security groups "
    "(security_groups / referenced_security_group_id) or specific CIDRs; keep protocol '-1' / all-port "
    "rules to security groups or the tenant's VPC CIDR.",
)
def egress_allowlist(r: ResourceCheck) -> None:
    rules, pending = net.sg_rules(r.type, r.props, "egress")
    for rule in rules:
        opened = rule.open_cidrs()
        if opened:
            r.fail(
                f"{r.label} has {net.describe_values(opened)} ({rule.traffic()}) for egress; required: no "
                "egress to 0.0.0.0/0 or ::/0, only tcp 443 toward prefix lists, security groups or "
                "specific CIDRs"
            )
            continue
        outside = [(p, c) for p, c in rule.cidrs if not net.inside(c, r.tenant.cidr)] + list(
            rule.prefix_lists
        )
        if rule.all_traffic and outside:
            r.fail(
                f"{r.label} has {net.describe_values(outside)} ({rule.traffic()}) for egress; required: "
                "egress on all ports or protocols only to security groups or inside the tenant CIDR "
                f"{_shown(r.tenant.cidr)}"
            )
    if pending:
        raise pending


@resource_rule(
    "data-02-egress-to-declared-allowlist",
    control="DATA-02",
    types=[net.SECURITY_GROUP, net.SECURITY_GROUP_RULE, net.VPC_EGRESS_RULE],
    description="Egress to addresses outside the tenant VPC goes only to CIDRs inside the tenant's declared "
    "network.egress_allowlist (none at all with egress 'none').",
    remediation="Add the destination to landingzone:tenant network.egress_allowlist (with egress "
    "'nat-allowlist') in the stack file, through a reviewed pull request, or remove the egress rule. Prefix "
    "lists and security groups are judged by their own rules.",
)
def egress_to_declared_allowlist(r: ResourceCheck) -> None:
    allowlist = [c for c in r.tenant.egress_allowlist if not c.startswith("pl-")]
    rules, pending = net.sg_rules(r.type, r.props, "egress")
    for rule in rules:
        undeclared = [
            (prop, cidr)
            for prop, cidr in rule.cidrs
            if not net.inside(cidr, r.tenant.cidr) and not any(net.inside(cidr, a) for a in allowlist)
        ]
        if undeclared:
            r.fail(
                f"{r.label} has {net.describe_values(undeclared)} ({rule.traffic()}) for egress outside the "
                f"tenant VPC; required: destinations inside network.egress_allowlist {sorted(allowlist)}"
            )
    if pending:
        raise pending


@resource_rule(
    "data-02-prefix-list-no-open-entries",
    control="DATA-02",
    types=[MANAGED_PREFIX_LIST, MANAGED_PREFIX_LIST_ENTRY],
    description="Prefix lists, the declared egress allowlists, contain no 0.0.0.0/0 or ::/0 entry.",
    remediation="Remove the open entry from aws.ec2.ManagedPrefixList entries (or the "
    "aws.ec2.ManagedPrefixListEntry cidr); list the specific destinations the tenant may reach.",
)
def prefix_list_no_open_entries(r: ResourceCheck) -> None:
    if r.type == MANAGED_PREFIX_LIST_ENTRY:
        cidrs = [("cidr", get(r.props, "cidr"))]
    else:
        cidrs = [
            (f"entries[{i}].cidr", get(e, "cidr")) for i, e in enumerate(as_list(get(r.props, "entries")))
        ]
    entries = [(prop, cidr) for prop, cidr in cidrs if isinstance(cidr, str)]
    opened = [(p, c) for p, c in entries if net.is_open(c)] or (
        entries if net.open_together(c for _, c in entries) else []
    )
    if opened:
        r.fail(f"{r.label} has {net.describe_values(opened)}; required: no entry covering 0.0.0.0/0 or ::/0")


def _overlaps(a: net.SgRule, b: net.SgRule) -> bool:
    """Whether two permissions admit some common traffic (same protocol or all, overlapping ports)."""
    if "all" not in {a.protocol, b.protocol} and a.protocol != b.protocol:
        return False
    if a.all_traffic or b.all_traffic or a.protocol not in {"tcp", "udp"}:
        return True
    low_a, high_a, low_b, high_b = a.from_port or 0, a.to_port or 0, b.from_port or 0, b.to_port or 0
    return low_a <= high_b and low_b <= high_a


@stack_rule(
    "data-02-no-internet-across-rules",
    control="DATA-02",
    types=[net.SECURITY_GROUP, *net.STANDALONE_SG_RULES, MANAGED_PREFIX_LIST, MANAGED_PREFIX_LIST_ENTRY],
    description="The CIDRs that several permissions of one security group admit for the same traffic (inline "
    "rules and standalone rule resources together), or that the entries of one prefix list hold (inline and "
    "ManagedPrefixListEntry resources together), do not add up to the internet (0.0.0.0/1 + 128.0.0.0/1, "
    "/4 splits, 0.0.0.0/0 minus private space: mlops_policies.network.open_together).",
    remediation="Replace the CIDR splits with the specific sources or destinations the workload needs "
    "(security groups, prefix lists of named services, the tenant CIDR); splitting 0.0.0.0/0 across rules "
    "or entries is still 0.0.0.0/0.",
)
def no_internet_across_rules(stack: StackCheck) -> None:
    for group in stack.of_type(net.SECURITY_GROUP):
        for direction in ("ingress", "egress"):
            with stack.deciding(group):
                permissions = [
                    (label(group), rule)
                    for rule in net.sg_rules(group.resource_type, group.props, direction)[0]
                ]
                for standalone in stack.of_type(*net.STANDALONE_SG_RULES):
                    if net.refers_to(standalone, "securityGroupId", group):
                        found = net.sg_rules(standalone.resource_type, standalone.props, direction)[0]
                        permissions.extend((label(standalone), rule) for rule in found)
                for _, probe in permissions:
                    together = [(owner, rule) for owner, rule in permissions if _overlaps(probe, rule)]
                    cidrs = [cidr for _, rule in together for _, cidr in rule.cidrs]
                    if (
                        len(together) > 1
                        and net.open_together(cidrs)
                        and not any(rule.open_cidrs() for _, rule in together)
                    ):
                        owners = sorted({owner for owner, _ in together})
                        stack.fail(
                            group,
                            f"{label(group)} admits {probe.traffic()} for {direction} from {len(cidrs)} "
                            "CIDRs that "
                            f"together reach the internet (in {', '.join(owners)}); required: no "
                            f"{direction} from 0.0.0.0/0 or ::/0, whole or split",
                        )
                        break
    for prefix_list in stack.of_type(MANAGED_PREFIX_LIST):
        with stack.deciding(prefix_list):
            cidrs = [get(entry, "cidr") for entry in as_list(get(prefix_list.props, "entries"))]
            entries = [
                e
                for e in stack.of_type(MANAGED_PREFIX_LIST_ENTRY)
                if net.refers_to(e, "prefixListId", prefix_list)
            ]
            cidrs += [get(entry.props, "cidr") for entry in entries]
            if (
                entries
                and net.open_together(cidrs)
                and not net.open_together(cidrs[: len(cidrs) - len(entries)])
            ):
                stack.fail(
                    prefix_list,
                    f"{label(prefix_list)} holds {len(cidrs)} CIDRs (with {len(entries)} "
                    f"{MANAGED_PREFIX_LIST_ENTRY} resources) that together reach the internet; required: "
                    "no entries adding up to 0.0.0.0/0 or ::/0",
                )


# ================================================================ DATA-03: buckets are private and TLS-only

_PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


@stack_rule(
    "data-03-bucket-has-public-access-block",
    control="DATA-03",
    types=[*BUCKETS, *s3.PUBLIC_ACCESS_BLOCK_TYPES],
    description="Every bucket has a BucketPublicAccessBlock.",
    remediation="Add aws.s3.BucketPublicAccessBlock(bucket=bucket.id, block_public_acls=True, "
    "block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True) for the bucket.",
)
def bucket_has_public_access_block(stack: StackCheck) -> None:
    for bucket in s3.buckets(stack):
        with stack.deciding(bucket):
            if not s3.sub_resources(stack, bucket, BUCKET_PUBLIC_ACCESS_BLOCK):
                stack.fail(
                    bucket,
                    f"{label(bucket)} has no {BUCKET_PUBLIC_ACCESS_BLOCK}; required: one with "
                    f"{', '.join(_PAB_FLAGS)} true",
                )


@resource_rule(
    "data-03-public-access-block-all-true",
    control="DATA-03",
    types=[BUCKET_PUBLIC_ACCESS_BLOCK],
    description="Bucket public access blocks set all four flags to true.",
    remediation="Set block_public_acls, block_public_policy, ignore_public_acls and "
    "restrict_public_buckets to True on the aws.s3.BucketPublicAccessBlock (a missing flag means false).",
)
def public_access_block_all_true(r: ResourceCheck) -> None:
    values = {flag: get(r.props, flag) for flag in _PAB_FLAGS}
    off = [f"{flag} {_shown(value)}" for flag, value in values.items() if as_bool(value) is not True]
    if off:
        r.fail(f"{r.label} has {', '.join(off)}; required: {', '.join(_PAB_FLAGS)} all true")


@stack_rule(
    "data-03-bucket-tls-only-policy",
    control="DATA-03",
    types=[*BUCKETS, *s3.POLICY_TYPES],
    description="Every bucket has a bucket policy denying all principals every S3 action on the bucket and "
    "its objects when aws:SecureTransport is false; with several BucketPolicy resources for one bucket "
    "(AWS keeps the last one written), each of them.",
    remediation="Attach aws.s3.BucketPolicy(bucket=bucket.id, policy=...) with the statement {'Effect': "
    "'Deny', 'Principal': '*', 'Action': 's3:*', 'Resource': ['arn:aws:s3:::<bucket>', "
    "'arn:aws:s3:::<bucket>/*'], 'Condition': {'Bool': {'aws:SecureTransport': 'false'}}} (no other "
    "condition in that statement). The deprecated inline Bucket policy argument is not accepted.",
)
def bucket_tls_only_policy(stack: StackCheck) -> None:
    for bucket in s3.buckets(stack):
        with stack.deciding(bucket):
            policies = s3.sub_resources(stack, bucket, BUCKET_POLICY)
            if not policies:
                stack.fail(
                    bucket, f"{label(bucket)} has no {BUCKET_POLICY}; required: one denying non-TLS requests"
                )
                continue
            get(bucket.props, "bucket")  # an unknown name defers the bucket
            name = s3.name(bucket)
            if name is None:
                stack.fail(
                    bucket,
                    f"{label(bucket)} has bucket missing, so no policy can be shown to cover it; required: "
                    "an explicit bucket name",
                )
                continue
            # AWS keeps one policy per bucket, the last one written, and which BucketPolicy is written
            # last is not ordered by the program: every policy of the bucket must carry the TLS deny.
            for policy in policies:
                with stack.deciding(policy):
                    if not s3.denies_insecure_transport(s3.bucket_policy_document(policy), name):
                        replaces = (
                            f" (it replaces the bucket's other {len(policies) - 1})"
                            if len(policies) > 1
                            else ""
                        )
                        stack.fail(
                            policy,
                            f"{label(policy)} of {label(bucket)} has no statement denying every principal "
                            "s3:* on the bucket and its objects under Condition Bool aws:SecureTransport "
                            f"'false'{replaces}; required: one",
                        )


@resource_rule(
    "data-03-no-public-acl",
    control="DATA-03",
    types=[*BUCKETS, *s3.ACL_TYPES],
    description="No bucket or bucket ACL grants access to everyone or to all authenticated AWS users.",
    remediation="Remove acl='public-read' / 'public-read-write' / 'authenticated-read' and grants to the "
    "AllUsers or AuthenticatedUsers groups (aws.s3.BucketAcl acl / access_control_policy, or the "
    "deprecated Bucket acl / grants); with BucketOwnerEnforced ownership, ACLs are not needed at all.",
)
def no_public_acl(r: ResourceCheck) -> None:
    acl = get(r.props, "acl")
    if as_str(acl) in PUBLIC_ACLS:
        r.fail(
            f"{r.label} has acl {acl!r}; required: no public-read, public-read-write or authenticated-read "
            "ACL"
        )
    is_acl = r.type in s3.ACL_TYPES
    grants_path = ("accessControlPolicy", "grants") if is_acl else ("grants",)
    for index, grant in enumerate(as_list(get(r.props, *grants_path))):
        uri_path = ("grantee", "uri") if is_acl else ("uri",)
        uri = get(grant, *uri_path)
        if isinstance(uri, str) and uri.rstrip("/").endswith(PUBLIC_GRANTEES):
            r.fail(
                f"{r.label} has {_path(grants_path[0], *grants_path[1:], index, *uri_path)} {uri!r}; "
                "required: no grant to AllUsers or AuthenticatedUsers"
            )


@stack_rule(
    "data-03-bucket-has-ownership-controls",
    control="DATA-03",
    types=[*BUCKETS, BUCKET_OWNERSHIP_CONTROLS],
    description="Every bucket has BucketOwnershipControls.",
    remediation="Add aws.s3.BucketOwnershipControls(bucket=bucket.id, rule={'object_ownership': "
    "'BucketOwnerEnforced'}) for the bucket.",
)
def bucket_has_ownership_controls(stack: StackCheck) -> None:
    for bucket in s3.buckets(stack):
        with stack.deciding(bucket):
            if not s3.sub_resources(stack, bucket, BUCKET_OWNERSHIP_CONTROLS):
                stack.fail(
                    bucket,
                    f"{label(bucket)} has no {BUCKET_OWNERSHIP_CONTROLS}; required: one with "
                    "rule.objectOwnership 'BucketOwnerEnforced'",
                )


@resource_rule(
    "data-03-ownership-bucket-owner-enforced",
    control="DATA-03",
    types=[BUCKET_OWNERSHIP_CONTROLS],
    description="Bucket ownership controls enforce bucket-owner ownership, which disables ACLs.",
    remediation="Set rule={'object_ownership': 'BucketOwnerEnforced'} on the aws.s3.BucketOwnershipControls.",
)
def ownership_bucket_owner_enforced(r: ResourceCheck) -> None:
    ownership = get(r.props, "rule", "objectOwnership")
    if ownership != "BucketOwnerEnforced":
        r.fail(f"{r.label} has rule.objectOwnership {_shown(ownership)}; required: 'BucketOwnerEnforced'")


# ================================================================ DATA-04: data at rest uses the tenant key

_KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


@stack_rule(
    "data-04-bucket-has-encryption-config",
    control="DATA-04",
    types=[*BUCKETS, *s3.ENCRYPTION_TYPES],
    description="Every bucket has a BucketServerSideEncryptionConfiguration (without one S3 uses "
    "S3-managed keys).",
    remediation="Add aws.s3.BucketServerSideEncryptionConfiguration(bucket=bucket.id, "
    "rules=[{'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms', "
    "'kms_master_key_id': tenant_key.arn}, 'bucket_key_enabled': True}]). The deprecated inline Bucket "
    "argument is not accepted.",
)
def bucket_has_encryption_config(stack: StackCheck) -> None:
    for bucket in s3.buckets(stack):
        with stack.deciding(bucket):
            if not s3.sub_resources(stack, bucket, BUCKET_ENCRYPTION):
                stack.fail(
                    bucket,
                    f"{label(bucket)} has no {BUCKET_ENCRYPTION}; required: one with sseAlgorithm 'aws:kms' "
                    "and a tenant key (S3 otherwise encrypts with S3-managed AES256 keys)",
                )


@stack_rule(
    "data-04-bucket-encryption-tenant-key",
    control="DATA-04",
    types=[*s3.ENCRYPTION_TYPES, KMS_KEY],
    description="Bucket encryption configurations use sseAlgorithm aws:kms (or aws:kms:dsse) with a tenant "
    "key.",
    remediation="Set rules=[{'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms', "
    "'kms_master_key_id': tenant_key.arn}}], where tenant_key is an aws.kms.Key of this stack tagged "
    "with the tenant. AES256 and the AWS-managed alias/aws/s3 key are violations.",
)
def bucket_encryption_tenant_key(stack: StackCheck) -> None:
    for config in stack.of_type(*s3.ENCRYPTION_TYPES):
        with stack.deciding(config):
            rules = as_list(get(config.props, "rules"))
            if not rules:
                stack.fail(
                    config, f"{label(config)} has rules missing; required: a rule with sseAlgorithm 'aws:kms'"
                )
            for index in range(len(rules)):
                default = ("applyServerSideEncryptionByDefault",)
                algorithm = get(rules[index], *default, "sseAlgorithm")
                if algorithm not in _KMS_ALGORITHMS:
                    stack.fail(
                        config,
                        f"{label(config)} has {_path('rules', index, *default, 'sseAlgorithm')} "
                        f"{_shown(algorithm)}; required: 'aws:kms' or 'aws:kms:dsse'",
                    )
                    continue
                _require_tenant_key(stack, config, "rules", index, *default, "kmsMasterKeyId")


def _tenant_key_rule(
    name: str, resource_type: str, key_prop: str, remediation: str, *, flag: bool = False
) -> Rule:
    """One DATA-04 rule for a resource type whose own input names its key (and, with `flag`, `encrypted`)."""
    flag_text = "sets encrypted true and " if flag else ""

    def check(stack: StackCheck) -> None:
        for resource in stack.of_type(resource_type):
            with stack.deciding(resource):
                encrypted = get(resource.props, "encrypted") if flag else True
                if as_bool(encrypted) is not True:
                    stack.fail(
                        resource, f"{label(resource)} has encrypted {_shown(encrypted)}; required: true"
                    )
                _require_tenant_key(stack, resource, key_prop)

    # Named after the module attribute ("data-04-ebs-volume-tenant-key" -> ebs_volume_tenant_key), the
    # name tests and reports use for the rule.
    check.__name__ = check.__qualname__ = name.removeprefix("data-04-").replace("-", "_")
    return stack_rule(
        name,
        control="DATA-04",
        types=[resource_type, KMS_KEY],
        description=f"Every {resource_type} {flag_text}has {key_prop} naming a tenant key.",
        remediation=remediation,
    )(check)


ebs_volume_tenant_key = _tenant_key_rule(
    "data-04-ebs-volume-tenant-key", "aws:ebs/volume:Volume", "kmsKeyId",
    "Set encrypted=True and kms_key_id=tenant_key.arn on the aws.ebs.Volume (account-default encryption is "
    "not visible to the policy and uses the AWS-managed key).",
    flag=True,
)  # fmt: skip
efs_tenant_key = _tenant_key_rule(
    "data-04-efs-tenant-key", "aws:efs/fileSystem:FileSystem", "kmsKeyId",
    "Set encrypted=True and kms_key_id=tenant_key.arn on the aws.efs.FileSystem.",
    flag=True,
)  # fmt: skip
fsx_lustre_tenant_key = _tenant_key_rule(
    "data-04-fsx-lustre-tenant-key", "aws:fsx/lustreFileSystem:LustreFileSystem", "kmsKeyId",
    "Set kms_key_id=tenant_key.arn on the aws.fsx.LustreFileSystem (unset means the AWS-managed FSx key).",
)  # fmt: skip
log_group_tenant_key = _tenant_key_rule(
    "data-04-log-group-tenant-key", "aws:cloudwatch/logGroup:LogGroup", "kmsKeyId",
    "Set kms_key_id=tenant_key.arn on the aws.cloudwatch.LogGroup; the key policy must allow "
    "logs.<region>.amazonaws.com to use it.",
)  # fmt: skip
notebook_tenant_key = _tenant_key_rule(
    "data-04-notebook-tenant-key", NOTEBOOK, "kmsKeyId",
    "Set kms_key_id=tenant_key.arn on the aws.sagemaker.NotebookInstance (it encrypts the notebook's ML "
    "storage volume).",
)  # fmt: skip
endpoint_config_tenant_key = _tenant_key_rule(
    "data-04-endpoint-config-tenant-key",
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    "kmsKeyArn",
    "Set kms_key_arn=tenant_key.arn on the aws.sagemaker.EndpointConfiguration (it encrypts the volumes of "
    "the endpoint's instances).",
)  # fmt: skip


@stack_rule(
    "data-04-eks-secrets-tenant-key",
    control="DATA-04",
    types=[EKS_CLUSTER, KMS_KEY],
    description="EKS clusters envelope-encrypt Kubernetes secrets with a tenant key.",
    remediation="Set encryption_config={'provider': {'key_arn': tenant_key.arn}, 'resources': "
    "['secrets']} on the aws.eks.Cluster.",
)
def eks_secrets_tenant_key(stack: StackCheck) -> None:
    for cluster in stack.of_type(EKS_CLUSTER):
        with stack.deciding(cluster):
            raw = get(cluster.props, "encryptionConfig")
            # v7 takes one object; a list (older shapes) is tolerated.
            indexed = isinstance(raw, Sequence) and not isinstance(raw, str)
            entries = list(enumerate(as_list(raw)))
            secrets = [(i, e) for i, e in entries if "secrets" in as_list(get(e, "resources"))]
            if not secrets:
                stack.fail(
                    cluster,
                    f"{label(cluster)} has no encryptionConfig with resources ['secrets']; required: "
                    "encryptionConfig.provider.keyArn a tenant key for resources ['secrets']",
                )
                continue
            index = secrets[0][0]
            _require_tenant_key(
                stack, cluster, "encryptionConfig", *((index,) if indexed else ()), "provider", "keyArn"
            )


# ================================================================ DATA-05: intermediate artifacts expire


def _lifecycle_problems(props: Mapping[str, Any], max_days: int) -> list[str]:
    rules = [(i, rule) for i, rule in enumerate(as_list(get(props, "rules"))) if isinstance(rule, Mapping)]
    usable = [
        (i, rule) for i, rule in rules if get(rule, "status") == "Enabled" and s3.narrowing(rule) is None
    ]
    problems = []
    for path in (("expiration", "days"), ("noncurrentVersionExpiration", "noncurrentDays")):
        # newerNoncurrentVersions keeps that many noncurrent versions whatever their age: not an expiry.
        noncurrent = path[0] == "noncurrentVersionExpiration"
        days = [(i, get(rule, *path)) for i, rule in usable if not (noncurrent and s3.keeps_noncurrent(rule))]
        if any((value := as_int(d)) is not None and 0 < value <= max_days for _, d in days):
            continue
        kept_path = ("noncurrentVersionExpiration", "newerNoncurrentVersions")
        kept = [
            f"{_path('rules', i, *kept_path)} {s3.keeps_noncurrent(rule)}"
            for i, rule in usable
            if noncurrent and s3.keeps_noncurrent(rule)
        ]
        found = (
            ", ".join([*(f"{_path('rules', i, *path)} {_shown(d)}" for i, d in days), *kept])
            or "no enabled whole-bucket rule"
        )
        problems.append(
            f"has no enabled whole-bucket rule with {'.'.join(path)} <= {max_days} (found: {found})"
        )
    return problems


@stack_rule(
    "data-05-artifact-bucket-lifecycle",
    control="DATA-05",
    types=[*BUCKETS, *s3.LIFECYCLE_TYPES],
    description="Buckets with purpose dataset, checkpoint, feature-store, experiment-tracking or artifacts "
    "expire current and noncurrent object versions within maxArtifactRetentionDays through an enabled "
    "lifecycle rule that covers the whole bucket.",
    remediation="Add aws.s3.BucketLifecycleConfiguration(bucket=bucket.id, rules=[{'id': 'expire', "
    "'status': 'Enabled', 'filter': {}, 'expiration': {'days': N}, 'noncurrent_version_expiration': "
    "{'noncurrent_days': N}}]) with N at most maxArtifactRetentionDays. Rules narrowed by prefix, tag "
    "or object size do not count.",
    config={
        "maxArtifactRetentionDays": {
            "type": "integer",
            "default": 365,
            "description": "Longest time current or noncurrent artifact versions may be kept.",
        }
    },
)
def artifact_bucket_lifecycle(stack: StackCheck) -> None:
    max_days = as_int(stack.config.get("maxArtifactRetentionDays")) or 365
    for bucket in s3.with_purpose(stack, *ARTIFACT_PURPOSES):
        with stack.deciding(bucket):
            configs = s3.sub_resources(stack, bucket, BUCKET_LIFECYCLE)
            if not configs:
                stack.fail(
                    bucket,
                    f"{label(bucket)} (purpose {s3.purpose(bucket)!r}) has no {BUCKET_LIFECYCLE}; required: "
                    f"an enabled rule expiring current and noncurrent versions within {max_days} days",
                )
                continue
            judged = [(config, _lifecycle_problems(config.props, max_days)) for config in configs]
            if all(problems for _, problems in judged):
                for config, problems in judged:
                    stack.fail(config, f"{label(config)} of {label(bucket)} {'; '.join(problems)}")


# ================================================================ DATA-06: AWS APIs through private endpoints


def _endpoints(stack: StackCheck, vpc: PolicyResource) -> list[tuple[PolicyResource, Any, Any]]:
    """The VPC's endpoints with their serviceName and vpcEndpointType (AWS default Gateway); UNKNOWN kept."""
    found = []
    for endpoint in net.referrers(stack, vpc, [VPC_ENDPOINT], "vpcId"):
        kind = known(endpoint.props, "vpcEndpointType", default="Gateway")
        found.append((endpoint, known(endpoint.props, "serviceName"), kind))
    return found


def _is_s3_service(name: Any) -> bool:
    return isinstance(name, str) and name.startswith("com.amazonaws.") and name.endswith(".s3")


def _undecided_endpoints(vpc: PolicyResource, endpoints: list[tuple[PolicyResource, Any, Any]]) -> None:
    pending = [label(e) for e, name, kind in endpoints if UNKNOWN in (name, kind)]
    if pending:
        raise Undecided([f"{label(vpc)}: serviceName or vpcEndpointType unknown on {', '.join(pending)}"])


@stack_rule(
    "data-06-vpc-s3-gateway-endpoint",
    control="DATA-06",
    types=[net.VPC, VPC_ENDPOINT],
    description="Every VPC has an S3 gateway endpoint.",
    remediation="Add aws.ec2.VpcEndpoint(vpc_id=vpc.id, service_name=f'com.amazonaws.{region}.s3', "
    "vpc_endpoint_type='Gateway', route_table_ids=[...private route tables], policy=...) for the VPC.",
)
def vpc_s3_gateway_endpoint(stack: StackCheck) -> None:
    for vpc in stack.of_type(net.VPC):
        with stack.deciding(vpc):
            endpoints = _endpoints(stack, vpc)
            if any(_is_s3_service(name) and kind == "Gateway" for _, name, kind in endpoints):
                continue
            _undecided_endpoints(vpc, endpoints)
            stack.fail(
                vpc,
                f"{label(vpc)} has no {VPC_ENDPOINT} with serviceName 'com.amazonaws.<region>.s3' and "
                "vpcEndpointType 'Gateway'; required: one",
            )


@stack_rule(
    "data-06-vpc-interface-endpoints",
    control="DATA-06",
    types=[net.VPC, VPC_ENDPOINT],
    description="Every VPC has interface endpoints with private DNS for ecr.api, ecr.dkr, sts, kms and logs.",
    remediation="For each service add aws.ec2.VpcEndpoint(vpc_id=vpc.id, "
    "service_name=f'com.amazonaws.{region}.<service>', vpc_endpoint_type='Interface', "
    "private_dns_enabled=True, subnet_ids=[...private subnets], security_group_ids=[endpoint_sg.id]).",
    config={
        "interfaceServices": {
            "type": "array",
            "items": {"type": "string"},
            "default": INTERFACE_SERVICES,
            "description": "Service suffixes (after com.amazonaws.<region>.) needing an interface endpoint.",
        }
    },
)
def vpc_interface_endpoints(stack: StackCheck) -> None:
    services = [s for s in as_list(stack.config.get("interfaceServices")) if isinstance(s, str)]
    for vpc in stack.of_type(net.VPC):
        with stack.deciding(vpc):
            endpoints = _endpoints(stack, vpc)
            missing = []
            for service in services:
                matches = [
                    e for e, name, kind in endpoints
                    if isinstance(name, str) and name.endswith(f".{service}") and kind == "Interface"
                ]  # fmt: skip
                if not matches:
                    missing.append(service)
                for endpoint in matches:
                    dns = get(endpoint.props, "privateDnsEnabled")
                    if as_bool(dns) is not True:
                        stack.fail(
                            endpoint, f"{label(endpoint)} has privateDnsEnabled {_shown(dns)}; required: true"
                        )
            if missing:
                _undecided_endpoints(vpc, endpoints)
                stack.fail(
                    vpc,
                    f"{label(vpc)} has no interface endpoint for {', '.join(missing)}; required: "
                    f"{VPC_ENDPOINT} with vpcEndpointType 'Interface' and privateDnsEnabled true for each "
                    f"of {', '.join(services)}",
                )


# The AWS-owned bucket holding ECR image layers (one per region), which image pulls read through the
# S3 endpoint; its owner is AWS, so the region wildcard cannot reach a tenant's bucket.
ECR_LAYER_OBJECTS = "arn:aws:s3:::prod-*-starport-layer-bucket/*"
VPC_ENDPOINT_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"


@resource_rule(
    "data-06-s3-endpoint-policy-scoped",
    control="DATA-06",
    types=[VPC_ENDPOINT, VPC_ENDPOINT_POLICY],
    description="The S3 endpoint has a policy, and its Allow statements grant S3 actions only on the "
    "tenant's buckets named exactly (<tenant>-<purpose>-<account>, and their objects) and the AWS-owned "
    "ECR layer bucket: no wildcard that reaches other buckets (*, arn:*, arn:aws:s3:::*, <tenant>-*), no "
    "NotResource. A VpcEndpointPolicy (which replaces its endpoint's policy) granting S3 actions is judged "
    "the same way.",
    remediation="Set policy on the S3 aws.ec2.VpcEndpoint (or aws.ec2.VpcEndpointPolicy) to Allow only the "
    "S3 actions the workloads need "
    "on the tenant's buckets, named exactly (arn:aws:s3:::<bucket> and arn:aws:s3:::<bucket>/*; a prefix "
    "wildcard such as acme-* would also match tenant acme-labs), plus the AWS-owned buckets they must read "
    "(the ECR layer bucket arn:aws:s3:::prod-<region>-starport-layer-bucket/*). Without a policy the "
    "endpoint allows everything.",
)
def s3_endpoint_policy_scoped(r: ResourceCheck) -> None:
    if r.type == VPC_ENDPOINT and not _is_s3_service(get(r.props, "serviceName")):
        return
    raw = get(r.props, "policy")
    document = policy_document(raw)
    if document is None:
        if r.type == VPC_ENDPOINT:
            found = "missing" if raw is None else "unreadable"
            r.fail(f"{r.label} has policy {found}; required: a policy limited to the tenant's buckets")
        return
    spaces = [*s3.tenant_bucket_space(r.tenant.id, r.tenant.account_id), ECR_LAYER_OBJECTS]
    for index in indices(document, "Statement"):
        with r.deciding(f"policy Statement[{index}]"):
            statement = item(document, "Statement", index)
            if not isinstance(statement, Mapping) or not iam_match.is_allow(statement):
                continue
            if not iam_match.grants_action(statement, "s3:*"):
                continue
            outside = iam_match.resources_outside(statement, spaces)
            if outside:
                key = "NotAction" if get(statement, "NotAction") is not None else "Action"
                r.fail(
                    f"{r.label} has policy Statement[{index}] allowing {key} "
                    f"{statement_values(statement, key)} on Resource {outside} beyond the tenant's buckets; "
                    "required: S3 actions only on the tenant's buckets named exactly and the ECR layer bucket"
                )


# ================================================================ DATA-07: tenant namespaces deny by default


def _in_namespace(policy: PolicyResource, namespace: PolicyResource) -> bool | None:
    deps = [
        dep
        for key in ("metadata", "metadata.namespace")
        for dep in policy.property_dependencies.get(key) or []
    ]
    if any(dep.urn == namespace.urn for dep in deps):
        return True
    value = known(policy.props, "metadata", "namespace", default="default")
    name = known(namespace.props, "metadata", "name")
    if value is UNKNOWN:
        return False if deps else None
    if name is UNKNOWN:
        return None
    return isinstance(value, str) and value == name


def _selects_namespace(selector: Any, names: set[str], tenant: str | None) -> bool:
    """Whether a namespaceSelector is pinned to the given namespace names or to the tenant's label."""
    if not isinstance(selector, Mapping):
        return False
    labels = get(selector, "matchLabels")
    if as_str(get(labels, NAMESPACE_NAME_LABEL)) in names or (
        tenant is not None and get(labels, "tenant") == tenant
    ):
        return True
    for expression in as_list(get(selector, "matchExpressions")):
        key, values = get(expression, "key"), as_list(get(expression, "values"))
        if get(expression, "operator") != "In" or not values:
            continue
        if (key == NAMESPACE_NAME_LABEL and all(as_str(v) in names for v in values)) or (
            key == "tenant" and tenant is not None and all(v == tenant for v in values)
        ):
            return True
    return False


def _only_dns_to_kube_system(rule: Any) -> bool:
    peers, ports = as_list(get(rule, "to")), as_list(get(rule, "ports"))
    if not peers or not ports:
        return False
    for peer in peers:
        if get(peer, "ipBlock") is not None or not _selects_namespace(
            get(peer, "namespaceSelector"), {"kube-system"}, None
        ):
            return False
    for port in ports:
        if as_int(get(port, "port")) != 53 or get(port, "protocol", default="TCP") not in ("UDP", "TCP"):
            return False
        if get(port, "endPort") is not None and as_int(get(port, "endPort")) != 53:
            return False
    return True


def _default_deny_problems(policy: PolicyResource) -> list[str] | None:
    """What keeps a NetworkPolicy from being a default deny; None when it selects only some pods."""
    spec = get(policy.props, "spec")
    selector = get(spec, "podSelector")
    if get(selector, "matchLabels") or get(selector, "matchExpressions"):
        return None
    problems = []
    types = [t for t in as_list(get(spec, "policyTypes")) if isinstance(t, str)]
    if not {"Ingress", "Egress"} <= set(types):
        problems.append(f"spec.policyTypes {types}, required ['Ingress', 'Egress']")
    ingress = as_list(get(spec, "ingress"))
    if ingress:
        problems.append(f"spec.ingress has {len(ingress)} rule(s), required none")
    for index, rule in enumerate(as_list(get(spec, "egress"))):
        if not _only_dns_to_kube_system(rule):
            problems.append(f"spec.egress[{index}] allows more than port 53 to kube-system")
    return problems


@stack_rule(
    "data-07-namespace-default-deny",
    control="DATA-07",
    types=[NAMESPACE, NETWORK_POLICY],
    description="Every namespace of the stack has a NetworkPolicy selecting all pods with policyTypes "
    "Ingress and Egress, no ingress rules, and egress only to kube-system on port 53 (DNS).",
    remediation="Add kubernetes.networking.v1.NetworkPolicy(metadata={'namespace': ns.metadata.name}, "
    "spec={'pod_selector': {}, 'policy_types': ['Ingress', 'Egress'], 'egress': [{'to': "
    "[{'namespace_selector': {'match_labels': {'kubernetes.io/metadata.name': 'kube-system'}}}], "
    "'ports': [{'port': 53, 'protocol': 'UDP'}, {'port': 53, 'protocol': 'TCP'}]}]}); allow other "
    "traffic with separate, narrower policies.",
)
def namespace_default_deny(stack: StackCheck) -> None:
    for namespace in stack.of_type(NAMESPACE):
        with stack.deciding(namespace):
            matches = [(p, _in_namespace(p, namespace)) for p in stack.of_type(NETWORK_POLICY)]
            judged = [(p, _default_deny_problems(p)) for p, inside in matches if inside]
            if any(problems == [] for _, problems in judged):
                continue
            unresolved = [label(p) for p, inside in matches if inside is None]
            if unresolved:
                raise Undecided(
                    [f"metadata.namespace unknown without dependency information on {', '.join(unresolved)}"]
                )
            found = "; ".join(f"{label(p)} has {', '.join(problems)}" for p, problems in judged if problems)
            stack.fail(
                namespace,
                f"{label(namespace)} has no default-deny NetworkPolicy "
                f"({found or 'no NetworkPolicy selects all pods'}); required: spec.podSelector {{}}, "
                "spec.policyTypes ['Ingress', 'Egress'], no ingress rules, egress only to kube-system on "
                "port 53",
            )


def _peer_problem(peer: Any, names: set[str], tenant: str | None) -> str | None:
    if not isinstance(peer, Mapping):
        return None
    cidr = get(peer, "ipBlock", "cidr")
    if net.is_open(cidr):
        return f"ipBlock.cidr {cidr!r}"
    selector = get(peer, "namespaceSelector")
    if selector is None or _selects_namespace(selector, names, tenant):
        return None
    labels = tags_of(selector, "matchLabels")
    if labels:
        return f"namespaceSelector.matchLabels {labels}"
    return (
        "namespaceSelector.matchExpressions" if get(selector, "matchExpressions") else "namespaceSelector {}"
    )


@stack_rule(
    "data-07-network-policy-no-open-peers",
    control="DATA-07",
    types=[NETWORK_POLICY, NAMESPACE],
    description="No NetworkPolicy allows traffic from or to 0.0.0.0/0 or ::/0, every source or destination "
    "(a rule without peers), or namespaces other than the tenant's own and kube-system.",
    remediation="Name peers precisely: pod selectors, namespace selectors on kubernetes.io/metadata.name "
    "of the tenant's namespaces (or kube-system) or on label tenant=<tenant>, and ip_block CIDRs narrower "
    "than 0.0.0.0/0. Every ingress rule needs from_, every egress rule needs to.",
)
def network_policy_no_open_peers(stack: StackCheck) -> None:
    names = {
        n
        for n in (known(ns.props, "metadata", "name") for ns in stack.of_type(NAMESPACE))
        if isinstance(n, str)
    }
    names.add("kube-system")
    for policy in stack.of_type(NETWORK_POLICY):
        with stack.deciding(policy):
            for direction, peers_key in (("ingress", "from"), ("egress", "to")):
                for index, rule in enumerate(as_list(get(policy.props, "spec", direction))):
                    where = f"spec.{direction}[{index}].{peers_key}"
                    peers = as_list(get(rule, peers_key))
                    if not peers:
                        message = f"{label(policy)} has {where} missing, which allows every peer"
                        stack.fail(policy, f"{message}; required: peers inside the tenant")
                    for position, peer in enumerate(peers):
                        problem = _peer_problem(peer, names, stack.tenant.id)
                        if problem:
                            stack.fail(
                                policy,
                                f"{label(policy)} has {where}[{position}].{problem}; required: peers inside "
                                f"the tenant (its namespaces, label tenant={stack.tenant.id}, kube-system)",
                            )


# ================================================================ DATA-08: serving endpoints are not public


@resource_rule(
    "data-08-service-internal-load-balancer",
    control="DATA-08",
    types=[SERVICE],
    description="Kubernetes Services of type LoadBalancer ask for an internal load balancer.",
    remediation=f"Add metadata.annotations {{'{SCHEME_ANNOTATION}': 'internal'}} (or "
    f"'{INTERNAL_ANNOTATION}': 'true') to the Service, or use type ClusterIP behind the platform's ingress.",
)
def service_internal_load_balancer(r: ResourceCheck) -> None:
    if get(r.props, "spec", "type") != "LoadBalancer":
        return
    annotations = tags_of(get(r.props, "metadata"), "annotations")
    scheme, internal = annotations.get(SCHEME_ANNOTATION), annotations.get(INTERNAL_ANNOTATION)
    if scheme == "internal" or (scheme is None and (internal or "").lower() == "true"):
        return
    r.fail(
        f"{r.label} has spec.type 'LoadBalancer' with metadata.annotations {SCHEME_ANNOTATION} "
        f"{_shown(scheme)} and {INTERNAL_ANNOTATION} {_shown(internal)}; required: {SCHEME_ANNOTATION} "
        f"'internal' (or {INTERNAL_ANNOTATION} 'true')"
    )


@resource_rule(
    "data-08-load-balancer-internal",
    control="DATA-08",
    types=net.LOAD_BALANCERS,
    description="Load balancers (application, network and Classic) are internal.",
    remediation="Set internal=True on the aws.lb.LoadBalancer or aws.elb.LoadBalancer (a missing value "
    "means internet-facing).",
)
def load_balancer_internal(r: ResourceCheck) -> None:
    internal = get(r.props, "internal")
    if as_bool(internal) is not True:
        r.fail(f"{r.label} has internal {_shown(internal)}; required: true")


@resource_rule(
    "data-08-eks-endpoint-private",
    control="DATA-08",
    types=[EKS_CLUSTER],
    description="EKS cluster API endpoints are not public.",
    remediation="Set vpc_config={'endpoint_public_access': False, 'endpoint_private_access': True, ...} "
    "on the aws.eks.Cluster (a missing value means public, the AWS default).",
)
def eks_endpoint_private(r: ResourceCheck) -> None:
    public = get(r.props, "vpcConfig", "endpointPublicAccess")
    if as_bool(public) is not False:
        r.fail(f"{r.label} has vpcConfig.endpointPublicAccess {_shown(public)}; required: false")


# ================================================================ DATA-09: notebooks and studios stay inside


@resource_rule(
    "data-09-notebook-no-direct-internet",
    control="DATA-09",
    types=[NOTEBOOK],
    description="SageMaker notebook instances have no direct internet access.",
    remediation="Set direct_internet_access='Disabled' on the aws.sagemaker.NotebookInstance (missing "
    "means Enabled) together with subnet_id and security_groups.",
)
def notebook_no_direct_internet(r: ResourceCheck) -> None:
    access = get(r.props, "directInternetAccess")
    if access != "Disabled":
        r.fail(f"{r.label} has directInternetAccess {_shown(access)}; required: 'Disabled'")


@resource_rule(
    "data-09-notebook-no-root-access",
    control="DATA-09",
    types=[NOTEBOOK],
    description="SageMaker notebook instances give users no root access.",
    remediation="Set root_access='Disabled' on the aws.sagemaker.NotebookInstance (missing means Enabled).",
)
def notebook_no_root_access(r: ResourceCheck) -> None:
    access = get(r.props, "rootAccess")
    if access != "Disabled":
        r.fail(f"{r.label} has rootAccess {_shown(access)}; required: 'Disabled'")


@resource_rule(
    "data-09-notebook-in-vpc-subnet",
    control="DATA-09",
    types=[NOTEBOOK],
    description="SageMaker notebook instances run in a subnet of the tenant VPC.",
    remediation="Set subnet_id=private_subnet.id (and security_groups) on the "
    "aws.sagemaker.NotebookInstance.",
)
def notebook_in_vpc_subnet(r: ResourceCheck) -> None:
    # Only presence matters: an unknown value (a subnet id created in this run) is set.
    subnet = known(r.props, "subnetId")
    if subnet is not UNKNOWN and not (isinstance(subnet, str) and subnet.strip()):
        r.fail(f"{r.label} has subnetId {_shown(subnet)}; required: a subnet of the tenant VPC")


@resource_rule(
    "data-09-domain-vpc-only",
    control="DATA-09",
    types=["aws:sagemaker/domain:Domain"],
    description="SageMaker domains route all traffic through the tenant VPC.",
    remediation="Set app_network_access_type='VpcOnly' on the aws.sagemaker.Domain (missing means "
    "PublicInternetOnly).",
)
def domain_vpc_only(r: ResourceCheck) -> None:
    access = get(r.props, "appNetworkAccessType")
    if access != "VpcOnly":
        r.fail(f"{r.label} has appNetworkAccessType {_shown(access)}; required: 'VpcOnly'")


@resource_rule(
    "data-09-model-network-isolated",
    control="DATA-09",
    types=["aws:sagemaker/model:Model"],
    description="SageMaker models run network-isolated or inside the tenant VPC.",
    remediation="Set enable_network_isolation=True, or vpc_config={'subnets': [...], "
    "'security_group_ids': [...]}, on the aws.sagemaker.Model.",
)
def model_network_isolated(r: ResourceCheck) -> None:
    isolation = get(r.props, "enableNetworkIsolation")
    if as_bool(isolation) is True:
        return
    # Only presence matters: subnets created in this run are unknown, but set.
    subnets = known(r.props, "vpcConfig", "subnets")
    if subnets is UNKNOWN or (
        isinstance(subnets, Sequence) and not isinstance(subnets, str) and len(subnets) > 0
    ):
        return
    r.fail(
        f"{r.label} has enableNetworkIsolation {_shown(isolation)} and vpcConfig.subnets {_shown(subnets)}; "
        "required: enableNetworkIsolation true or a vpcConfig with subnets"
    )


# ================================================================ DATA-10: no network path to another tenant


@resource_rule(
    "data-10-no-vpc-peering-or-tgw-attachment",
    control="DATA-10",
    types=[*net.PEERINGS, *net.PEERING_ACCEPTERS, TGW_ATTACHMENT],
    description="The stack creates or accepts no VPC peering connection and creates no transit gateway VPC "
    "attachment.",
    remediation="Remove the aws.ec2.VpcPeeringConnection / aws.ec2transitgateway.VpcAttachment. A VPC "
    "cannot peer with itself, so every peering or attachment opens a path to a network that is not the "
    "tenant's; shared services are reached through VPC endpoints (PrivateLink) instead.",
)
def no_vpc_peering_or_tgw_attachment(r: ResourceCheck) -> None:
    if r.type in net.PEERING_ACCEPTERS:
        connection = known(r.props, "vpcPeeringConnectionId")
        r.fail(
            f"{r.label} accepts the peering connection vpcPeeringConnectionId {_shown(connection)}; "
            "required: no VPC peering connection"
        )
    elif r.type in net.PEERINGS:
        peer = known(r.props, "peerVpcId")
        r.fail(
            f"{r.label} peers the tenant VPC with peerVpcId {_shown(peer)}; required: no VPC peering "
            "connection"
        )
    else:
        gateway = known(r.props, "transitGatewayId")
        r.fail(
            f"{r.label} attaches the tenant VPC to transitGatewayId {_shown(gateway)}; required: no transit "
            "gateway attachment"
        )


@resource_rule(
    "data-10-no-cross-vpc-routes",
    control="DATA-10",
    types=[net.ROUTE, net.ROUTE_TABLE, net.DEFAULT_ROUTE_TABLE],
    description="No route sends traffic through a peering connection, transit gateway or core network to a "
    "destination outside the tenant's CIDR.",
    remediation="Remove routes with vpc_peering_connection_id, transit_gateway_id or core_network_arn (on "
    "aws.ec2.Route or in route table routes) whose destination is not inside the tenant's network.cidr.",
)
def no_cross_vpc_routes(r: ResourceCheck) -> None:
    found, pending = net.routes_of(r.type, r.props)
    for route in found:
        if route.target not in CROSS_VPC_TARGETS or net.inside(route.destination, r.tenant.cidr):
            continue
        r.fail(
            f"{_at(r.label, route.where)} sends {route.destination_text} via {route.target}; required: "
            f"cross-VPC routes only to destinations inside the tenant CIDR {_shown(r.tenant.cidr)}"
        )
    if pending:
        raise pending


RULES: list[Rule] = [
    no_internet_gateway,
    no_public_subnet,
    default_sg_no_rules,
    vpc_default_sg_managed,
    internet_routes_from_egress_subnets,
    private_default_route_via_nat,
    nat_gateway_in_egress_subnet,
    no_open_ingress,
    egress_allowlist,
    egress_to_declared_allowlist,
    prefix_list_no_open_entries,
    no_internet_across_rules,
    bucket_has_public_access_block,
    public_access_block_all_true,
    bucket_tls_only_policy,
    no_public_acl,
    bucket_has_ownership_controls,
    ownership_bucket_owner_enforced,
    bucket_has_encryption_config,
    bucket_encryption_tenant_key,
    ebs_volume_tenant_key,
    efs_tenant_key,
    fsx_lustre_tenant_key,
    log_group_tenant_key,
    notebook_tenant_key,
    endpoint_config_tenant_key,
    eks_secrets_tenant_key,
    artifact_bucket_lifecycle,
    vpc_s3_gateway_endpoint,
    vpc_interface_endpoints,
    s3_endpoint_policy_scoped,
    namespace_default_deny,
    network_policy_no_open_peers,
    service_internal_load_balancer,
    load_balancer_internal,
    eks_endpoint_private,
    notebook_no_direct_internet,
    notebook_no_root_access,
    notebook_in_vpc_subnet,
    domain_vpc_only,
    model_network_isolated,
    no_vpc_peering_or_tgw_attachment,
    no_cross_vpc_routes,
]
