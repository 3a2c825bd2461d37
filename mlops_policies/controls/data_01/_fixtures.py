"""Fixtures shared by the tests of several DATA-01 rules."""

from __future__ import annotations

from tests.policies.data_leakage_fixtures import ASSOCIATION, IGW, NAT, ROUTE, ROUTE_TABLE, TAGS, VPC
from tests.policies.harness import UNKNOWN, Res

SUBNET = "aws:ec2/subnet:Subnet"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"


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
