"""Cases for `data-02-no-open-egress`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.data_02._fixtures import COMPLIANT_SG, EGRESS_RULE, SG, SG_RULE
from mlops_policies.controls.data_02.no_open_egress import no_open_egress
from tests.policies.data_leakage_fixtures import INITECH
from tests.policies.harness import UNKNOWN, changed, run_resource


def test_fail_egress_to_anywhere_even_on_443():
    props = changed(
        COMPLIANT_SG,
        "egress.0",
        {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]},
    )
    message = (
        "aws:ec2/securityGroup:SecurityGroup 'subject' has egress[0].cidrBlocks '0.0.0.0/0' (tcp 443) for "
        "egress; required: no egress to 0.0.0.0/0 or ::/0, only tcp 443 toward prefix lists, security "
        "groups or specific CIDRs"
    )
    assert run_resource(no_open_egress, SG, props).violations == [message]
    assert message in run_resource(no_open_egress, SG, props, tenant=INITECH).violations


ONLY_HTTPS_BEYOND = (
    "egress beyond the tenant CIDR '10.1.0.0/16' only on tcp 443 (other ports and protocols only to "
    "security groups or inside the tenant CIDR)"
)


def test_fail_all_traffic_egress_outside_the_tenant_cidr():
    props = changed(COMPLIANT_SG, "egress.1.cidrBlocks", ["10.0.0.0/8"])
    assert run_resource(no_open_egress, SG, props).violations == [
        "aws:ec2/securityGroup:SecurityGroup 'subject' has egress[1].cidrBlocks '10.0.0.0/8' (all traffic) "
        f"for egress; required: {ONLY_HTTPS_BEYOND}"
    ]


def test_fail_all_ports_egress_to_a_prefix_list_or_external_cidr():
    prefix = {
        "securityGroupId": UNKNOWN,
        "ipProtocol": "tcp",
        "fromPort": 0,
        "toPort": 65535,
        "prefixListId": UNKNOWN,
    }
    outcome = run_resource(no_open_egress, EGRESS_RULE, prefix)
    assert outcome.violations[0].startswith(
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule 'subject' has prefixListId '(unknown "
        "until apply)' (all tcp ports) for egress"
    )
    external = {"type": "egress", "protocol": "all", "cidrBlocks": ["203.0.113.0/24"]}
    result = run_resource(no_open_egress, SG_RULE, external)
    assert len(result.violations) == 1
    assert result.violations == [
        "aws:ec2/securityGroupRule:SecurityGroupRule 'subject' has cidrBlocks '203.0.113.0/24' "
        f"(all traffic) for egress; required: {ONLY_HTTPS_BEYOND}",
    ]


def test_pass_https_egress_to_prefix_list_and_all_traffic_inside_the_vpc():
    https = {
        "securityGroupId": UNKNOWN,
        "ipProtocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
        "prefixListId": "pl-1",
    }
    assert run_resource(no_open_egress, EGRESS_RULE, https).passed
    internal = {"securityGroupId": UNKNOWN, "ipProtocol": "-1", "cidrIpv4": "10.1.2.0/24"}
    assert run_resource(no_open_egress, EGRESS_RULE, internal).passed


@pytest.mark.parametrize(
    ("low", "high", "shown"), [(2, 65535, "tcp 2-65535"), (1024, 65535, "tcp 1024-65535"), (22, 22, "tcp 22")]
)
def test_fail_egress_to_a_prefix_list_on_ports_other_than_443(low, high, shown):
    # One port short of "all ports" is still far more than the allowlist's https.
    rule = {
        "securityGroupId": UNKNOWN,
        "ipProtocol": "tcp",
        "fromPort": low,
        "toPort": high,
        "prefixListId": "pl-1",
    }
    assert run_resource(no_open_egress, EGRESS_RULE, rule).violations == [
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule 'subject' has prefixListId 'pl-1' "
        f"({shown}) for egress; required: {ONLY_HTTPS_BEYOND}"
    ]


def test_fail_egress_to_a_prefix_list_over_another_protocol():
    esp = {"securityGroupId": UNKNOWN, "ipProtocol": "50", "prefixListId": "pl-1"}
    assert run_resource(no_open_egress, EGRESS_RULE, esp).violations == [
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule 'subject' has prefixListId 'pl-1' (50) for "
        f"egress; required: {ONLY_HTTPS_BEYOND}"
    ]
