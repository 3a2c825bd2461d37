"""Cases for `data-10-no-vpc-peering-or-tgw-attachment`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_10.no_vpc_peering_or_tgw_attachment import no_vpc_peering_or_tgw_attachment
from tests.policies.data_leakage_fixtures import VPC
from tests.policies.harness import UNKNOWN, run_resource

PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"
TGW_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"


def test_fail_any_vpc_peering_or_transit_gateway_attachment():
    peering = {"vpcId": UNKNOWN, "peerVpcId": "vpc-0globex", "autoAccept": True}
    assert run_resource(no_vpc_peering_or_tgw_attachment, PEERING, peering).violations == [
        "aws:ec2/vpcPeeringConnection:VpcPeeringConnection 'subject' peers the tenant VPC with peerVpcId "
        "'vpc-0globex'; required: no VPC peering connection"
    ]
    attachment = {"vpcId": UNKNOWN, "subnetIds": [UNKNOWN], "transitGatewayId": UNKNOWN}
    assert run_resource(no_vpc_peering_or_tgw_attachment, TGW_ATTACHMENT, attachment).violations == [
        "aws:ec2transitgateway/vpcAttachment:VpcAttachment 'subject' attaches the tenant VPC to "
        "transitGatewayId (unknown until apply); required: no transit gateway attachment"
    ]


def test_pass_other_resource_types_are_not_judged_as_peering():
    outcome = run_resource(no_vpc_peering_or_tgw_attachment, VPC, {"cidrBlock": "10.1.0.0/16"})
    assert outcome.not_applicable is not None and outcome.violations == []
