"""Issue 14, network, load balancers, trails, IAM attachments: every type that sets the property
(class 1), defaults as values (class 5), CIDR sets (class 3)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlops_policies.controls.data_02._fixtures import COMPLIANT_SG
from tests.policies.audit_fixtures import COMPLIANT_TRAIL, audit_stack
from tests.policies.harness import UNKNOWN, Res, changed, run_resource, run_stack
from tests.policies.provenance_fixtures import duties_stack
from tests.policies.sidestep import rule

DEFAULT_VPC = "aws:ec2/defaultVpc:DefaultVpc"
DEFAULT_SUBNET = "aws:ec2/defaultSubnet:DefaultSubnet"
VPC = "aws:ec2/vpc:Vpc"
SG = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
CLASSIC_ELB = "aws:elb/loadBalancer:LoadBalancer"
ACCEPTER = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"
PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList"
TRAIL = "aws:cloudtrail/trail:Trail"
EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
DEFAULT_SG_MANAGED = rule("data-01-vpc-default-sg-managed")
OPEN_INGRESS = rule("data-02-no-open-ingress")
OPEN_EGRESS = rule("data-02-no-open-egress")
VPC_PROPS = {"cidrBlock": "10.1.0.0/16"}
VPC_SSH_RULE = {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "10.1.0.0/16"}
SSH_RULE = {"type": "ingress", "protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["10.1.0.0/16"]}


def default_sg_stack(*extra: Res) -> list[Res]:
    return [
        Res(VPC, "vpc", VPC_PROPS),
        Res(DEFAULT_SG, "vpc-default-sg", {"vpcId": UNKNOWN}, prop_deps={"vpcId": ["vpc"]}),
        Res(SG, "workload", COMPLIANT_SG, prop_deps={"vpcId": ["vpc"]}),
        *extra,
    ]


# ---------------------------------------------------------------- class 1 and 5: default VPC resources


def test_fail_default_subnet_whose_unset_public_ip_mapping_is_the_aws_default_true():
    assert run_resource(
        rule("data-01-no-public-subnet"), DEFAULT_SUBNET, {"availabilityZone": "us-east-1a"}
    ).violations == [
        f"{DEFAULT_SUBNET} 'subject' has mapPublicIpOnLaunch missing (true for a default subnet); required: "
        "false"
    ]


def test_pass_default_subnet_with_public_ip_mapping_turned_off_and_plain_subnet_unset():
    no_public = rule("data-01-no-public-subnet")
    assert run_resource(no_public, DEFAULT_SUBNET, {"mapPublicIpOnLaunch": False}).passed
    assert run_resource(no_public, "aws:ec2/subnet:Subnet", {"cidrBlock": "10.1.0.0/20"}).passed


def test_fail_default_vpc_without_a_managed_default_security_group():
    assert run_stack(DEFAULT_SG_MANAGED, [Res(DEFAULT_VPC, "default", {})]).violations == [
        f"{DEFAULT_VPC} 'default' has no {DEFAULT_SG} with vpcId referring to it; required: one managing the "
        "VPC's default security group with no rules"
    ]


def test_pass_locked_default_security_group_and_rules_on_a_workload_group():
    own = Res(
        SG_RULE,
        "workload-ssh",
        {**SSH_RULE, "securityGroupId": UNKNOWN},
        prop_deps={"securityGroupId": ["workload"]},
    )
    assert run_stack(DEFAULT_SG_MANAGED, default_sg_stack(own)).passed


@pytest.mark.parametrize(
    ("rule_type", "props", "deps", "target"),
    [
        (SG_RULE, SSH_RULE, ["vpc-default-sg"], f"{DEFAULT_SG} 'vpc-default-sg'"),
        (SG_RULE, SSH_RULE, ["vpc"], f"the default group of {VPC} 'vpc'"),
        (INGRESS_RULE, VPC_SSH_RULE, ["vpc"], f"the default group of {VPC} 'vpc'"),
    ],
)
def test_fail_standalone_rule_opening_the_default_security_group(rule_type, props, deps, target):
    opened = Res(
        rule_type, "default-ssh", {**props, "securityGroupId": UNKNOWN}, prop_deps={"securityGroupId": deps}
    )
    assert run_stack(DEFAULT_SG_MANAGED, default_sg_stack(opened)).violations == [
        f"{rule_type} 'default-ssh' has securityGroupId referring to {target}; required: no rules on a "
        "default "
        "security group (give workloads their own security groups)"
    ]


def test_fail_standalone_rule_naming_the_default_group_by_its_known_id():
    stack = default_sg_stack(Res(SG_RULE, "default-ssh", {**SSH_RULE, "securityGroupId": "sg-0default"}))
    stack[1] = Res(
        DEFAULT_SG, "vpc-default-sg", {"vpcId": UNKNOWN, "id": "sg-0default"}, prop_deps={"vpcId": ["vpc"]}
    )
    assert len(run_stack(DEFAULT_SG_MANAGED, stack).violations) == 1


def test_undecided_standalone_rule_with_an_unknown_group_and_no_dependency():
    outcome = run_stack(
        DEFAULT_SG_MANAGED, default_sg_stack(Res(SG_RULE, "r", {**SSH_RULE, "securityGroupId": UNKNOWN}))
    )
    assert outcome.violations == [] and "unknown securityGroupId" in (outcome.undecided or "")


# ---------------------------------------------------------------- class 1: Classic ELB, peering accepter


def test_fail_classic_elb_facing_the_internet_by_default():
    assert run_resource(
        rule("data-08-load-balancer-internal"), CLASSIC_ELB, {"listeners": []}
    ).violations == [f"{CLASSIC_ELB} 'subject' has internal missing; required: true"]


def test_pass_internal_classic_elb():
    assert run_resource(rule("data-08-load-balancer-internal"), CLASSIC_ELB, {"internal": True}).passed


def test_fail_accepting_a_peering_connection():
    outcome = run_resource(
        rule("data-10-no-vpc-peering-or-tgw-attachment"),
        ACCEPTER,
        {"vpcPeeringConnectionId": "pcx-1", "autoAccept": True},
    )
    assert outcome.violations == [
        f"{ACCEPTER} 'subject' accepts the peering connection vpcPeeringConnectionId 'pcx-1'; required: no "
        "VPC "
        "peering connection"
    ]


# ---------------------------------------------------------------- class 5: a trail that does not log


def test_fail_only_trail_has_logging_turned_off():
    stack = [Res(TRAIL, "trail", {**COMPLIANT_TRAIL, "enableLogging": False})]
    assert run_stack(rule("aud-01-trail-exists"), stack).violations == [
        f"{TRAIL} 'trail' has enableLogging false, so it records nothing; required: a multi-region trail "
        "with "
        "log file validation, encrypted with a tenant key, delivering to the tenant's audit-log bucket"
    ]


def test_pass_trail_with_logging_unset_means_the_provider_default_true():
    assert run_stack(rule("aud-01-trail-exists"), audit_stack()).passed


# ---------------------------------------------------------------- class 1: exclusive role attachments


def test_fail_deploy_policy_attached_to_the_registry_writer_through_an_exclusive_attachment():
    exclusive = Res(EXCLUSIVE, "trainer-exclusive", {"roleName": UNKNOWN, "policyArns": [UNKNOWN]},
                    prop_deps={"roleName": ["trainer"], "policyArns": ["deploy"]})  # fmt: skip
    outcome = run_stack(rule("prov-07-separation-of-duties"), duties_stack([exclusive]))
    assert len(outcome.violations) == 1 and "'trainer' can both write" in outcome.violations[0]
    assert "deploy (eks:*, via aws:iam/policy:Policy 'deploy')" in outcome.violations[0]


# ---------------------------------------------------------------- class 3: CIDR sets, generated


def _split(depth: int) -> list[str]:
    return [str(n) for n in ipaddress.ip_network("0.0.0.0/0").subnets(new_prefix=depth)]


@given(st.integers(1, 6), st.randoms(use_true_random=False))
def test_fail_generated_cidr_splits_of_the_internet_in_one_ingress_rule(depth, rng):
    cidrs = _split(depth)
    rng.shuffle(cidrs)
    props = changed(
        COMPLIANT_SG, "ingress", [{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": cidrs}]
    )
    outcome = run_resource(OPEN_INGRESS, SG, props)
    assert (
        len(outcome.violations) == 1
        and "for ingress; required: no ingress from 0.0.0.0/0" in outcome.violations[0]
    )


@given(st.integers(1, 6))
def test_fail_generated_cidr_splits_of_the_internet_in_one_egress_rule(depth):
    props = changed(
        COMPLIANT_SG,
        "egress",
        [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": _split(depth)}],
    )
    assert len(run_resource(OPEN_EGRESS, SG, props).violations) == 1


def test_fail_internet_minus_private_space_is_still_the_internet():
    public = [
        str(n) for n in ipaddress.ip_network("0.0.0.0/0").address_exclude(ipaddress.ip_network("10.0.0.0/8"))
    ]
    props = changed(
        COMPLIANT_SG, "ingress", [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": public}]
    )
    assert len(run_resource(OPEN_INGRESS, SG, props).violations) == 1


@given(st.integers(2, 6))
def test_fail_generated_prefix_list_entries_that_add_up_to_the_internet(depth):
    entries = [{"cidr": c} for c in _split(depth)]
    outcome = run_resource(
        rule("data-02-prefix-list-no-open-entries"),
        PREFIX_LIST,
        {"entries": entries, "addressFamily": "IPv4"},
    )
    assert len(outcome.violations) == 1


def test_pass_specific_cidrs_and_allowlisted_ranges():
    props = changed(
        COMPLIANT_SG,
        "ingress",
        [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["10.1.0.0/16", "52.94.0.0/16"]}],
    )
    assert run_resource(OPEN_INGRESS, SG, props).passed


# ---------------------------------------------------------------- class 3: CIDR sets across resources

ACROSS = rule("data-02-no-internet-across-rules")
PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"


def ingress_rules(cidrs: list[str], port: int = 22) -> list[Res]:
    return [
        Res(
            INGRESS_RULE,
            f"open-{i}",
            {**rule_on(port), "cidrIpv4": cidr},
            prop_deps={"securityGroupId": ["workload"]},
        )
        for i, cidr in enumerate(cidrs)
    ]


def rule_on(port: int) -> dict:
    return {"ipProtocol": "tcp", "fromPort": port, "toPort": port, "securityGroupId": UNKNOWN}


def test_pass_standalone_rules_with_specific_sources():
    assert run_stack(ACROSS, default_sg_stack(*ingress_rules(["10.1.0.0/16", "52.94.0.0/16"]))).passed


@given(st.integers(4, 7))
def test_fail_generated_split_of_the_internet_across_standalone_rules(depth):
    # From /4 on, no single piece reaches the internet alone (a /3 does: data-02-no-open-ingress).
    outcome = run_stack(ACROSS, default_sg_stack(*ingress_rules(_split(depth))))
    assert len(outcome.violations) == 1
    assert outcome.violations[0].startswith(
        f"{SG} 'workload' admits tcp 22 for ingress from {2**depth} CIDRs that together reach the internet"
    )


def test_pass_cidrs_that_add_up_only_across_different_ports():
    # Together 0.0.0.0/4 and 16.0.0.0/4 reach an eighth of the public space; for one port each, neither does.
    ssh, https = ingress_rules(["0.0.0.0/4"], 22), ingress_rules(["16.0.0.0/4"], 443)
    https = [Res(r.type, "https", r.props, prop_deps=r.prop_deps) for r in https]
    assert run_stack(ACROSS, default_sg_stack(*ssh, *https)).passed
    assert (
        len(run_stack(ACROSS, default_sg_stack(*ingress_rules(["0.0.0.0/4", "16.0.0.0/4"], 22))).violations)
        == 1
    )


def test_fail_split_across_inline_rules_of_one_group():
    inline = [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": [c]} for c in _split(4)]
    stack = [Res(SG, "workload", changed(COMPLIANT_SG, "ingress", inline))]
    assert len(run_stack(ACROSS, stack).violations) == 1


def test_fail_prefix_list_entries_that_add_up_to_the_internet():
    entries = [
        Res(
            PREFIX_LIST_ENTRY,
            f"entry-{i}",
            {"cidr": c, "prefixListId": UNKNOWN},
            prop_deps={"prefixListId": ["pl"]},
        )
        for i, c in enumerate(_split(4))
    ]
    outcome = run_stack(
        ACROSS, [Res(PREFIX_LIST, "pl", {"addressFamily": "IPv4", "maxEntries": 20}), *entries]
    )
    assert outcome.violations == [
        f"{PREFIX_LIST} 'pl' holds 16 CIDRs (with 16 {PREFIX_LIST_ENTRY} resources) that together reach the "
        "internet; required: no entries adding up to 0.0.0.0/0 or ::/0"
    ]
