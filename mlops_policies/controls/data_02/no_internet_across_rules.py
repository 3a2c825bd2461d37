"""The rule `data-02-no-internet-across-rules`, one of the DATA-02 rules.

DATA-02: Security groups deny by default.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.controls.data_02.prefix_list_no_open_entries import (
    MANAGED_PREFIX_LIST,
    MANAGED_PREFIX_LIST_ENTRY,
)
from mlops_policies.props import as_list, get
from mlops_policies.rule import StackCheck, label, stack_rule


def _overlaps(a: net.SgRule, b: net.SgRule) -> bool:
    """Whether two permissions admit some common traffic (same protocol or all, overlapping ports)."""
    if "all" not in {a.protocol, b.protocol} and a.protocol != b.protocol:
        return False
    if a.all_traffic or b.all_traffic or a.protocol not in {"tcp", "udp"}:
        return True
    low_a, high_a, low_b, high_b = a.from_port or 0, a.to_port or 0, b.from_port or 0, b.to_port or 0
    return low_a <= high_b and low_b <= high_a


@stack_rule(
    "data-02-no-internet-across-rules",
    control="DATA-02",
    types=[net.SECURITY_GROUP, *net.STANDALONE_SG_RULES, MANAGED_PREFIX_LIST, MANAGED_PREFIX_LIST_ENTRY],
    severity=Severity.HIGH,
    description="The CIDRs that several permissions of one security group admit for the same traffic (inline "
    "rules and standalone rule resources together), or that the entries of one prefix list hold (inline and "
    "ManagedPrefixListEntry resources together), do not add up to the internet (0.0.0.0/1 + 128.0.0.0/1, "
    "/4 splits, 0.0.0.0/0 minus private space: mlops_policies.network.open_together).",
    remediation="Replace the CIDR splits with the specific sources or destinations the workload needs "
    "(security groups, prefix lists of named services, the tenant CIDR); splitting 0.0.0.0/0 across rules "
    "or entries is still 0.0.0.0/0.",
)
def no_internet_across_rules(stack: StackCheck) -> None:
    for group in stack.of_type(net.SECURITY_GROUP):
        for direction in ("ingress", "egress"):
            with stack.deciding(group):
                permissions = [
                    (label(group), rule)
                    for rule in net.sg_rules(group.resource_type, group.props, direction)[0]
                ]
                for standalone in stack.of_type(*net.STANDALONE_SG_RULES):
                    if net.refers_to(standalone, "securityGroupId", group):
                        found = net.sg_rules(standalone.resource_type, standalone.props, direction)[0]
                        permissions.extend((label(standalone), rule) for rule in found)
                for _, probe in permissions:
                    together = [(owner, rule) for owner, rule in permissions if _overlaps(probe, rule)]
                    cidrs = [cidr for _, rule in together for _, cidr in rule.cidrs]
                    if (
                        len(together) > 1
                        and net.open_together(cidrs)
                        and not any(rule.open_cidrs() for _, rule in together)
                    ):
                        owners = sorted({owner for owner, _ in together})
                        stack.fail(
                            group,
                            f"{label(group)} admits {probe.traffic()} for {direction} from {len(cidrs)} "
                            f"CIDRs that together reach the internet (in {', '.join(owners)}); required: no "
                            f"{direction} from 0.0.0.0/0 or ::/0, whole or split",
                        )
                        break
    for prefix_list in stack.of_type(MANAGED_PREFIX_LIST):
        with stack.deciding(prefix_list):
            cidrs = [get(entry, "cidr") for entry in as_list(get(prefix_list.props, "entries"))]
            entries = [
                e
                for e in stack.of_type(MANAGED_PREFIX_LIST_ENTRY)
                if net.refers_to(e, "prefixListId", prefix_list)
            ]
            cidrs += [get(entry.props, "cidr") for entry in entries]
            if (
                entries
                and net.open_together(cidrs)
                and not net.open_together(cidrs[: len(cidrs) - len(entries)])
            ):
                stack.fail(
                    prefix_list,
                    f"{label(prefix_list)} holds {len(cidrs)} CIDRs (with {len(entries)} "
                    f"{MANAGED_PREFIX_LIST_ENTRY} resources) that together reach the internet; required: "
                    "no entries adding up to 0.0.0.0/0 or ::/0",
                )
