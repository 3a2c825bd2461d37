"""Cases for `data-01-private-default-route-via-nat`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_01._fixtures import nat_network, replaced
from mlops_policies.controls.data_01.private_default_route_via_nat import private_default_route_via_nat
from tests.policies.data_leakage_fixtures import INITECH, ROUTE
from tests.policies.harness import UNKNOWN, Res, run_stack


def test_fail_private_default_route_through_egress_only_gateway():
    route = Res(
        ROUTE,
        "private-default",
        {"routeTableId": UNKNOWN, "destinationIpv6CidrBlock": "::/0", "egressOnlyGatewayId": "eigw-1"},
        prop_deps={"routeTableId": ["rt-private"]},
    )
    outcome = run_stack(private_default_route_via_nat, replaced(nat_network(), route), tenant=INITECH)
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
    outcome = run_stack(private_default_route_via_nat, replaced(nat_network(), route), tenant=INITECH)
    assert len(outcome.violations) == 1
    assert "from a route table outside this stack" in outcome.violations[0]
    assert outcome.violations == [
        "aws:ec2/route:Route 'private-default' sends '0.0.0.0/0' via networkInterfaceId from a "
        "route table outside this stack, whose subnets cannot be shown to be egress subnets; "
        "required: default routes of non-egress subnets only via natGatewayId",
    ]


def test_pass_nat_allowlist_layout_decides_in_first_preview():
    assert run_stack(private_default_route_via_nat, nat_network(), tenant=INITECH).passed
