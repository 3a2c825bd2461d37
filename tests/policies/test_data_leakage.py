"""DATA: one compliant fixture per resource type (or stack), one changed property per failing case."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies.core import Rule
from mlops_policies.rules import data_leakage as dl
from tests.policies.harness import ACME, DELETE, UNKNOWN, Res, changed, run_resource, run_stack

TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}
INITECH = {"id": "initech", "tier": "standard", "network": {"cidr": "10.3.0.0/16", "egress": "nat-allowlist"}}

KEY = "aws:kms/key:Key"
VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
IGW = "aws:ec2/internetGateway:InternetGateway"
EOIGW = "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway"
NAT = "aws:ec2/natGateway:NatGateway"
ROUTE = "aws:ec2/route:Route"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
MAIN_ASSOCIATION = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SG = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList"
PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
ACL = "aws:s3/bucketAcl:BucketAcl"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
EKS = "aws:eks/cluster:Cluster"
NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
NAMESPACE = "kubernetes:core/v1:Namespace"
NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
SERVICE = "kubernetes:core/v1:Service"
PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"
TGW_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"


def tenant_key(name: str = "data-key", tenant: str = "acme") -> Res:
    return Res(KEY, name, {"enableKeyRotation": True, "tags": {**TAGS, "tenant": tenant}})


# ================================================================ DATA-01


def test_fail_internet_gateway_without_nat_allowlist():
    outcome = run_resource(dl.no_internet_gateway, IGW, {"vpcId": UNKNOWN, "tags": TAGS})
    assert outcome.violations == [
        "aws:ec2/internetGateway:InternetGateway 'subject' exists while the tenant's network.egress is "
        "'none'; required: no internet gateway unless network.egress is 'nat-allowlist'"
    ]


def test_fail_egress_only_internet_gateway_without_nat_allowlist():
    outcome = run_resource(dl.no_internet_gateway, EOIGW, {"vpcId": UNKNOWN, "tags": TAGS})
    assert outcome.violations[0].startswith(
        "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway 'subject'"
    )


def test_pass_internet_gateway_with_nat_allowlist():
    assert run_resource(dl.no_internet_gateway, IGW, {"vpcId": UNKNOWN, "tags": TAGS}, tenant=INITECH).passed


PRIVATE_SUBNET = {"vpcId": UNKNOWN, "cidrBlock": "10.1.0.0/18", "tags": {**TAGS, "tier": "private"}}


def test_pass_private_subnet_without_public_ips():
    assert run_resource(dl.no_public_subnet, SUBNET, PRIVATE_SUBNET).passed
    assert run_resource(
        dl.no_public_subnet, SUBNET, changed(PRIVATE_SUBNET, "mapPublicIpOnLaunch", False)
    ).passed


def test_fail_public_subnet_even_with_nat_allowlist():
    props = changed(PRIVATE_SUBNET, "mapPublicIpOnLaunch", True)
    for tenant in (ACME, INITECH):
        assert run_resource(dl.no_public_subnet, SUBNET, props, tenant=tenant).violations == [
            "aws:ec2/subnet:Subnet 'subject' has mapPublicIpOnLaunch true; required: false"
        ]


def test_undecided_subnet_with_unknown_public_ip_mapping():
    outcome = run_resource(
        dl.no_public_subnet, SUBNET, changed(PRIVATE_SUBNET, "mapPublicIpOnLaunch", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []


def test_pass_default_security_group_without_rules():
    assert run_resource(dl.default_sg_no_rules, DEFAULT_SG, {"vpcId": UNKNOWN}).passed
    assert run_resource(
        dl.default_sg_no_rules, DEFAULT_SG, {"vpcId": UNKNOWN, "ingress": [], "egress": []}
    ).passed


def test_fail_default_security_group_with_rules():
    props = {"vpcId": UNKNOWN, "ingress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}]}
    assert run_resource(dl.default_sg_no_rules, DEFAULT_SG, props).violations == [
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup 'subject' has 1 ingress rule(s); required: no "
        "ingress rules"
    ]


def vpc_with_default_sg() -> list[Res]:
    return [
        Res(VPC, "main", {"cidrBlock": "10.1.0.0/16", "tags": TAGS}),
        Res(DEFAULT_SG, "default-sg", {"vpcId": UNKNOWN}, prop_deps={"vpcId": ["main"]}),
    ]


def test_pass_vpc_with_managed_default_security_group_in_first_preview():
    assert run_stack(dl.vpc_default_sg_managed, vpc_with_default_sg()).passed


def test_fail_vpc_without_managed_default_security_group():
    outcome = run_stack(dl.vpc_default_sg_managed, vpc_with_default_sg()[:1])
    assert outcome.violations == [
        "aws:ec2/vpc:Vpc 'main' has no aws:ec2/defaultSecurityGroup:DefaultSecurityGroup with vpcId "
        "referring to it; required: one managing the VPC's default security group with no rules"
    ]


def test_undecided_default_security_group_with_unknown_vpc_and_no_dependency():
    stack = vpc_with_default_sg()
    stack[1] = Res(DEFAULT_SG, "default-sg", {"vpcId": UNKNOWN})
    outcome = run_stack(dl.vpc_default_sg_managed, stack)
    assert outcome.undecided is not None and outcome.violations == []


def nat_network(tenant_tier_egress: bool = True) -> list[Res]:
    """Initech's layout in a first preview: every id unknown, every reference a property dependency."""
    return [
        Res(VPC, "vpc", {"cidrBlock": "10.3.0.0/16", "tags": TAGS}),
        Res(IGW, "igw", {"vpcId": UNKNOWN}, prop_deps={"vpcId": ["vpc"]}),
        Res(
            SUBNET,
            "egress-a",
            {"vpcId": UNKNOWN, "tags": {**TAGS, "tier": "egress"}},
            prop_deps={"vpcId": ["vpc"]},
        ),
        Res(
            SUBNET,
            "private-a",
            {"vpcId": UNKNOWN, "tags": {**TAGS, "tier": "private"}},
            prop_deps={"vpcId": ["vpc"]},
        ),
        Res(
            NAT, "nat-a", {"subnetId": UNKNOWN, "allocationId": UNKNOWN}, prop_deps={"subnetId": ["egress-a"]}
        ),
        Res(ROUTE_TABLE, "rt-egress", {"vpcId": UNKNOWN}, prop_deps={"vpcId": ["vpc"]}),
        Res(ROUTE_TABLE, "rt-private", {"vpcId": UNKNOWN}, prop_deps={"vpcId": ["vpc"]}),
        Res(
            ASSOCIATION,
            "egress-a-assoc",
            {"subnetId": UNKNOWN, "routeTableId": UNKNOWN},
            prop_deps={"subnetId": ["egress-a"], "routeTableId": ["rt-egress"]},
        ),
        Res(
            ASSOCIATION,
            "private-a-assoc",
            {"subnetId": UNKNOWN, "routeTableId": UNKNOWN},
            prop_deps={"subnetId": ["private-a"], "routeTableId": ["rt-private"]},
        ),
        Res(
            ROUTE,
            "internet",
            {"routeTableId": UNKNOWN, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": UNKNOWN},
            prop_deps={"routeTableId": ["rt-egress"], "gatewayId": ["igw"]},
        ),
        Res(
            ROUTE,
            "private-default",
            {"routeTableId": UNKNOWN, "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": UNKNOWN},
            prop_deps={"routeTableId": ["rt-private"], "natGatewayId": ["nat-a"]},
        ),
    ]


def replaced(stack: list[Res], resource: Res) -> list[Res]:
    return [resource if r.name == resource.name else r for r in stack]


def test_pass_nat_allowlist_layout_decides_in_first_preview():
    for rule in (
        dl.internet_routes_from_egress_subnets,
        dl.private_default_route_via_nat,
        dl.nat_gateway_in_egress_subnet,
    ):
        assert run_stack(rule, nat_network(), tenant=INITECH).passed, rule.name


def test_fail_internet_route_without_nat_allowlist():
    outcome = run_stack(dl.internet_routes_from_egress_subnets, nat_network(), tenant=ACME)
    assert outcome.violations == [
        "aws:ec2/route:Route 'internet' sends '0.0.0.0/0' to an internet gateway while the tenant's "
        "network.egress is 'none'; required: no internet-gateway route unless network.egress is "
        "'nat-allowlist'"
    ]


def test_fail_internet_route_in_private_route_table():
    route = Res(
        ROUTE,
        "internet",
        {"routeTableId": UNKNOWN, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": UNKNOWN},
        prop_deps={"routeTableId": ["rt-private"], "gatewayId": ["igw"]},
    )
    outcome = run_stack(
        dl.internet_routes_from_egress_subnets, replaced(nat_network(), route), tenant=INITECH
    )
    assert outcome.violations == [
        "aws:ec2/route:Route 'internet' sends '0.0.0.0/0' to an internet gateway from "
        "aws:ec2/routeTable:RouteTable 'rt-private', associated with aws:ec2/subnet:Subnet 'private-a' "
        "(tags.tier 'private'); required: internet-gateway routes only in route tables associated solely "
        "with subnets tagged tier=egress"
    ]


def test_fail_inline_internet_route_with_known_gateway_id_in_untagged_subnet():
    stack = replaced(nat_network(), Res(SUBNET, "egress-a", {"vpcId": "vpc-1", "tags": TAGS}))
    table = Res(
        ROUTE_TABLE,
        "rt-egress",
        {"vpcId": "vpc-1", "routes": [{"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-1"}]},
    )
    outcome = run_stack(dl.internet_routes_from_egress_subnets, replaced(stack, table), tenant=INITECH)
    assert outcome.violations[0].startswith(
        "aws:ec2/routeTable:RouteTable 'rt-egress' routes[0] sends '0.0.0.0/0' to an internet gateway from "
        "aws:ec2/routeTable:RouteTable 'rt-egress', associated with aws:ec2/subnet:Subnet 'egress-a' "
        "(tags.tier missing)"
    )


def test_fail_internet_route_in_main_route_table():
    stack = [
        *nat_network(),
        Res(
            MAIN_ASSOCIATION,
            "main",
            {"vpcId": UNKNOWN, "routeTableId": UNKNOWN},
            prop_deps={"routeTableId": ["rt-egress"]},
        ),
    ]
    outcome = run_stack(dl.internet_routes_from_egress_subnets, stack, tenant=INITECH)
    assert len(outcome.violations) == 1
    assert "the VPC's main route table" in outcome.violations[0]


def test_undecided_route_with_unknown_gateway_and_no_dependency():
    route = Res(
        ROUTE,
        "internet",
        {"routeTableId": UNKNOWN, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": UNKNOWN},
        prop_deps={"routeTableId": ["rt-egress"]},
    )
    outcome = run_stack(
        dl.internet_routes_from_egress_subnets, replaced(nat_network(), route), tenant=INITECH
    )
    assert outcome.undecided is not None and outcome.violations == []


def test_fail_private_default_route_through_egress_only_gateway():
    route = Res(
        ROUTE,
        "private-default",
        {"routeTableId": UNKNOWN, "destinationIpv6CidrBlock": "::/0", "egressOnlyGatewayId": "eigw-1"},
        prop_deps={"routeTableId": ["rt-private"]},
    )
    outcome = run_stack(dl.private_default_route_via_nat, replaced(nat_network(), route), tenant=INITECH)
    assert outcome.violations == [
        "aws:ec2/route:Route 'private-default' sends '::/0' via egressOnlyGatewayId from "
        "aws:ec2/routeTable:RouteTable 'rt-private', associated with aws:ec2/subnet:Subnet 'private-a' "
        "(tags.tier 'private'); required: default routes of non-egress subnets only via natGatewayId"
    ]


def test_fail_private_default_route_in_route_table_outside_the_stack():
    route = Res(
        ROUTE,
        "private-default",
        {"routeTableId": "rtb-0abc", "destinationCidrBlock": "0.0.0.0/0", "networkInterfaceId": "eni-1"},
    )
    outcome = run_stack(dl.private_default_route_via_nat, replaced(nat_network(), route), tenant=INITECH)
    assert len(outcome.violations) == 1
    assert "from a route table outside this stack" in outcome.violations[0]


def test_fail_public_nat_gateway_in_private_subnet():
    nat = Res(NAT, "nat-a", {"subnetId": UNKNOWN}, prop_deps={"subnetId": ["private-a"]})
    outcome = run_stack(dl.nat_gateway_in_egress_subnet, replaced(nat_network(), nat), tenant=INITECH)
    assert outcome.violations == [
        "aws:ec2/natGateway:NatGateway 'nat-a' sits in aws:ec2/subnet:Subnet 'private-a' with tags.tier "
        "'private'; required: a subnet tagged tier=egress"
    ]


def test_fail_public_nat_gateway_without_nat_allowlist_but_private_nat_passes():
    outcome = run_stack(dl.nat_gateway_in_egress_subnet, nat_network(), tenant=ACME)
    assert outcome.violations == [
        "aws:ec2/natGateway:NatGateway 'nat-a' is a public NAT gateway while the tenant's network.egress "
        "is 'none'; required: no public NAT gateway unless network.egress is 'nat-allowlist'"
    ]
    private = Res(
        NAT,
        "nat-a",
        {"subnetId": UNKNOWN, "connectivityType": "private"},
        prop_deps={"subnetId": ["private-a"]},
    )
    assert run_stack(dl.nat_gateway_in_egress_subnet, replaced(nat_network(), private), tenant=ACME).passed


# ================================================================ DATA-02

COMPLIANT_SG = {
    "vpcId": UNKNOWN,
    "ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "securityGroups": [UNKNOWN]}],
    "egress": [
        {"protocol": "tcp", "fromPort": 443, "toPort": 443, "prefixListIds": ["pl-0a1b2c3d"]},
        {"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["10.1.0.0/16"]},
        {"protocol": "-1", "fromPort": 0, "toPort": 0, "securityGroups": [UNKNOWN]},
        {"protocol": "udp", "fromPort": 53, "toPort": 53, "cidrBlocks": ["10.1.0.2/32"]},
    ],
    "tags": TAGS,
}


def test_pass_security_group_with_narrow_rules_and_unknown_group_references():
    assert run_resource(dl.no_open_ingress, SG, COMPLIANT_SG).passed
    assert run_resource(dl.egress_allowlist, SG, COMPLIANT_SG).passed


def test_fail_ingress_from_anywhere():
    props = changed(
        COMPLIANT_SG,
        "ingress.0",
        {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]},
    )
    assert run_resource(dl.no_open_ingress, SG, props).violations == [
        "aws:ec2/securityGroup:SecurityGroup 'subject' has ingress[0].cidrBlocks '0.0.0.0/0' (tcp 22) for "
        "ingress; required: no ingress from 0.0.0.0/0 or ::/0"
    ]


def test_fail_ingress_from_all_ipv6_addresses_and_from_halves_adding_up_to_everything():
    ipv6 = changed(COMPLIANT_SG, "ingress.0.ipv6CidrBlocks", ["::/0"])
    assert "ingress[0].ipv6CidrBlocks '::/0'" in run_resource(dl.no_open_ingress, SG, ipv6).violations[0]
    halves = changed(COMPLIANT_SG, "ingress.0.cidrBlocks", ["0.0.0.0/1", "128.0.0.0/1"])
    assert (
        "'0.0.0.0/1', ingress[0].cidrBlocks '128.0.0.0/1'"
        in run_resource(dl.no_open_ingress, SG, halves).violations[0]
    )


def test_fail_standalone_ingress_rules_from_anywhere():
    legacy = {
        "type": "ingress",
        "protocol": "tcp",
        "fromPort": 22,
        "toPort": 22,
        "cidrBlocks": ["0.0.0.0/0"],
        "securityGroupId": UNKNOWN,
    }
    assert run_resource(dl.no_open_ingress, SG_RULE, legacy).violations == [
        "aws:ec2/securityGroupRule:SecurityGroupRule 'subject' has cidrBlocks '0.0.0.0/0' (tcp 22) for "
        "ingress; required: no ingress from 0.0.0.0/0 or ::/0"
    ]
    vpc_rule = {"securityGroupId": UNKNOWN, "ipProtocol": "-1", "cidrIpv6": "::/0"}
    assert run_resource(dl.no_open_ingress, INGRESS_RULE, vpc_rule).violations == [
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule 'subject' has cidrIpv6 '::/0' (all "
        "traffic) for ingress; required: no ingress from 0.0.0.0/0 or ::/0"
    ]


def test_pass_legacy_egress_rule_is_not_judged_as_ingress():
    legacy = {
        "type": "egress",
        "protocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
        "cidrBlocks": ["10.1.0.0/16"],
    }
    assert run_resource(dl.no_open_ingress, SG_RULE, legacy).passed


def test_fail_egress_to_anywhere_even_on_443():
    props = changed(
        COMPLIANT_SG,
        "egress.0",
        {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]},
    )
    message = (
        "aws:ec2/securityGroup:SecurityGroup 'subject' has egress[0].cidrBlocks '0.0.0.0/0' (tcp 443) for "
        "egress; required: no egress to 0.0.0.0/0 or ::/0, only tcp 443 toward prefix lists, security "
        "groups or specific CIDRs"
    )
    assert run_resource(dl.egress_allowlist, SG, props).violations == [message]
    assert message in run_resource(dl.egress_allowlist, SG, props, tenant=INITECH).violations


def test_fail_all_traffic_egress_outside_the_tenant_cidr():
    props = changed(COMPLIANT_SG, "egress.1.cidrBlocks", ["10.0.0.0/8"])
    assert run_resource(dl.egress_allowlist, SG, props).violations == [
        "aws:ec2/securityGroup:SecurityGroup 'subject' has egress[1].cidrBlocks '10.0.0.0/8' (all traffic) "
        "for egress; required: egress on all ports or protocols only to security groups or inside the "
        "tenant CIDR '10.1.0.0/16'"
    ]


def test_fail_all_ports_egress_to_a_prefix_list_or_external_cidr():
    prefix = {
        "securityGroupId": UNKNOWN,
        "ipProtocol": "tcp",
        "fromPort": 0,
        "toPort": 65535,
        "prefixListId": UNKNOWN,
    }
    outcome = run_resource(dl.egress_allowlist, EGRESS_RULE, prefix)
    assert outcome.violations[0].startswith(
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule 'subject' has prefixListId '(unknown "
        "until apply)' (all tcp ports) for egress"
    )
    external = {"type": "egress", "protocol": "all", "cidrBlocks": ["203.0.113.0/24"]}
    assert len(run_resource(dl.egress_allowlist, SG_RULE, external).violations) == 1


def test_pass_https_egress_to_prefix_list_and_all_traffic_inside_the_vpc():
    https = {
        "securityGroupId": UNKNOWN,
        "ipProtocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
        "prefixListId": "pl-1",
    }
    assert run_resource(dl.egress_allowlist, EGRESS_RULE, https).passed
    internal = {"securityGroupId": UNKNOWN, "ipProtocol": "-1", "cidrIpv4": "10.1.2.0/24"}
    assert run_resource(dl.egress_allowlist, EGRESS_RULE, internal).passed


def test_unknown_cidr_in_one_rule_does_not_hide_an_open_rule_next_to_it():
    props = changed(
        COMPLIANT_SG,
        "ingress",
        [
            {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": [UNKNOWN]},
            {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]},
        ],
    )
    outcome = run_resource(dl.no_open_ingress, SG, props)
    assert len(outcome.violations) == 1 and "ingress[1].cidrBlocks '0.0.0.0/0'" in outcome.violations[0]
    assert outcome.undecided is None  # a definite violation wins over "cannot decide"


def test_undecided_ingress_with_only_an_unknown_cidr():
    outcome = run_resource(dl.no_open_ingress, SG, changed(COMPLIANT_SG, "ingress.0.cidrBlocks", [UNKNOWN]))
    assert outcome.undecided is not None and outcome.violations == []


def test_pass_prefix_list_with_specific_entries():
    props = {"entries": [{"cidr": "203.0.113.0/24"}, {"cidr": "198.51.100.7/32"}]}
    assert run_resource(dl.prefix_list_no_open_entries, PREFIX_LIST, props).passed


def test_fail_prefix_list_with_an_open_entry():
    outcome = run_resource(dl.prefix_list_no_open_entries, PREFIX_LIST, {"entries": [{"cidr": "0.0.0.0/0"}]})
    assert outcome.violations == [
        "aws:ec2/managedPrefixList:ManagedPrefixList 'subject' has entries[0].cidr '0.0.0.0/0'; required: "
        "no entry covering 0.0.0.0/0 or ::/0"
    ]
    entry = run_resource(dl.prefix_list_no_open_entries, PREFIX_LIST_ENTRY, {"cidr": "::/0"})
    assert len(entry.violations) == 1


# ================================================================ DATA-03, DATA-04 (buckets), DATA-05

BUCKET_NAME = "acme-dataset-111122223333"
TLS_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET_NAME}", f"arn:aws:s3:::{BUCKET_NAME}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}
LIFECYCLE_RULES = [
    {
        "id": "expire",
        "status": "Enabled",
        "filter": {},
        "expiration": {"days": 180},
        "noncurrentVersionExpiration": {"noncurrentDays": 30},
    }
]


def bucket_stack(bucket_type: str = BUCKET, purpose: str = "dataset") -> list[Res]:
    """A SecureBucket as the component builds it, in a first preview (ids and key ARNs unknown)."""

    def sub(type_: str, name: str, props: dict[str, Any], **deps: list[str]) -> Res:
        return Res(type_, name, {"bucket": UNKNOWN, **props}, prop_deps={"bucket": ["data"], **deps})

    return [
        tenant_key(),
        Res(bucket_type, "data", {"bucket": BUCKET_NAME, "tags": {**TAGS, "purpose": purpose}}),
        sub(
            PAB,
            "data-pab",
            {
                f: True
                for f in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
            },
        ),
        sub(POLICY, "data-policy", {"policy": json.dumps(TLS_POLICY)}),
        sub(OWNERSHIP, "data-ownership", {"rule": {"objectOwnership": "BucketOwnerEnforced"}}),
        sub(
            SSE,
            "data-sse",
            {
                "rules": [
                    {
                        "applyServerSideEncryptionByDefault": {
                            "sseAlgorithm": "aws:kms",
                            "kmsMasterKeyId": UNKNOWN,
                        },
                        "bucketKeyEnabled": True,
                    }
                ]
            },
            rules=["data-key"],
        ),
        sub(LIFECYCLE, "data-lifecycle", {"rules": LIFECYCLE_RULES}),
    ]


def without(stack: list[Res], name: str) -> list[Res]:
    return [r for r in stack if r.name != name]


def with_props(stack: list[Res], name: str, path: str, value: Any) -> list[Res]:
    return [
        Res(r.type, r.name, changed(r.props, path, value), r.parent, r.deps, r.prop_deps)
        if r.name == name
        else r
        for r in stack
    ]


def bucket_rules() -> list[Rule]:
    return [
        dl.bucket_has_public_access_block,
        dl.bucket_tls_only_policy,
        dl.bucket_has_ownership_controls,
        dl.bucket_has_encryption_config,
        dl.bucket_encryption_tenant_key,
        dl.artifact_bucket_lifecycle,
    ]


@pytest.mark.parametrize("bucket_type", [BUCKET, BUCKET_V2])
def test_pass_secure_bucket_decides_in_first_preview(bucket_type: str):
    stack = bucket_stack(bucket_type)
    assert run_stack(dl.bucket_has_public_access_block, stack).passed
    assert run_stack(dl.bucket_tls_only_policy, stack).passed
    assert run_stack(dl.bucket_has_ownership_controls, stack).passed
    assert run_stack(dl.bucket_has_encryption_config, stack).passed
    assert run_stack(dl.bucket_encryption_tenant_key, stack).passed
    assert run_stack(dl.artifact_bucket_lifecycle, stack).passed


def test_pass_sub_resources_found_by_known_bucket_name_without_dependencies():
    stack = [
        Res(
            r.type,
            r.name,
            r.props if r.type in (BUCKET, KEY) else {**r.props, "bucket": BUCKET_NAME},
            prop_deps={k: v for k, v in r.prop_deps.items() if k != "bucket"},
        )
        for r in bucket_stack()
    ]
    for rule in bucket_rules():
        assert run_stack(rule, stack).passed, rule.name


def test_fail_bucket_without_public_access_block():
    outcome = run_stack(dl.bucket_has_public_access_block, without(bucket_stack(), "data-pab"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' has no aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock; "
        "required: one with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets "
        "true"
    ]


def test_undecided_bucket_whose_only_candidate_sub_resource_has_an_unknown_bucket_without_dependency():
    stack = [
        *without(bucket_stack(), "data-pab"),
        Res(PAB, "data-pab", {"bucket": UNKNOWN, "blockPublicAcls": True}),
    ]
    outcome = run_stack(dl.bucket_has_public_access_block, stack)
    assert outcome.undecided is not None and outcome.violations == []


PUBLIC_ACCESS_BLOCK = {
    "bucket": UNKNOWN,
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}


def test_pass_public_access_block_with_all_flags():
    assert run_resource(dl.public_access_block_all_true, PAB, PUBLIC_ACCESS_BLOCK).passed


def test_fail_public_access_block_with_a_flag_off_or_missing():
    props = changed(changed(PUBLIC_ACCESS_BLOCK, "blockPublicPolicy", False), "restrictPublicBuckets", DELETE)
    assert run_resource(dl.public_access_block_all_true, PAB, props).violations == [
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock 'subject' has blockPublicPolicy false, "
        "restrictPublicBuckets missing; required: blockPublicAcls, blockPublicPolicy, ignorePublicAcls, "
        "restrictPublicBuckets all true"
    ]


def test_fail_bucket_without_policy():
    outcome = run_stack(dl.bucket_tls_only_policy, without(bucket_stack(), "data-policy"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' has no aws:s3/bucketPolicy:BucketPolicy; required: one denying "
        "non-TLS requests"
    ]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("Statement.0.Effect", "Allow"),
        (
            "Statement.0.Condition",
            {"Bool": {"aws:SecureTransport": "false"}, "IpAddress": {"aws:SourceIp": "1.2.3.4"}},
        ),
        ("Statement.0.Resource", [f"arn:aws:s3:::{BUCKET_NAME}"]),
        ("Statement.0.Resource", ["arn:aws:s3:::another-bucket", "arn:aws:s3:::another-bucket/*"]),
        ("Statement.0.Action", "s3:GetObject"),
        ("Statement.0.Principal", {"AWS": "arn:aws:iam::111122223333:root"}),
    ],
)
def test_fail_bucket_policy_that_does_not_deny_insecure_transport(path: str, value: Any):
    stack = with_props(bucket_stack(), "data-policy", "policy", json.dumps(changed(TLS_POLICY, path, value)))
    assert run_stack(dl.bucket_tls_only_policy, stack).violations == [
        "aws:s3/bucketPolicy:BucketPolicy 'data-policy' of aws:s3/bucket:Bucket 'data' has no statement "
        "denying every principal s3:* on the bucket and its objects under Condition Bool "
        "aws:SecureTransport 'false'; required: one"
    ]


def test_pass_bucket_policy_as_object_with_wildcard_resource():
    policy = changed(TLS_POLICY, "Statement.0.Resource", "*")
    assert run_stack(
        dl.bucket_tls_only_policy, with_props(bucket_stack(), "data-policy", "policy", policy)
    ).passed


def test_undecided_bucket_policy_unknown_in_preview():
    outcome = run_stack(
        dl.bucket_tls_only_policy, with_props(bucket_stack(), "data-policy", "policy", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []


def test_pass_private_acl_and_bucket_without_acl():
    assert run_resource(dl.no_public_acl, ACL, {"bucket": UNKNOWN, "acl": "private"}).passed
    assert run_resource(dl.no_public_acl, BUCKET, {"bucket": BUCKET_NAME, "tags": TAGS}).passed


def test_fail_public_canned_acl():
    assert run_resource(dl.no_public_acl, ACL, {"bucket": UNKNOWN, "acl": "public-read"}).violations == [
        "aws:s3/bucketAcl:BucketAcl 'subject' has acl 'public-read'; required: no public-read, "
        "public-read-write or authenticated-read ACL"
    ]


def test_fail_acl_grant_to_all_users():
    grant = {
        "grantee": {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"},
        "permission": "READ",
    }
    outcome = run_resource(
        dl.no_public_acl, ACL, {"bucket": UNKNOWN, "accessControlPolicy": {"grants": [grant]}}
    )
    assert outcome.violations == [
        "aws:s3/bucketAcl:BucketAcl 'subject' has accessControlPolicy.grants[0].grantee.uri "
        "'http://acs.amazonaws.com/groups/global/AllUsers'; required: no grant to AllUsers or "
        "AuthenticatedUsers"
    ]


def test_fail_bucket_with_legacy_public_acl_input():
    outcome = run_resource(dl.no_public_acl, BUCKET_V2, {"bucket": BUCKET_NAME, "acl": "authenticated-read"})
    assert outcome.violations[0].startswith("aws:s3/bucketV2:BucketV2 'subject' has acl 'authenticated-read'")


def test_fail_bucket_without_ownership_controls():
    outcome = run_stack(dl.bucket_has_ownership_controls, without(bucket_stack(), "data-ownership"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' has no aws:s3/bucketOwnershipControls:BucketOwnershipControls; "
        "required: one with rule.objectOwnership 'BucketOwnerEnforced'"
    ]


OWNERSHIP_CONTROLS = {"bucket": UNKNOWN, "rule": {"objectOwnership": "BucketOwnerEnforced"}}


def test_pass_ownership_controls_enforcing_bucket_owner():
    assert run_resource(dl.ownership_bucket_owner_enforced, OWNERSHIP, OWNERSHIP_CONTROLS).passed


def test_fail_ownership_controls_letting_writers_own_objects():
    props = changed(OWNERSHIP_CONTROLS, "rule.objectOwnership", "ObjectWriter")
    assert run_resource(dl.ownership_bucket_owner_enforced, OWNERSHIP, props).violations == [
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls 'subject' has rule.objectOwnership "
        "'ObjectWriter'; required: 'BucketOwnerEnforced'"
    ]


def test_fail_bucket_without_encryption_configuration():
    outcome = run_stack(dl.bucket_has_encryption_config, without(bucket_stack(), "data-sse"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' has no "
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration; required: "
        "one with sseAlgorithm 'aws:kms' and a tenant key (S3 otherwise encrypts with S3-managed AES256 "
        "keys)"
    ]


SSE_ALGORITHM = "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"
SSE_KEY = "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId"


def test_fail_bucket_encryption_with_s3_managed_keys():
    stack = with_props(bucket_stack(), "data-sse", SSE_ALGORITHM, "AES256")
    assert run_stack(dl.bucket_encryption_tenant_key, stack).violations == [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration 'data-sse' "
        "has rules[0].applyServerSideEncryptionByDefault.sseAlgorithm 'AES256'; required: 'aws:kms' or "
        "'aws:kms:dsse'"
    ]


def test_fail_bucket_encryption_with_aws_managed_key():
    stack = with_props(bucket_stack(), "data-sse", SSE_KEY, "alias/aws/s3")
    outcome = run_stack(dl.bucket_encryption_tenant_key, stack)
    assert len(outcome.violations) == 1
    assert "kmsMasterKeyId 'alias/aws/s3'" in outcome.violations[0]
    assert outcome.violations[0].endswith("required: a KMS key of this stack tagged tenant=acme")


def test_fail_bucket_encryption_with_another_tenants_key():
    stack = [*bucket_stack()[1:], tenant_key(tenant="globex")]
    outcome = run_stack(dl.bucket_encryption_tenant_key, stack)
    assert len(outcome.violations) == 1 and "which is not tagged tenant=acme" in outcome.violations[0]


def test_undecided_bucket_encryption_key_unknown_without_dependency():
    stack = [
        Res(r.type, r.name, r.props, prop_deps={"bucket": ["data"]}) if r.name == "data-sse" else r
        for r in bucket_stack()
    ]
    outcome = run_stack(dl.bucket_encryption_tenant_key, stack)
    assert outcome.undecided is not None and outcome.violations == []


def test_fail_artifact_bucket_without_lifecycle():
    outcome = run_stack(dl.artifact_bucket_lifecycle, without(bucket_stack(), "data-lifecycle"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' (purpose 'dataset') has no "
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration; required: an enabled rule "
        "expiring current and noncurrent versions within 365 days"
    ]


def test_pass_model_registry_bucket_needs_no_lifecycle():
    assert run_stack(
        dl.artifact_bucket_lifecycle, without(bucket_stack(purpose="model-registry"), "data-lifecycle")
    ).passed


def test_fail_lifecycle_that_keeps_artifacts_too_long():
    stack = with_props(bucket_stack(purpose="checkpoint"), "data-lifecycle", "rules.0.expiration.days", 400)
    assert run_stack(dl.artifact_bucket_lifecycle, stack).violations == [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration 'data-lifecycle' of "
        "aws:s3/bucket:Bucket 'data' has no enabled whole-bucket rule with expiration.days <= 365 (found: "
        "rules[0].expiration.days 400)"
    ]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("rules.0.status", "Disabled"),
        ("rules.0.filter", {"prefix": "tmp/"}),
        ("rules.0.noncurrentVersionExpiration", DELETE),
    ],
)
def test_fail_lifecycle_rule_disabled_narrowed_or_keeping_noncurrent_versions(path: str, value: Any):
    stack = with_props(bucket_stack(), "data-lifecycle", path, value)
    outcome = run_stack(dl.artifact_bucket_lifecycle, stack)
    assert len(outcome.violations) == 1 and "has no enabled whole-bucket rule" in outcome.violations[0]


def test_fail_lifecycle_longer_than_configured_retention():
    outcome = run_stack(dl.artifact_bucket_lifecycle, bucket_stack(), config={"maxArtifactRetentionDays": 90})
    assert (
        len(outcome.violations) == 1
        and "expiration.days <= 90 (found: rules[0].expiration.days 180)" in (outcome.violations[0])
    )


def test_undecided_lifecycle_when_bucket_purpose_unknown():
    outcome = run_stack(
        dl.artifact_bucket_lifecycle, with_props(bucket_stack(), "data", "tags.purpose", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []


# ======================================================= DATA-04 (volumes, file systems, logs, ML, EKS)

# The key input and other inputs of each storage type judged by a table-built DATA-04 rule.
STORAGE = {
    "data-04-ebs-volume-tenant-key": (
        "aws:ebs/volume:Volume",
        "kmsKeyId",
        {"availabilityZone": "us-east-1a", "size": 100, "encrypted": True},
    ),
    "data-04-efs-tenant-key": ("aws:efs/fileSystem:FileSystem", "kmsKeyId", {"encrypted": True}),
    "data-04-fsx-lustre-tenant-key": (
        "aws:fsx/lustreFileSystem:LustreFileSystem",
        "kmsKeyId",
        {"storageCapacity": 1200},
    ),
    "data-04-log-group-tenant-key": (
        "aws:cloudwatch/logGroup:LogGroup",
        "kmsKeyId",
        {"retentionInDays": 365},
    ),
    "data-04-notebook-tenant-key": (NOTEBOOK, "kmsKeyId", {"instanceType": "ml.t3.medium"}),
    "data-04-endpoint-config-tenant-key": (
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        "kmsKeyArn",
        {},
    ),
}


def keyed(type_: str, prop: str, props: dict[str, Any], value: Any = UNKNOWN) -> list[Res]:
    deps = {prop: ["data-key"]} if value is UNKNOWN else {}
    return [tenant_key(), Res(type_, "store", {**props, prop: value, "tags": TAGS}, prop_deps=deps)]


def test_pass_storage_with_tenant_key_in_first_preview():
    for rule in (
        dl.ebs_volume_tenant_key,
        dl.efs_tenant_key,
        dl.fsx_lustre_tenant_key,
        dl.log_group_tenant_key,
        dl.notebook_tenant_key,
        dl.endpoint_config_tenant_key,
    ):
        assert run_stack(rule, keyed(*STORAGE[rule.name])).passed, rule.name


def test_fail_storage_with_aws_managed_key():
    for rule in (
        dl.ebs_volume_tenant_key,
        dl.efs_tenant_key,
        dl.fsx_lustre_tenant_key,
        dl.log_group_tenant_key,
        dl.notebook_tenant_key,
        dl.endpoint_config_tenant_key,
    ):
        type_, prop, props = STORAGE[rule.name]
        assert run_stack(rule, keyed(type_, prop, props, "alias/aws/ebs")).violations == [
            f"{type_} 'store' has {prop} 'alias/aws/ebs' (an AWS-managed key); required: a KMS key of this "
            "stack tagged tenant=acme"
        ]


def test_fail_volume_without_key_or_encryption():
    stack = keyed("aws:ebs/volume:Volume", "kmsKeyId", {"availabilityZone": "us-east-1a"}, None)
    assert run_stack(dl.ebs_volume_tenant_key, stack).violations == [
        "aws:ebs/volume:Volume 'store' has encrypted missing; required: true",
        "aws:ebs/volume:Volume 'store' has kmsKeyId missing; required: a KMS key of this stack tagged "
        "tenant=acme",
    ]


def test_pass_log_group_with_known_arn_of_a_tenant_key():
    arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    key = Res(KEY, "data-key", {"arn": arn, "tags": TAGS})
    log_group = Res("aws:cloudwatch/logGroup:LogGroup", "logs", {"kmsKeyId": arn})
    assert run_stack(dl.log_group_tenant_key, [key, log_group]).passed


def test_undecided_volume_key_unknown_without_dependency():
    stack = [tenant_key(), Res("aws:ebs/volume:Volume", "store", {"encrypted": True, "kmsKeyId": UNKNOWN})]
    outcome = run_stack(dl.ebs_volume_tenant_key, stack)
    assert outcome.undecided is not None and outcome.violations == []


COMPLIANT_CLUSTER = {
    "name": "acme",
    "roleArn": UNKNOWN,
    "vpcConfig": {"subnetIds": [UNKNOWN], "endpointPublicAccess": False, "endpointPrivateAccess": True},
    "encryptionConfig": {"provider": {"keyArn": UNKNOWN}, "resources": ["secrets"]},
    "tags": TAGS,
}


def cluster_stack(props: dict[str, Any]) -> list[Res]:
    return [tenant_key(), Res(EKS, "cluster", props, prop_deps={"encryptionConfig": ["data-key"]})]


def test_pass_eks_secrets_encryption_as_object_or_list():
    assert run_stack(dl.eks_secrets_tenant_key, cluster_stack(COMPLIANT_CLUSTER)).passed
    as_list = changed(COMPLIANT_CLUSTER, "encryptionConfig", [COMPLIANT_CLUSTER["encryptionConfig"]])
    assert run_stack(dl.eks_secrets_tenant_key, cluster_stack(as_list)).passed


def test_fail_eks_without_secrets_encryption():
    outcome = run_stack(
        dl.eks_secrets_tenant_key, cluster_stack(changed(COMPLIANT_CLUSTER, "encryptionConfig", DELETE))
    )
    assert outcome.violations == [
        "aws:eks/cluster:Cluster 'cluster' has no encryptionConfig with resources ['secrets']; required: "
        "encryptionConfig.provider.keyArn a tenant key for resources ['secrets']"
    ]


def test_fail_eks_secrets_encrypted_with_a_key_of_another_account():
    props = changed(
        COMPLIANT_CLUSTER, "encryptionConfig.provider.keyArn", "arn:aws:kms:us-east-1:999999999999:key/x"
    )
    outcome = run_stack(dl.eks_secrets_tenant_key, [tenant_key(), Res(EKS, "cluster", props)])
    assert outcome.violations == [
        "aws:eks/cluster:Cluster 'cluster' has encryptionConfig.provider.keyArn "
        "'arn:aws:kms:us-east-1:999999999999:key/x', a key in account 999999999999, not the tenant's "
        "account 111122223333; required: a KMS key of this stack tagged tenant=acme"
    ]


# ================================================================ DATA-06

SERVICES = ["ecr.api", "ecr.dkr", "sts", "kms", "logs"]
S3_ENDPOINT_POLICY = {
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            "Resource": [f"arn:aws:s3:::{BUCKET_NAME}", f"arn:aws:s3:::{BUCKET_NAME}/*"],
        },
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*",
        },
    ]
}


def endpoint_stack() -> list[Res]:
    stack = [
        Res(VPC, "vpc", {"cidrBlock": "10.1.0.0/16", "tags": TAGS}),
        Res(
            ENDPOINT,
            "s3",
            {
                "vpcId": UNKNOWN,
                "serviceName": "com.amazonaws.us-east-1.s3",
                "vpcEndpointType": "Gateway",
                "policy": json.dumps(S3_ENDPOINT_POLICY),
            },
            prop_deps={"vpcId": ["vpc"]},
        ),
    ]
    for service in SERVICES:
        props = {
            "vpcId": UNKNOWN,
            "serviceName": f"com.amazonaws.us-east-1.{service}",
            "vpcEndpointType": "Interface",
            "privateDnsEnabled": True,
            "subnetIds": [UNKNOWN],
        }
        stack.append(Res(ENDPOINT, service, props, prop_deps={"vpcId": ["vpc"]}))
    return stack


def test_pass_vpc_with_private_endpoints_in_first_preview():
    assert run_stack(dl.vpc_s3_gateway_endpoint, endpoint_stack()).passed
    assert run_stack(dl.vpc_interface_endpoints, endpoint_stack()).passed


def test_pass_s3_endpoint_type_defaults_to_gateway():
    assert run_stack(
        dl.vpc_s3_gateway_endpoint, with_props(endpoint_stack(), "s3", "vpcEndpointType", DELETE)
    ).passed


def test_fail_vpc_without_s3_gateway_endpoint():
    for stack in (
        without(endpoint_stack(), "s3"),
        with_props(endpoint_stack(), "s3", "vpcEndpointType", "Interface"),
    ):
        assert run_stack(dl.vpc_s3_gateway_endpoint, stack).violations == [
            "aws:ec2/vpc:Vpc 'vpc' has no aws:ec2/vpcEndpoint:VpcEndpoint with serviceName "
            "'com.amazonaws.<region>.s3' and vpcEndpointType 'Gateway'; required: one"
        ]


def test_fail_vpc_without_kms_interface_endpoint():
    outcome = run_stack(dl.vpc_interface_endpoints, without(endpoint_stack(), "kms"))
    assert outcome.violations == [
        "aws:ec2/vpc:Vpc 'vpc' has no interface endpoint for kms; required: "
        "aws:ec2/vpcEndpoint:VpcEndpoint with vpcEndpointType 'Interface' and privateDnsEnabled true for "
        "each of ecr.api, ecr.dkr, sts, kms, logs"
    ]


def test_fail_interface_endpoint_without_private_dns():
    outcome = run_stack(
        dl.vpc_interface_endpoints, with_props(endpoint_stack(), "sts", "privateDnsEnabled", DELETE)
    )
    assert outcome.violations == [
        "aws:ec2/vpcEndpoint:VpcEndpoint 'sts' has privateDnsEnabled missing; required: true"
    ]


def test_fail_vpc_without_an_interface_endpoint_added_by_config():
    config = {"interfaceServices": ["ecr.api", "sagemaker.runtime"]}
    outcome = run_stack(dl.vpc_interface_endpoints, endpoint_stack(), config=config)
    assert (
        len(outcome.violations) == 1
        and "has no interface endpoint for sagemaker.runtime" in outcome.violations[0]
    )


def test_undecided_missing_endpoint_when_a_service_name_is_unknown():
    outcome = run_stack(
        dl.vpc_interface_endpoints, with_props(endpoint_stack(), "kms", "serviceName", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []


S3_ENDPOINT = {
    "vpcId": UNKNOWN,
    "serviceName": "com.amazonaws.us-east-1.s3",
    "policy": json.dumps(S3_ENDPOINT_POLICY),
}


def test_pass_s3_endpoint_policy_limited_to_named_buckets():
    assert run_resource(dl.s3_endpoint_policy_scoped, ENDPOINT, S3_ENDPOINT).passed


def test_fail_s3_endpoint_policy_allowing_everything():
    wide = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}
    assert run_resource(
        dl.s3_endpoint_policy_scoped, ENDPOINT, changed(S3_ENDPOINT, "policy", wide)
    ).violations == [
        "aws:ec2/vpcEndpoint:VpcEndpoint 'subject' has policy Statement[0] allowing Action ['s3:*'] on "
        "Resource ['*'] beyond the tenant's buckets; required: S3 actions only on the tenant's buckets named "
        "exactly and the ECR layer bucket"
    ]


def test_fail_s3_endpoint_without_policy():
    outcome = run_resource(dl.s3_endpoint_policy_scoped, ENDPOINT, changed(S3_ENDPOINT, "policy", DELETE))
    assert outcome.violations == [
        "aws:ec2/vpcEndpoint:VpcEndpoint 'subject' has policy missing; required: a policy limited to the "
        "tenant's buckets"
    ]


def test_pass_interface_endpoints_need_no_s3_policy():
    props = {"vpcId": UNKNOWN, "serviceName": "com.amazonaws.us-east-1.sts", "vpcEndpointType": "Interface"}
    assert run_resource(dl.s3_endpoint_policy_scoped, ENDPOINT, props).passed


# ================================================================ DATA-07

DEFAULT_DENY = {
    "metadata": {"name": "default-deny", "namespace": UNKNOWN, "labels": {"tenant": "acme"}},
    "spec": {
        "podSelector": {},
        "policyTypes": ["Ingress", "Egress"],
        "egress": [
            {
                "to": [
                    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}
                ],
                "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
            }
        ],
    },
}
ALLOW_FROM_SIBLING = {
    "metadata": {"name": "allow-serving", "namespace": "acme-prod"},
    "spec": {
        "podSelector": {"matchLabels": {"app": "serving"}},
        "policyTypes": ["Ingress"],
        "ingress": [
            {"from": [{"namespaceSelector": {"matchLabels": {"tenant": "acme"}}}, {"podSelector": {}}]}
        ],
    },
}


def namespace_stack(default_deny: dict[str, Any] = DEFAULT_DENY) -> list[Res]:
    return [
        Res(NAMESPACE, "prod", {"metadata": {"name": "acme-prod", "labels": {"tenant": "acme"}}}),
        Res(NETPOL, "prod-default-deny", default_deny, prop_deps={"metadata": ["prod"]}),
        Res(NETPOL, "prod-allow-serving", ALLOW_FROM_SIBLING),
    ]


def test_pass_namespace_with_default_deny_in_first_preview():
    assert run_stack(dl.namespace_default_deny, namespace_stack()).passed
    assert run_stack(dl.network_policy_no_open_peers, namespace_stack()).passed


def test_pass_default_deny_matched_by_known_namespace_name():
    policy = changed(DEFAULT_DENY, "metadata.namespace", "acme-prod")
    stack = [
        r if r.name != "prod-default-deny" else Res(NETPOL, r.name, policy) for r in namespace_stack(policy)
    ]
    assert run_stack(dl.namespace_default_deny, stack).passed


def test_fail_namespace_without_default_deny():
    outcome = run_stack(dl.namespace_default_deny, without(namespace_stack(), "prod-default-deny"))
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'prod' has no default-deny NetworkPolicy (no NetworkPolicy selects "
        "all pods); required: spec.podSelector {}, spec.policyTypes ['Ingress', 'Egress'], no ingress "
        "rules, egress only to kube-system on port 53"
    ]


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("spec.policyTypes", ["Ingress"], "spec.policyTypes ['Ingress'], required ['Ingress', 'Egress']"),
        ("spec.ingress", [{"from": [{"podSelector": {}}]}], "spec.ingress has 1 rule(s), required none"),
        ("spec.egress.0.ports.0.port", 443, "spec.egress[0] allows more than port 53 to kube-system"),
        (
            "spec.egress.0.to.0",
            {"ipBlock": {"cidr": "10.0.0.0/8"}},
            "spec.egress[0] allows more than port 53",
        ),
    ],
)
def test_fail_default_deny_that_allows_too_much(path: str, value: Any, problem: str):
    outcome = run_stack(dl.namespace_default_deny, namespace_stack(changed(DEFAULT_DENY, path, value)))
    assert len(outcome.violations) == 1
    assert (
        f"(kubernetes:networking.k8s.io/v1:NetworkPolicy 'prod-default-deny' has {problem}"
        in outcome.violations[0]
    )


def test_undecided_namespace_when_a_policy_namespace_is_unknown_without_dependency():
    stack = [
        r if r.name != "prod-default-deny" else Res(NETPOL, r.name, DEFAULT_DENY) for r in namespace_stack()
    ]
    outcome = run_stack(dl.namespace_default_deny, stack)
    assert outcome.undecided is not None and outcome.violations == []


@pytest.mark.parametrize(
    ("peer", "shown"),
    [
        ({"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}, "ipBlock.cidr '0.0.0.0/0'"),
        ({"namespaceSelector": {}}, "namespaceSelector {}"),
        (
            {"namespaceSelector": {"matchLabels": {"tenant": "globex"}}},
            "namespaceSelector.matchLabels {'tenant': 'globex'}",
        ),
        (
            {
                "namespaceSelector": {
                    "matchExpressions": [{"key": "tenant", "operator": "NotIn", "values": ["acme"]}]
                }
            },
            "namespaceSelector.matchExpressions",
        ),
    ],
)
def test_fail_network_policy_with_peers_outside_the_tenant(peer: dict[str, Any], shown: str):
    stack = with_props(namespace_stack(), "prod-allow-serving", "spec.ingress.0.from.0", peer)
    assert run_stack(dl.network_policy_no_open_peers, stack).violations == [
        "kubernetes:networking.k8s.io/v1:NetworkPolicy 'prod-allow-serving' has "
        f"spec.ingress[0].from[0].{shown}; required: peers inside the tenant (its namespaces, label "
        "tenant=acme, kube-system)"
    ]


def test_fail_network_policy_rule_without_peers_allows_everything():
    stack = with_props(namespace_stack(), "prod-allow-serving", "spec.ingress.0.from", DELETE)
    assert run_stack(dl.network_policy_no_open_peers, stack).violations == [
        "kubernetes:networking.k8s.io/v1:NetworkPolicy 'prod-allow-serving' has spec.ingress[0].from "
        "missing, which allows every peer; required: peers inside the tenant"
    ]


def test_pass_network_policy_selecting_a_namespace_of_the_stack_by_name():
    peer = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "acme-prod"}}}
    stack = with_props(namespace_stack(), "prod-allow-serving", "spec.ingress.0.from.0", peer)
    assert run_stack(dl.network_policy_no_open_peers, stack).passed


# ================================================================ DATA-08

LB_SERVICE = {
    "metadata": {
        "name": "serving",
        "namespace": "acme-prod",
        "annotations": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"},
    },
    "spec": {"type": "LoadBalancer", "ports": [{"port": 443}]},
}


def test_pass_internal_load_balancer_services_and_cluster_ip_services():
    assert run_resource(dl.service_internal_load_balancer, SERVICE, LB_SERVICE).passed
    legacy = changed(
        LB_SERVICE, "metadata.annotations", {"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}
    )
    assert run_resource(dl.service_internal_load_balancer, SERVICE, legacy).passed
    cluster_ip = changed(changed(LB_SERVICE, "spec.type", "ClusterIP"), "metadata.annotations", DELETE)
    assert run_resource(dl.service_internal_load_balancer, SERVICE, cluster_ip).passed


def test_fail_internet_facing_load_balancer_service():
    props = changed(LB_SERVICE, "metadata.annotations", DELETE)
    assert run_resource(dl.service_internal_load_balancer, SERVICE, props).violations == [
        "kubernetes:core/v1:Service 'subject' has spec.type 'LoadBalancer' with metadata.annotations "
        "service.beta.kubernetes.io/aws-load-balancer-scheme missing and "
        "service.beta.kubernetes.io/aws-load-balancer-internal missing; required: "
        "service.beta.kubernetes.io/aws-load-balancer-scheme 'internal' (or "
        "service.beta.kubernetes.io/aws-load-balancer-internal 'true')"
    ]
    facing = changed(
        LB_SERVICE,
        "metadata.annotations",
        {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"},
    )
    assert len(run_resource(dl.service_internal_load_balancer, SERVICE, facing).violations) == 1


@pytest.mark.parametrize("type_", ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"])
def test_pass_internal_load_balancer(type_: str):
    assert run_resource(dl.load_balancer_internal, type_, {"internal": True, "subnets": [UNKNOWN]}).passed


@pytest.mark.parametrize("type_", ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"])
def test_fail_load_balancer_without_internal_is_internet_facing(type_: str):
    assert run_resource(dl.load_balancer_internal, type_, {"subnets": [UNKNOWN]}).violations == [
        f"{type_} 'subject' has internal missing; required: true"
    ]


def test_pass_eks_with_private_endpoint_only():
    assert run_resource(dl.eks_endpoint_private, EKS, COMPLIANT_CLUSTER).passed


def test_fail_eks_endpoint_public_by_default():
    props = changed(COMPLIANT_CLUSTER, "vpcConfig.endpointPublicAccess", DELETE)
    assert run_resource(dl.eks_endpoint_private, EKS, props).violations == [
        "aws:eks/cluster:Cluster 'subject' has vpcConfig.endpointPublicAccess missing; required: false"
    ]


# ================================================================ DATA-09

COMPLIANT_NOTEBOOK = {
    "instanceType": "ml.t3.medium",
    "roleArn": UNKNOWN,
    "subnetId": UNKNOWN,
    "securityGroups": [UNKNOWN],
    "directInternetAccess": "Disabled",
    "rootAccess": "Disabled",
    "kmsKeyId": UNKNOWN,
    "tags": TAGS,
}


def test_pass_notebook_inside_the_vpc_in_first_preview():
    assert run_resource(dl.notebook_no_direct_internet, NOTEBOOK, COMPLIANT_NOTEBOOK).passed
    assert run_resource(dl.notebook_no_root_access, NOTEBOOK, COMPLIANT_NOTEBOOK).passed
    assert run_resource(dl.notebook_in_vpc_subnet, NOTEBOOK, COMPLIANT_NOTEBOOK).passed


def test_fail_notebook_with_default_direct_internet_access():
    props = changed(COMPLIANT_NOTEBOOK, "directInternetAccess", DELETE)
    assert run_resource(dl.notebook_no_direct_internet, NOTEBOOK, props).violations == [
        "aws:sagemaker/notebookInstance:NotebookInstance 'subject' has directInternetAccess missing; "
        "required: 'Disabled'"
    ]


def test_fail_notebook_with_root_access():
    props = changed(COMPLIANT_NOTEBOOK, "rootAccess", "Enabled")
    assert run_resource(dl.notebook_no_root_access, NOTEBOOK, props).violations == [
        "aws:sagemaker/notebookInstance:NotebookInstance 'subject' has rootAccess 'Enabled'; required: "
        "'Disabled'"
    ]


def test_fail_notebook_outside_a_subnet():
    props = changed(COMPLIANT_NOTEBOOK, "subnetId", DELETE)
    assert run_resource(dl.notebook_in_vpc_subnet, NOTEBOOK, props).violations == [
        "aws:sagemaker/notebookInstance:NotebookInstance 'subject' has subnetId missing; required: a "
        "subnet of the tenant VPC"
    ]


SAGEMAKER_DOMAIN = {
    "domainName": "acme",
    "authMode": "IAM",
    "appNetworkAccessType": "VpcOnly",
    "vpcId": UNKNOWN,
}


def test_pass_sagemaker_domain_vpc_only():
    assert run_resource(dl.domain_vpc_only, "aws:sagemaker/domain:Domain", SAGEMAKER_DOMAIN).passed


def test_fail_sagemaker_domain_with_default_public_internet():
    props = changed(SAGEMAKER_DOMAIN, "appNetworkAccessType", DELETE)
    assert run_resource(dl.domain_vpc_only, "aws:sagemaker/domain:Domain", props).violations == [
        "aws:sagemaker/domain:Domain 'subject' has appNetworkAccessType missing; required: 'VpcOnly'"
    ]


def test_pass_sagemaker_model_isolated_or_in_vpc():
    model = "aws:sagemaker/model:Model"
    assert run_resource(dl.model_network_isolated, model, {"enableNetworkIsolation": True}).passed
    in_vpc = {"vpcConfig": {"subnets": [UNKNOWN], "securityGroupIds": [UNKNOWN]}}
    assert run_resource(dl.model_network_isolated, model, in_vpc).passed


def test_fail_sagemaker_model_neither_isolated_nor_in_vpc():
    outcome = run_resource(
        dl.model_network_isolated, "aws:sagemaker/model:Model", {"executionRoleArn": UNKNOWN}
    )
    assert outcome.violations == [
        "aws:sagemaker/model:Model 'subject' has enableNetworkIsolation missing and vpcConfig.subnets "
        "missing; required: enableNetworkIsolation true or a vpcConfig with subnets"
    ]


# ================================================================ DATA-10


def test_fail_any_vpc_peering_or_transit_gateway_attachment():
    peering = {"vpcId": UNKNOWN, "peerVpcId": "vpc-0globex", "autoAccept": True}
    assert run_resource(dl.no_vpc_peering_or_tgw_attachment, PEERING, peering).violations == [
        "aws:ec2/vpcPeeringConnection:VpcPeeringConnection 'subject' peers the tenant VPC with peerVpcId "
        "'vpc-0globex'; required: no VPC peering connection"
    ]
    attachment = {"vpcId": UNKNOWN, "subnetIds": [UNKNOWN], "transitGatewayId": UNKNOWN}
    assert run_resource(dl.no_vpc_peering_or_tgw_attachment, TGW_ATTACHMENT, attachment).violations == [
        "aws:ec2transitgateway/vpcAttachment:VpcAttachment 'subject' attaches the tenant VPC to "
        "transitGatewayId (unknown until apply); required: no transit gateway attachment"
    ]


def test_pass_other_resource_types_are_not_judged_as_peering():
    outcome = run_resource(dl.no_vpc_peering_or_tgw_attachment, VPC, {"cidrBlock": "10.1.0.0/16"})
    assert outcome.not_applicable is not None and outcome.violations == []


def test_fail_route_through_peering_outside_the_tenant_cidr():
    route = {
        "routeTableId": UNKNOWN,
        "destinationCidrBlock": "10.2.0.0/16",
        "vpcPeeringConnectionId": "pcx-1",
    }
    assert run_resource(dl.no_cross_vpc_routes, ROUTE, route).violations == [
        "aws:ec2/route:Route 'subject' sends '10.2.0.0/16' via vpcPeeringConnectionId; required: cross-VPC "
        "routes only to destinations inside the tenant CIDR '10.1.0.0/16'"
    ]


def test_pass_routes_inside_the_tenant_cidr_or_via_nat():
    inside = {
        "routeTableId": UNKNOWN,
        "destinationCidrBlock": "10.1.4.0/24",
        "vpcPeeringConnectionId": "pcx-1",
    }
    assert run_resource(dl.no_cross_vpc_routes, ROUTE, inside).passed
    nat = {"routeTableId": UNKNOWN, "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": UNKNOWN}
    assert run_resource(dl.no_cross_vpc_routes, ROUTE, nat).passed


def test_fail_inline_transit_gateway_default_route():
    table = {
        "vpcId": UNKNOWN,
        "routes": [
            {"cidrBlock": "10.1.0.0/16", "transitGatewayId": "tgw-1"},
            {"cidrBlock": "0.0.0.0/0", "transitGatewayId": UNKNOWN},
        ],
    }
    assert run_resource(dl.no_cross_vpc_routes, ROUTE_TABLE, table).violations == [
        "aws:ec2/routeTable:RouteTable 'subject' routes[1] sends '0.0.0.0/0' via transitGatewayId; "
        "required: cross-VPC routes only to destinations inside the tenant CIDR '10.1.0.0/16'"
    ]


# ================================================================ the whole area


def test_every_data_control_has_rules_and_applies_to_standard_tenants():
    controls = {rule.control.id for rule in dl.RULES}
    assert controls == {f"DATA-{n:02d}" for n in range(1, 11)}
    assert {rule.control.level for rule in dl.RULES} == {"baseline"}
    # Baseline controls hold for the standard tenant acme too: never "not applicable" by tier.
    assert run_resource(dl.no_public_subnet, SUBNET, PRIVATE_SUBNET, tenant=ACME).not_applicable is None


def test_other_resource_types_are_not_applicable():
    assert run_resource(dl.no_open_ingress, BUCKET, {"bucket": BUCKET_NAME}).not_applicable is not None


# ---------------------------------------------------------------- no shape makes a rule raise

KEYS = [
    "ingress",
    "egress",
    "cidrBlocks",
    "ipv6CidrBlocks",
    "prefixListIds",
    "securityGroups",
    "fromPort",
    "toPort",
    "protocol",
    "type",
    "cidrIpv4",
    "cidrIpv6",
    "ipProtocol",
    "prefixListId",
    "entries",
    "cidr",
    "routes",
    "cidrBlock",
    "gatewayId",
    "natGatewayId",
    "transitGatewayId",
    "destinationCidrBlock",
    "routeTableId",
    "subnetId",
    "vpcId",
    "tags",
    "tier",
    "purpose",
    "tenant",
    "bucket",
    "policy",
    "Statement",
    "Effect",
    "Action",
    "Resource",
    "Principal",
    "Condition",
    "rules",
    "status",
    "filter",
    "expiration",
    "days",
    "acl",
    "grants",
    "accessControlPolicy",
    "grantee",
    "uri",
    "rule",
    "objectOwnership",
    "kmsKeyId",
    "kmsKeyArn",
    "encrypted",
    "applyServerSideEncryptionByDefault",
    "sseAlgorithm",
    "kmsMasterKeyId",
    "encryptionConfig",
    "provider",
    "keyArn",
    "resources",
    "serviceName",
    "vpcEndpointType",
    "privateDnsEnabled",
    "metadata",
    "name",
    "namespace",
    "annotations",
    "spec",
    "podSelector",
    "policyTypes",
    "from",
    "to",
    "ports",
    "port",
    "namespaceSelector",
    "matchLabels",
    "matchExpressions",
    "ipBlock",
    "internal",
    "vpcConfig",
    "endpointPublicAccess",
    "subnets",
    "directInternetAccess",
    "rootAccess",
    "appNetworkAccessType",
    "enableNetworkIsolation",
    "peerVpcId",
    "mapPublicIpOnLaunch",
    "connectivityType",
    "blockPublicAcls",
    "noncurrentVersionExpiration",
    "noncurrentDays",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 70000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "0.0.0.0/0",
            "::/0",
            "10.1.0.0/16",
            "-1",
            "tcp",
            "443",
            "igw-1",
            "Enabled",
            "aws:kms",
            "alias/aws/s3",
            "LoadBalancer",
            "Deny",
            "s3:*",
            "*",
            "egress",
            "internal",
            "",
            UNKNOWN,
        ]
    ),
    st.text(max_size=4),
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=12,
)
PROPS = st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6)
RESOURCE_RULES = [rule for rule in dl.RULES if rule.kind == "resource"]
STACK_RULES = [rule for rule in dl.RULES if rule.kind == "stack"]
STACK_TYPES = sorted(
    {t for rule in STACK_RULES for t in rule.resource_types} | {ASSOCIATION, MAIN_ASSOCIATION, NAT, IGW}
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=st.sampled_from(RESOURCE_RULES), data=st.data(), props=PROPS)
def test_resource_rules_never_raise_on_any_shape(rule: Rule, data: st.DataObject, props: dict[str, Any]):
    type_ = data.draw(st.sampled_from(rule.resource_types))
    run_resource(rule, type_, props, tenant=data.draw(st.sampled_from([ACME, INITECH, None])))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule=st.sampled_from(STACK_RULES),
    members=st.lists(st.tuples(st.sampled_from(STACK_TYPES), PROPS), min_size=1, max_size=5),
    data=st.data(),
)
def test_stack_rules_never_raise_on_any_shape(
    rule: Rule, members: list[tuple[str, dict[str, Any]]], data: st.DataObject
):
    names = [f"r{i}" for i in range(len(members))]
    resources = []
    for name, (type_, props) in zip(names, members, strict=True):
        deps = data.draw(
            st.dictionaries(st.sampled_from(KEYS), st.lists(st.sampled_from(names), max_size=2), max_size=2)
        )
        resources.append(Res(type_, name, props, prop_deps=deps))
    run_stack(rule, resources, tenant=data.draw(st.sampled_from([ACME, INITECH])))


# ---------------------------------------------------------------- DATA-02: destinations are declared

INITECH_WITH_ALLOWLIST = {
    **INITECH,
    "network": {**INITECH["network"], "egress_allowlist": ["203.0.113.0/24", "pl-0a1b2c3d4e5f60718"]},
}
HTTPS_TO = {"protocol": "tcp", "fromPort": 443, "toPort": 443}


def test_pass_egress_inside_the_vpc_or_to_prefix_lists_needs_no_allowlist():
    assert run_resource(dl.egress_to_declared_allowlist, SG, COMPLIANT_SG).passed


def test_pass_https_egress_to_a_subnet_of_a_declared_allowlist_cidr():
    props = changed(COMPLIANT_SG, "egress", [{**HTTPS_TO, "cidrBlocks": ["203.0.113.128/25"]}])
    assert run_resource(dl.egress_to_declared_allowlist, SG, props, tenant=INITECH_WITH_ALLOWLIST).passed


def test_fail_https_egress_to_an_undeclared_cidr_names_the_rule_and_the_allowlist():
    props = changed(COMPLIANT_SG, "egress", [{**HTTPS_TO, "cidrBlocks": ["198.51.100.0/24"]}])
    outcome = run_resource(dl.egress_to_declared_allowlist, SG, props, tenant=INITECH_WITH_ALLOWLIST)
    assert outcome.violations == [
        "aws:ec2/securityGroup:SecurityGroup 'subject' has egress[0].cidrBlocks '198.51.100.0/24' (tcp 443) "
        "for egress outside the tenant VPC; required: destinations inside network.egress_allowlist "
        "['203.0.113.0/24']"
    ]


def test_fail_any_egress_outside_the_vpc_when_the_tenant_has_no_egress():
    rule = {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "203.0.113.0/24"}
    outcome = run_resource(dl.egress_to_declared_allowlist, EGRESS_RULE, rule)
    assert len(outcome.violations) == 1 and "network.egress_allowlist []" in outcome.violations[0]
