"""Cases for `data-02-no-open-egress`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

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


def test_fail_all_traffic_egress_outside_the_tenant_cidr():
    props = changed(COMPLIANT_SG, "egress.1.cidrBlocks", ["10.0.0.0/8"])
    assert run_resource(no_open_egress, SG, props).violations == [
        "aws:ec2/securityGroup:SecurityGroup 'subject' has egress[1].cidrBlocks '10.0.0.0/8' (all traffic) "
        "for egress; required: egress on all ports or protocols only to security groups or inside the "
        "tenant CIDR '10.1.0.0/16'"
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
        "(all traffic) for egress; required: egress on all ports or protocols only to security "
        "groups or inside the tenant CIDR '10.1.0.0/16'",
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
