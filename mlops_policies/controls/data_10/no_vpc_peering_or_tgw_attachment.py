"""The rule `data-10-no-vpc-peering-or-tgw-attachment`, one of the DATA-10 rules.

DATA-10: No network path to another tenant.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.messages import as_shown
from mlops_policies.props import known
from mlops_policies.rule import ResourceCheck, resource_rule

TGW_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"


@resource_rule(
    "data-10-no-vpc-peering-or-tgw-attachment",
    control="DATA-10",
    types=[*net.PEERINGS, *net.PEERING_ACCEPTERS, TGW_ATTACHMENT],
    severity=Severity.CRITICAL,
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
            f"{r.label} accepts the peering connection vpcPeeringConnectionId {as_shown(connection)}; "
            "required: no VPC peering connection"
        )
    elif r.type in net.PEERINGS:
        peer = known(r.props, "peerVpcId")
        r.fail(
            f"{r.label} peers the tenant VPC with peerVpcId {as_shown(peer)}; required: no VPC peering "
            "connection"
        )
    else:
        gateway = known(r.props, "transitGatewayId")
        r.fail(
            f"{r.label} attaches the tenant VPC to transitGatewayId {as_shown(gateway)}; "
            "required: no transit "
            "gateway attachment"
        )
