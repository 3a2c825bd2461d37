"""The rule `data-02-no-open-egress`, one of the DATA-02 rules.

DATA-02: Security groups deny by default.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.messages import as_shown
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-02-no-open-egress",
    control="DATA-02",
    types=[net.SECURITY_GROUP, net.SECURITY_GROUP_RULE, net.VPC_EGRESS_RULE],
    severity=Severity.HIGH,
    description="Egress never goes to 0.0.0.0/0 or ::/0, and egress beyond the tenant's CIDR (to CIDRs or "
    "prefix lists) is tcp 443 only; other ports and protocols go only to security groups or inside the "
    "tenant's CIDR.",
    # The spec's "egress to 0.0.0.0/0 only on 443 toward a declared allowlist" makes the allowlist the
    # destination: an egress rule to 0.0.0.0/0 or ::/0 is always a violation.
    remediation="Replace egress to 0.0.0.0/0 or ::/0 with rules that allow "
    "tcp 443 (from_port=to_port=443) toward prefix lists (prefix_list_ids), VPC endpoint security groups "
    "(security_groups / referenced_security_group_id) or specific CIDRs; keep protocol '-1' / all-port "
    "rules to security groups or the tenant's VPC CIDR.",
)
def no_open_egress(r: ResourceCheck) -> None:
    rules, pending = net.sg_rules(r.type, r.props, "egress")
    for rule in rules:
        opened = rule.open_cidrs()
        if opened:
            r.fail(
                f"{r.label} has {net.describe_values(opened)} ({rule.traffic()}) for egress; required: no "
                "egress to 0.0.0.0/0 or ::/0, only tcp 443 toward prefix lists, security groups or "
                "specific CIDRs"
            )
            continue
        outside = [(p, c) for p, c in rule.cidrs if not net.inside(c, r.tenant.cidr)] + list(
            rule.prefix_lists
        )
        # Beyond the tenant's VPC, egress is tcp 443 only (the spec's "only on port 443 toward a declared
        # allowlist"): "not all ports" alone would let tcp 2-65535 or 1024-65535 through.
        if outside and not rule.only_https:
            r.fail(
                f"{r.label} has {net.describe_values(outside)} ({rule.traffic()}) for egress; required: "
                "egress beyond the tenant CIDR "
                f"{as_shown(r.tenant.cidr)} only on tcp 443 (other ports and protocols only to security "
                "groups or inside the tenant CIDR)"
            )
    if pending:
        raise pending
