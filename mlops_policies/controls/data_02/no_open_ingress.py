"""The rule `data-02-no-open-ingress`, one of the DATA-02 rules.

DATA-02: Security groups deny by default.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-02-no-open-ingress",
    control="DATA-02",
    types=[net.SECURITY_GROUP, net.SECURITY_GROUP_RULE, net.VPC_INGRESS_RULE],
    severity=Severity.HIGH,
    description="No security group or ingress rule admits traffic from 0.0.0.0/0 or ::/0 (alone or added "
    "up).",
    remediation="Replace the open CIDR in ingress cidr_blocks / ipv6_cidr_blocks "
    "(aws.vpc.SecurityGroupIngressRule cidr_ipv4 / cidr_ipv6) with the source security group "
    "(security_groups / referenced_security_group_id), a prefix list, or the tenant's CIDR. Public entry "
    "points belong to the platform's ingress, not tenant stacks.",
)
def no_open_ingress(r: ResourceCheck) -> None:
    rules, pending = net.sg_rules(r.type, r.props, "ingress")
    for rule in rules:
        opened = rule.open_cidrs()
        if opened:
            r.fail(
                f"{r.label} has {net.describe_values(opened)} ({rule.traffic()}) for ingress; required: no "
                "ingress from 0.0.0.0/0 or ::/0"
            )
    if pending:
        raise pending
