"""The rule `data-01-private-default-route-via-nat`, one of the DATA-01 rules.

DATA-01: The tenant network has no open door to the internet.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies import network as net
from mlops_policies.controls.data_01._routes import each_route, through_internet_gateway
from mlops_policies.messages import located
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "data-01-private-default-route-via-nat",
    control="DATA-01",
    types=[net.ROUTE, net.ROUTE_TABLE, net.DEFAULT_ROUTE_TABLE, net.ROUTE_TABLE_ASSOCIATION, net.SUBNET],
    severity=Severity.HIGH,
    description="Route tables of subnets that are not egress subnets send 0.0.0.0/0 and ::/0 only to a NAT "
    "gateway.",
    remediation="Point the default route of private route tables at the NAT gateway (aws.ec2.Route "
    "nat_gateway_id=nat.id); remove default routes via egress-only gateways, VPN gateways, network "
    "interfaces, transit gateways or peering connections.",
)
def private_default_route_via_nat(stack: StackCheck) -> None:
    def judge(owner: PolicyResource, route: net.Route) -> None:
        # Internet-gateway routes are judged by data-01-internet-routes-from-egress-subnets.
        if not route.to_internet or route.target == "natGatewayId" or through_internet_gateway(owner, route):
            return
        problem = net.egress_table_problem(stack, net.route_table_of(stack, owner))
        if problem:
            stack.fail(
                owner,
                f"{located(label(owner), route.where)} sends {route.destination_text} via "
                f"{route.target or 'no target'} from {problem}; required: default routes of non-egress "
                "subnets only via natGatewayId",
            )

    each_route(stack, judge)
