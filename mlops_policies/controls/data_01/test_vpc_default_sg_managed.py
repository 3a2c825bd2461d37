"""Cases for `data-01-vpc-default-sg-managed`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_01._fixtures import DEFAULT_SG
from mlops_policies.controls.data_01.vpc_default_sg_managed import vpc_default_sg_managed
from tests.policies.data_leakage_fixtures import TAGS, VPC
from tests.policies.harness import UNKNOWN, Res, run_stack


def vpc_with_default_sg() -> list[Res]:
    return [
        Res(VPC, "main", {"cidrBlock": "10.1.0.0/16", "tags": TAGS}),
        Res(DEFAULT_SG, "default-sg", {"vpcId": UNKNOWN}, prop_deps={"vpcId": ["main"]}),
    ]


def test_pass_vpc_with_managed_default_security_group_in_first_preview():
    assert run_stack(vpc_default_sg_managed, vpc_with_default_sg()).passed


def test_fail_vpc_without_managed_default_security_group():
    outcome = run_stack(vpc_default_sg_managed, vpc_with_default_sg()[:1])
    assert outcome.violations == [
        "aws:ec2/vpc:Vpc 'main' has no aws:ec2/defaultSecurityGroup:DefaultSecurityGroup with vpcId "
        "referring to it; required: one managing the VPC's default security group with no rules"
    ]


def test_undecided_default_security_group_with_unknown_vpc_and_no_dependency():
    stack = vpc_with_default_sg()
    stack[1] = Res(DEFAULT_SG, "default-sg", {"vpcId": UNKNOWN})
    outcome = run_stack(vpc_default_sg_managed, stack)
    assert outcome.undecided is not None and outcome.violations == []
