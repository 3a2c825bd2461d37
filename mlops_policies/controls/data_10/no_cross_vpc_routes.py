"""The rule `data-10-no-cross-vpc-routes`, one of the DATA-10 rules.

DATA-10: No network path to another tenant.
"""

from __future__ import annotations

import ipaddress

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.messages import as_shown, located
from mlops_policies.rule import ResourceCheck, resource_rule

CROSS_VPC_TARGETS = ("vpcPeeringConnectionId", "transitGatewayId", "coreNetworkArn")
# Targets that forward private traffic on to another network: a virtual private gateway (gatewayId vgw-),
# a Gateway Load Balancer endpoint, an appliance's network interface or instance, an Outposts local
# gateway. A route through one of them to private addresses outside the tenant's CIDR is a path to
# whatever VPC holds those addresses. (Internet, NAT and egress-only gateways cannot reach a VPC's
# private addresses: not listed.)
FORWARDING_TARGETS = ("gatewayId", "vpcEndpointId", "networkInterfaceId", "instanceId", "localGatewayId")
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


def _private_destination(destination: str | None) -> bool:
    """Whether the destination lies inside a private network: where other VPCs live. A default route
    (0.0.0.0/0 to an internet gateway or an inspection appliance) is the egress rules' business."""
    network = net.parse_cidr(destination)
    return network is not None and any(
        network.version == private.version and network.subnet_of(private)  # type: ignore[arg-type]
        for private in PRIVATE_NETWORKS
    )


@resource_rule(
    "data-10-no-cross-vpc-routes",
    control="DATA-10",
    types=[net.ROUTE, net.ROUTE_TABLE, net.DEFAULT_ROUTE_TABLE],
    severity=Severity.CRITICAL,
    description="No route sends traffic through a peering connection, transit gateway or core network to a "
    "destination outside the tenant's CIDR, nor a private destination (inside 10/8, 172.16/12, "
    "192.168/16, 100.64/10 or fc00::/7) outside it through a virtual private gateway, a Gateway Load "
    "Balancer endpoint, a network interface, an instance or a local gateway.",
    remediation="Remove routes with vpc_peering_connection_id, transit_gateway_id or core_network_arn (on "
    "aws.ec2.Route or in route table routes) whose destination is not inside the tenant's network.cidr, and "
    "routes to other private networks through gateway_id (a VPN gateway), vpc_endpoint_id, "
    "network_interface_id, instance_id or local_gateway_id.",
)
def no_cross_vpc_routes(r: ResourceCheck) -> None:
    found, pending = net.routes_of(r.type, r.props)
    for route in found:
        if net.inside(route.destination, r.tenant.cidr):
            continue
        forwards = route.target in FORWARDING_TARGETS and _private_destination(route.destination)
        if route.target not in CROSS_VPC_TARGETS and not forwards:
            continue
        r.fail(
            f"{located(r.label, route.where)} sends {route.destination_text} via {route.target}; required: "
            f"cross-VPC routes only to destinations inside the tenant CIDR {as_shown(r.tenant.cidr)}"
        )
    if pending:
        raise pending
