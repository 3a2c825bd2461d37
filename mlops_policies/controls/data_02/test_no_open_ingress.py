"""Cases for `data-02-no-open-ingress`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_02._fixtures import COMPLIANT_SG, SG, SG_RULE
from mlops_policies.controls.data_02.no_open_egress import no_open_egress
from mlops_policies.controls.data_02.no_open_ingress import no_open_ingress
from tests.policies.data_leakage_fixtures import BUCKET, BUCKET_NAME
from tests.policies.harness import UNKNOWN, changed, run_resource

INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"


def test_pass_security_group_with_narrow_rules_and_unknown_group_references():
    assert run_resource(no_open_ingress, SG, COMPLIANT_SG).passed
    assert run_resource(no_open_egress, SG, COMPLIANT_SG).passed


def test_fail_ingress_from_anywhere():
    props = changed(
        COMPLIANT_SG,
        "ingress.0",
        {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]},
    )
    assert run_resource(no_open_ingress, SG, props).violations == [
        "aws:ec2/securityGroup:SecurityGroup 'subject' has ingress[0].cidrBlocks '0.0.0.0/0' (tcp 22) for "
        "ingress; required: no ingress from 0.0.0.0/0 or ::/0"
    ]


def test_fail_ingress_from_all_ipv6_addresses_and_from_halves_adding_up_to_everything():
    ipv6 = changed(COMPLIANT_SG, "ingress.0.ipv6CidrBlocks", ["::/0"])
    assert "ingress[0].ipv6CidrBlocks '::/0'" in run_resource(no_open_ingress, SG, ipv6).violations[0]
    halves = changed(COMPLIANT_SG, "ingress.0.cidrBlocks", ["0.0.0.0/1", "128.0.0.0/1"])
    outcome = run_resource(no_open_ingress, SG, halves)
    assert "'0.0.0.0/1', ingress[0].cidrBlocks '128.0.0.0/1'" in outcome.violations[0]
    assert outcome.violations == [
        "aws:ec2/securityGroup:SecurityGroup 'subject' has ingress[0].cidrBlocks '0.0.0.0/1', "
        "ingress[0].cidrBlocks '128.0.0.0/1' (tcp 443) for ingress; required: no ingress from "
        "0.0.0.0/0 or ::/0",
    ]


def test_fail_standalone_ingress_rules_from_anywhere():
    legacy = {
        "type": "ingress",
        "protocol": "tcp",
        "fromPort": 22,
        "toPort": 22,
        "cidrBlocks": ["0.0.0.0/0"],
        "securityGroupId": UNKNOWN,
    }
    assert run_resource(no_open_ingress, SG_RULE, legacy).violations == [
        "aws:ec2/securityGroupRule:SecurityGroupRule 'subject' has cidrBlocks '0.0.0.0/0' (tcp 22) for "
        "ingress; required: no ingress from 0.0.0.0/0 or ::/0"
    ]
    vpc_rule = {"securityGroupId": UNKNOWN, "ipProtocol": "-1", "cidrIpv6": "::/0"}
    assert run_resource(no_open_ingress, INGRESS_RULE, vpc_rule).violations == [
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule 'subject' has cidrIpv6 '::/0' (all "
        "traffic) for ingress; required: no ingress from 0.0.0.0/0 or ::/0"
    ]


def test_pass_legacy_egress_rule_is_not_judged_as_ingress():
    legacy = {
        "type": "egress",
        "protocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
        "cidrBlocks": ["10.1.0.0/16"],
    }
    assert run_resource(no_open_ingress, SG_RULE, legacy).passed


def test_unknown_cidr_in_one_rule_does_not_hide_an_open_rule_next_to_it():
    props = changed(
        COMPLIANT_SG,
        "ingress",
        [
            {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": [UNKNOWN]},
            {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]},
        ],
    )
    outcome = run_resource(no_open_ingress, SG, props)
    assert len(outcome.violations) == 1 and "ingress[1].cidrBlocks '0.0.0.0/0'" in outcome.violations[0]
    assert outcome.undecided is None  # a definite violation wins over "cannot decide"


def test_undecided_ingress_with_only_an_unknown_cidr():
    outcome = run_resource(no_open_ingress, SG, changed(COMPLIANT_SG, "ingress.0.cidrBlocks", [UNKNOWN]))
    assert outcome.undecided is not None and outcome.violations == []


def test_other_resource_types_are_not_applicable():
    assert run_resource(no_open_ingress, BUCKET, {"bucket": BUCKET_NAME}).not_applicable is not None
