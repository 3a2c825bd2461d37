"""Cases for `data-01-internet-routes-from-egress-subnets`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_01._fixtures import SUBNET, nat_network, replaced
from mlops_policies.controls.data_01.internet_routes_from_egress_subnets import (
    internet_routes_from_egress_subnets,
)
from mlops_policies.controls.data_01.nat_gateway_in_egress_subnet import nat_gateway_in_egress_subnet
from mlops_policies.controls.data_01.private_default_route_via_nat import private_default_route_via_nat
from tests.policies.data_leakage_fixtures import INITECH, MAIN_ASSOCIATION, ROUTE, ROUTE_TABLE, TAGS
from tests.policies.harness import ACME, UNKNOWN, Res, run_stack


def test_pass_nat_allowlist_layout_decides_in_first_preview():
    for rule in (
        internet_routes_from_egress_subnets,
        private_default_route_via_nat,
        nat_gateway_in_egress_subnet,
    ):
        assert run_stack(rule, nat_network(), tenant=INITECH).passed, rule.name


def test_fail_internet_route_without_nat_allowlist():
    outcome = run_stack(internet_routes_from_egress_subnets, nat_network(), tenant=ACME)
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
    outcome = run_stack(internet_routes_from_egress_subnets, replaced(nat_network(), route), tenant=INITECH)
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
    outcome = run_stack(internet_routes_from_egress_subnets, replaced(stack, table), tenant=INITECH)
    assert outcome.violations[0].startswith(
        "aws:ec2/routeTable:RouteTable 'rt-egress' routes[0] sends '0.0.0.0/0' to an internet gateway from "
        "aws:ec2/routeTable:RouteTable 'rt-egress', associated with aws:ec2/subnet:Subnet 'egress-a' "
        "(tags.tier missing)"
    )
    assert outcome.violations == [
        "aws:ec2/routeTable:RouteTable 'rt-egress' routes[0] sends '0.0.0.0/0' to an internet "
        "gateway from aws:ec2/routeTable:RouteTable 'rt-egress', associated with "
        "aws:ec2/subnet:Subnet 'egress-a' (tags.tier missing); required: internet-gateway routes "
        "only in route tables associated solely with subnets tagged tier=egress",
        "aws:ec2/route:Route 'internet' sends '0.0.0.0/0' to an internet gateway from "
        "aws:ec2/routeTable:RouteTable 'rt-egress', associated with aws:ec2/subnet:Subnet "
        "'egress-a' (tags.tier missing); required: internet-gateway routes only in route tables "
        "associated solely with subnets tagged tier=egress",
    ]


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
    outcome = run_stack(internet_routes_from_egress_subnets, stack, tenant=INITECH)
    assert len(outcome.violations) == 1
    assert "the VPC's main route table" in outcome.violations[0]
    assert outcome.violations == [
        "aws:ec2/route:Route 'internet' sends '0.0.0.0/0' to an internet gateway from "
        "aws:ec2/routeTable:RouteTable 'rt-egress', the VPC's main route table (used by every "
        "subnet without its own); required: internet-gateway routes only in route tables "
        "associated solely with subnets tagged tier=egress",
    ]


def test_undecided_route_with_unknown_gateway_and_no_dependency():
    route = Res(
        ROUTE,
        "internet",
        {"routeTableId": UNKNOWN, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": UNKNOWN},
        prop_deps={"routeTableId": ["rt-egress"]},
    )
    outcome = run_stack(internet_routes_from_egress_subnets, replaced(nat_network(), route), tenant=INITECH)
    assert outcome.undecided is not None and outcome.violations == []
