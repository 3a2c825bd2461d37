"""The rule `data-01-default-sg-no-rules`, one of the DATA-01 rules.

DATA-01: The tenant network has no open door to the internet.
"""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.props import get
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-01-default-sg-no-rules",
    control="DATA-01",
    types=[net.DEFAULT_SECURITY_GROUP],
    severity=Severity.MEDIUM,
    description="Managed default security groups have no ingress and no egress rules.",
    remediation="Declare aws.ec2.DefaultSecurityGroup(vpc_id=vpc.id) without ingress/egress arguments (or "
    "with empty lists); give workloads their own security groups.",
)
def default_sg_no_rules(r: ResourceCheck) -> None:
    for direction in ("ingress", "egress"):
        rules = get(r.props, direction)
        count = (
            len(rules)
            if isinstance(rules, Sequence) and not isinstance(rules, str)
            else int(rules is not None)
        )
        if count:
            r.fail(f"{r.label} has {count} {direction} rule(s); required: no {direction} rules")
