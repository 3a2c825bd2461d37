"""The rule `data-10-no-cross-vpc-routes`, one of the DATA-10 rules.

DATA-10: No network path to another tenant.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.messages import as_shown, located
from mlops_policies.rule import ResourceCheck, resource_rule

CROSS_VPC_TARGETS = ("vpcPeeringConnectionId", "transitGatewayId", "coreNetworkArn")


@resource_rule(
    "data-10-no-cross-vpc-routes",
    control="DATA-10",
    types=[net.ROUTE, net.ROUTE_TABLE, net.DEFAULT_ROUTE_TABLE],
    severity=Severity.CRITICAL,
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
            f"{located(r.label, route.where)} sends {route.destination_text} via {route.target}; required: "
            f"cross-VPC routes only to destinations inside the tenant CIDR {as_shown(r.tenant.cidr)}"
        )
    if pending:
        raise pending
