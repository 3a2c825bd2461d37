"""The rule `data-02-egress-to-declared-allowlist`, one of the DATA-02 rules.

DATA-02: Security groups deny by default.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-02-egress-to-declared-allowlist",
    control="DATA-02",
    types=[net.SECURITY_GROUP, net.SECURITY_GROUP_RULE, net.VPC_EGRESS_RULE],
    severity=Severity.HIGH,
    description="Egress to addresses outside the tenant VPC goes only to CIDRs inside the tenant's declared "
    "network.egress_allowlist (none at all with egress 'none').",
    remediation="Add the destination to landingzone:tenant network.egress_allowlist (with egress "
    "'nat-allowlist') in the stack file, through a reviewed pull request, or remove the egress rule. Prefix "
    "lists and security groups are judged by their own rules.",
)
def egress_to_declared_allowlist(r: ResourceCheck) -> None:
    allowlist = [c for c in r.tenant.egress_allowlist if not c.startswith("pl-")]
    rules, pending = net.sg_rules(r.type, r.props, "egress")
    for rule in rules:
        undeclared = [
            (prop, cidr)
            for prop, cidr in rule.cidrs
            if not net.inside(cidr, r.tenant.cidr) and not any(net.inside(cidr, a) for a in allowlist)
        ]
        if undeclared:
            r.fail(
                f"{r.label} has {net.describe_values(undeclared)} ({rule.traffic()}) for egress outside the "
                f"tenant VPC; required: destinations inside network.egress_allowlist {sorted(allowlist)}"
            )
    if pending:
        raise pending
