"""The rule `data-02-prefix-list-no-open-entries`, one of the DATA-02 rules.

DATA-02: Security groups deny by default.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.props import as_list, get
from mlops_policies.rule import ResourceCheck, resource_rule

MANAGED_PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList"
MANAGED_PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"


@resource_rule(
    "data-02-prefix-list-no-open-entries",
    control="DATA-02",
    types=[MANAGED_PREFIX_LIST, MANAGED_PREFIX_LIST_ENTRY],
    severity=Severity.HIGH,
    description="Prefix lists, the declared egress allowlists, contain no 0.0.0.0/0 or ::/0 entry.",
    remediation="Remove the open entry from aws.ec2.ManagedPrefixList entries (or the "
    "aws.ec2.ManagedPrefixListEntry cidr); list the specific destinations the tenant may reach.",
)
def prefix_list_no_open_entries(r: ResourceCheck) -> None:
    if r.type == MANAGED_PREFIX_LIST_ENTRY:
        cidrs = [("cidr", get(r.props, "cidr"))]
    else:
        cidrs = [
            (f"entries[{i}].cidr", get(e, "cidr")) for i, e in enumerate(as_list(get(r.props, "entries")))
        ]
    entries = [(prop, cidr) for prop, cidr in cidrs if isinstance(cidr, str)]
    opened = [(p, c) for p, c in entries if net.is_open(c)] or (
        entries if net.open_together(c for _, c in entries) else []
    )
    if opened:
        r.fail(f"{r.label} has {net.describe_values(opened)}; required: no entry covering 0.0.0.0/0 or ::/0")
