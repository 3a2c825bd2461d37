"""The rule `data-01-internet-routes-from-egress-subnets`, one of the DATA-01 rules.

DATA-01: The tenant network has no open door to the internet.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies import network as net
from mlops_policies.controls.data_01._routes import NAT_ALLOWLIST, each_route, through_internet_gateway
from mlops_policies.messages import as_shown, located
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "data-01-internet-routes-from-egress-subnets",
    control="DATA-01",
    types=[net.ROUTE, net.ROUTE_TABLE, net.DEFAULT_ROUTE_TABLE, net.ROUTE_TABLE_ASSOCIATION, net.SUBNET],
    severity=Severity.HIGH,
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
        if not through_internet_gateway(owner, route):
            return
        where = f"{located(label(owner), route.where)} sends {route.destination_text} to an internet gateway"
        if stack.tenant.egress != NAT_ALLOWLIST:
            stack.fail(
                owner,
                f"{where} while the tenant's network.egress is {as_shown(stack.tenant.egress)}; required: no "
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

    each_route(stack, judge)
