"""Cases for `data-02-prefix-list-no-open-entries`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_02.prefix_list_no_open_entries import prefix_list_no_open_entries
from tests.policies.harness import run_resource

PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList"
PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"


def test_pass_prefix_list_with_specific_entries():
    props = {"entries": [{"cidr": "203.0.113.0/24"}, {"cidr": "198.51.100.7/32"}]}
    assert run_resource(prefix_list_no_open_entries, PREFIX_LIST, props).passed


def test_fail_prefix_list_with_an_open_entry():
    outcome = run_resource(prefix_list_no_open_entries, PREFIX_LIST, {"entries": [{"cidr": "0.0.0.0/0"}]})
    assert outcome.violations == [
        "aws:ec2/managedPrefixList:ManagedPrefixList 'subject' has entries[0].cidr '0.0.0.0/0'; required: "
        "no entry covering 0.0.0.0/0 or ::/0"
    ]
    entry = run_resource(prefix_list_no_open_entries, PREFIX_LIST_ENTRY, {"cidr": "::/0"})
    assert len(entry.violations) == 1
