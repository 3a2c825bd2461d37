"""Cases for `data-01-default-sg-no-rules`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_01._fixtures import DEFAULT_SG
from mlops_policies.controls.data_01.default_sg_no_rules import default_sg_no_rules
from tests.policies.harness import UNKNOWN, run_resource


def test_pass_default_security_group_without_rules():
    assert run_resource(default_sg_no_rules, DEFAULT_SG, {"vpcId": UNKNOWN}).passed
    assert run_resource(
        default_sg_no_rules, DEFAULT_SG, {"vpcId": UNKNOWN, "ingress": [], "egress": []}
    ).passed


def test_fail_default_security_group_with_rules():
    props = {"vpcId": UNKNOWN, "ingress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}]}
    assert run_resource(default_sg_no_rules, DEFAULT_SG, props).violations == [
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup 'subject' has 1 ingress rule(s); required: no "
        "ingress rules"
    ]
