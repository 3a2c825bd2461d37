"""Cases for `data-02-no-internet-across-rules`.

One compliant baseline (a security group with its own standalone rules, a prefix list with its own
entries), one change per failing case. The generated splits live in tests/policies/test_sidestep_network.py.
"""

from __future__ import annotations

import ipaddress

from mlops_policies.controls.data_02._fixtures import COMPLIANT_SG, SG
from mlops_policies.controls.data_02.no_internet_across_rules import no_internet_across_rules
from tests.policies.harness import UNKNOWN, Res, changed, run_stack

INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList"
PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"
# Sixteen /4s: together the whole IPv4 space, while none of them is wide enough to count as open alone.
SIXTEENTHS = [str(n) for n in ipaddress.ip_network("0.0.0.0/0").subnets(new_prefix=4)]


def ssh_rules(cidrs: list[str]) -> list[Res]:
    return [
        Res(
            INGRESS_RULE,
            f"ssh-{i}",
            {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": cidr, "securityGroupId": UNKNOWN},
            prop_deps={"securityGroupId": ["workload"]},
        )
        for i, cidr in enumerate(cidrs)
    ]


def entries(cidrs: list[str]) -> list[Res]:
    return [
        Res(
            PREFIX_LIST_ENTRY,
            f"entry-{i}",
            {"cidr": c, "prefixListId": UNKNOWN},
            prop_deps={"prefixListId": ["pl"]},
        )
        for i, c in enumerate(cidrs)
    ]


def stack(rule_cidrs: list[str], entry_cidrs: list[str]) -> list[Res]:
    return [
        Res(SG, "workload", COMPLIANT_SG),
        *ssh_rules(rule_cidrs),
        Res(PREFIX_LIST, "pl", {"addressFamily": "IPv4", "maxEntries": 20}),
        *entries(entry_cidrs),
    ]


def test_pass_standalone_rules_and_prefix_list_entries_with_specific_cidrs():
    assert run_stack(
        no_internet_across_rules, stack(["10.1.0.0/16", "52.94.0.0/16"], ["203.0.113.0/24"])
    ).passed


def test_fail_two_standalone_rules_whose_cidrs_halve_the_internet():
    outcome = run_stack(no_internet_across_rules, stack(SIXTEENTHS, ["203.0.113.0/24"]))
    owners = ", ".join(sorted(f"{INGRESS_RULE} 'ssh-{i}'" for i in range(16)))
    assert outcome.violations == [
        f"{SG} 'workload' admits tcp 22 for ingress from 16 CIDRs that together reach the internet (in "
        f"{owners}); required: no ingress from 0.0.0.0/0 or ::/0, "
        "whole or split"
    ]


def test_fail_inline_rules_of_one_group_whose_cidrs_halve_the_internet():
    inline = [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": [c]} for c in SIXTEENTHS]
    outcome = run_stack(
        no_internet_across_rules, [Res(SG, "workload", changed(COMPLIANT_SG, "ingress", inline))]
    )
    assert outcome.violations == [
        f"{SG} 'workload' admits tcp 443 for ingress from 16 CIDRs that together reach the internet (in "
        f"{SG} 'workload'); required: no ingress from 0.0.0.0/0 or ::/0, whole or split"
    ]


def test_fail_prefix_list_entries_that_halve_the_internet():
    outcome = run_stack(no_internet_across_rules, stack(["10.1.0.0/16"], SIXTEENTHS))
    assert outcome.violations == [
        f"{PREFIX_LIST} 'pl' holds 16 CIDRs (with 16 {PREFIX_LIST_ENTRY} resources) that together reach the "
        "internet; required: no entries adding up to 0.0.0.0/0 or ::/0"
    ]
