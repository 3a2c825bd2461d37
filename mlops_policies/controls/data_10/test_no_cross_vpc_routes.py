"""Cases for `data-10-no-cross-vpc-routes`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.data_10.no_cross_vpc_routes import no_cross_vpc_routes
from tests.policies.data_leakage_fixtures import ROUTE, ROUTE_TABLE
from tests.policies.harness import UNKNOWN, run_resource


def test_fail_route_through_peering_outside_the_tenant_cidr():
    route = {
        "routeTableId": UNKNOWN,
        "destinationCidrBlock": "10.2.0.0/16",
        "vpcPeeringConnectionId": "pcx-1",
    }
    assert run_resource(no_cross_vpc_routes, ROUTE, route).violations == [
        "aws:ec2/route:Route 'subject' sends '10.2.0.0/16' via vpcPeeringConnectionId; required: cross-VPC "
        "routes only to destinations inside the tenant CIDR '10.1.0.0/16'"
    ]


def test_pass_routes_inside_the_tenant_cidr_or_via_nat():
    inside = {
        "routeTableId": UNKNOWN,
        "destinationCidrBlock": "10.1.4.0/24",
        "vpcPeeringConnectionId": "pcx-1",
    }
    assert run_resource(no_cross_vpc_routes, ROUTE, inside).passed
    nat = {"routeTableId": UNKNOWN, "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": UNKNOWN}
    assert run_resource(no_cross_vpc_routes, ROUTE, nat).passed


def test_fail_inline_transit_gateway_default_route():
    table = {
        "vpcId": UNKNOWN,
        "routes": [
            {"cidrBlock": "10.1.0.0/16", "transitGatewayId": "tgw-1"},
            {"cidrBlock": "0.0.0.0/0", "transitGatewayId": UNKNOWN},
        ],
    }
    assert run_resource(no_cross_vpc_routes, ROUTE_TABLE, table).violations == [
        "aws:ec2/routeTable:RouteTable 'subject' routes[1] sends '0.0.0.0/0' via transitGatewayId; "
        "required: cross-VPC routes only to destinations inside the tenant CIDR '10.1.0.0/16'"
    ]


@pytest.mark.parametrize(
    ("target", "value"),
    [("gatewayId", "vgw-0123"), ("vpcEndpointId", "vpce-0123"), ("networkInterfaceId", "eni-0123"),
     ("instanceId", "i-0123"), ("localGatewayId", "lgw-0123")],
)  # fmt: skip
def test_fail_route_to_another_tenants_network_through_a_forwarding_target(target, value):
    # 10.2.0.0/16 is globex's VPC: a VPN gateway, an inspection endpoint or an appliance forwards to it.
    route = {"routeTableId": UNKNOWN, "destinationCidrBlock": "10.2.0.0/16", target: value}
    assert run_resource(no_cross_vpc_routes, ROUTE, route).violations == [
        f"aws:ec2/route:Route 'subject' sends '10.2.0.0/16' via {target}; required: cross-VPC routes only to "
        "destinations inside the tenant CIDR '10.1.0.0/16'"
    ]


@pytest.mark.parametrize("target", ["gatewayId", "vpcEndpointId", "networkInterfaceId"])
def test_pass_default_route_through_an_internet_gateway_or_an_inspection_appliance(target):
    route = {"routeTableId": UNKNOWN, "destinationCidrBlock": "0.0.0.0/0", target: UNKNOWN}
    assert run_resource(no_cross_vpc_routes, ROUTE, route).passed
