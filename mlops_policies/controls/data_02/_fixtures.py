"""Fixtures shared by the tests of several DATA-02 rules."""

from __future__ import annotations

from tests.policies.data_leakage_fixtures import TAGS
from tests.policies.harness import UNKNOWN

SG = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


COMPLIANT_SG = {
    "vpcId": UNKNOWN,
    "ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "securityGroups": [UNKNOWN]}],
    "egress": [
        {"protocol": "tcp", "fromPort": 443, "toPort": 443, "prefixListIds": ["pl-0a1b2c3d"]},
        {"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["10.1.0.0/16"]},
        {"protocol": "-1", "fromPort": 0, "toPort": 0, "securityGroups": [UNKNOWN]},
        {"protocol": "udp", "fromPort": 53, "toPort": 53, "cidrBlocks": ["10.1.0.2/32"]},
    ],
    "tags": TAGS,
}
