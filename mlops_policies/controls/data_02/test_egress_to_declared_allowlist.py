"""Cases for `data-02-egress-to-declared-allowlist`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_02._fixtures import COMPLIANT_SG, EGRESS_RULE, SG
from mlops_policies.controls.data_02.egress_to_declared_allowlist import egress_to_declared_allowlist
from tests.policies.data_leakage_fixtures import INITECH
from tests.policies.harness import changed, run_resource

INITECH_WITH_ALLOWLIST = {
    **INITECH,
    "network": {**INITECH["network"], "egress_allowlist": ["203.0.113.0/24", "pl-0a1b2c3d4e5f60718"]},
}


HTTPS_TO = {"protocol": "tcp", "fromPort": 443, "toPort": 443}


def test_pass_egress_inside_the_vpc_or_to_prefix_lists_needs_no_allowlist():
    assert run_resource(egress_to_declared_allowlist, SG, COMPLIANT_SG).passed


def test_pass_https_egress_to_a_subnet_of_a_declared_allowlist_cidr():
    props = changed(COMPLIANT_SG, "egress", [{**HTTPS_TO, "cidrBlocks": ["203.0.113.128/25"]}])
    assert run_resource(egress_to_declared_allowlist, SG, props, tenant=INITECH_WITH_ALLOWLIST).passed


def test_fail_https_egress_to_an_undeclared_cidr_names_the_rule_and_the_allowlist():
    props = changed(COMPLIANT_SG, "egress", [{**HTTPS_TO, "cidrBlocks": ["198.51.100.0/24"]}])
    outcome = run_resource(egress_to_declared_allowlist, SG, props, tenant=INITECH_WITH_ALLOWLIST)
    assert outcome.violations == [
        "aws:ec2/securityGroup:SecurityGroup 'subject' has egress[0].cidrBlocks '198.51.100.0/24' (tcp 443) "
        "for egress outside the tenant VPC; required: destinations inside network.egress_allowlist "
        "['203.0.113.0/24']"
    ]


def test_fail_any_egress_outside_the_vpc_when_the_tenant_has_no_egress():
    rule = {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "203.0.113.0/24"}
    outcome = run_resource(egress_to_declared_allowlist, EGRESS_RULE, rule)
    assert len(outcome.violations) == 1 and "network.egress_allowlist []" in outcome.violations[0]
    assert outcome.violations == [
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule 'subject' has cidrIpv4 "
        "'203.0.113.0/24' (tcp 443) for egress outside the tenant VPC; required: destinations "
        "inside network.egress_allowlist []",
    ]
