"""The rule `data-01-vpc-default-sg-managed`, one of the DATA-01 rules.

DATA-01: The tenant network has no open door to the internet.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.core import StackCheck, label, stack_rule


@stack_rule(
    "data-01-vpc-default-sg-managed",
    control="DATA-01",
    types=[net.VPC, net.DEFAULT_SECURITY_GROUP],
    severity=Severity.LOW,
    description="Every VPC of the stack has an aws:ec2/defaultSecurityGroup:DefaultSecurityGroup managing "
    "its default security group.",
    remediation="Add aws.ec2.DefaultSecurityGroup(vpc_id=vpc.id) with no ingress/egress for every "
    "aws.ec2.Vpc; AWS otherwise leaves the default group allowing all traffic between its members and all "
    "egress.",
)
def vpc_default_sg_managed(stack: StackCheck) -> None:
    for vpc in stack.of_type(net.VPC):
        with stack.deciding(vpc):
            if not net.referrers(stack, vpc, [net.DEFAULT_SECURITY_GROUP], "vpcId"):
                stack.fail(
                    vpc,
                    f"{label(vpc)} has no {net.DEFAULT_SECURITY_GROUP} with vpcId referring to it; "
                    "required: one managing the VPC's default security group with no rules",
                )
