"""The rule `data-01-vpc-default-sg-managed`, one of the DATA-01 rules.

DATA-01: The tenant network has no open door to the internet.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "data-01-vpc-default-sg-managed",
    control="DATA-01",
    types=[*net.VPCS, net.DEFAULT_SECURITY_GROUP, *net.STANDALONE_SG_RULES],
    severity=Severity.LOW,
    description="Every VPC of the stack has an aws:ec2/defaultSecurityGroup:DefaultSecurityGroup managing "
    "its default security group, and no standalone rule resource (SecurityGroupRule, "
    "SecurityGroupIngressRule, SecurityGroupEgressRule) adds a rule to a default security group.",
    remediation="Add aws.ec2.DefaultSecurityGroup(vpc_id=vpc.id) with no ingress/egress for every "
    "aws.ec2.Vpc; AWS otherwise leaves the default group allowing all traffic between its members and all "
    "egress.",
)
def vpc_default_sg_managed(stack: StackCheck) -> None:
    for vpc in stack.of_type(*net.VPCS):
        with stack.deciding(vpc):
            if not net.referrers(stack, vpc, [net.DEFAULT_SECURITY_GROUP], "vpcId"):
                stack.fail(
                    vpc,
                    f"{label(vpc)} has no {net.DEFAULT_SECURITY_GROUP} with vpcId referring to it; "
                    "required: one managing the VPC's default security group with no rules",
                )
    for rule in stack.of_type(*net.STANDALONE_SG_RULES):
        with stack.deciding(rule):
            group = net.default_group_of(stack, rule)
            if group is not None:
                what = "" if group.resource_type == net.DEFAULT_SECURITY_GROUP else "the default group of "
                stack.fail(
                    rule,
                    f"{label(rule)} has securityGroupId referring to {what}{label(group)}; required: no "
                    "rules on a default security group (give workloads their own security groups)",
                )
