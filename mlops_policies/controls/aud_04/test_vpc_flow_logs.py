"""Cases for `aud-04-vpc-flow-logs`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_04.vpc_flow_logs import vpc_flow_logs
from tests.policies.audit_fixtures import COMPLIANT_FLOW_LOG, FLOW_LOG, vpc_stack
from tests.policies.harness import Res, changed, run_stack


def test_pass_vpc_with_flow_log_of_all_traffic_in_a_first_preview():
    assert run_stack(vpc_flow_logs, vpc_stack()).passed


def test_fail_vpc_without_flow_log():
    outcome = run_stack(vpc_flow_logs, vpc_stack()[:1])
    assert outcome.violations == [
        "aws:ec2/vpc:Vpc 'vpc' has no aws:ec2/flowLog:FlowLog with vpcId referring to it; "
        "required: a flow log with trafficType 'ALL'"
    ]


def test_fail_vpc_with_flow_log_of_rejected_traffic_only():
    outcome = run_stack(vpc_flow_logs, vpc_stack(changed(COMPLIANT_FLOW_LOG, "trafficType", "REJECT")))
    assert outcome.violations == [
        "aws:ec2/flowLog:FlowLog 'vpc-flows' of aws:ec2/vpc:Vpc 'vpc' has trafficType 'REJECT'; "
        "required: 'ALL' (no flow log of the VPC records all traffic)"
    ]
    assert outcome.urns == ["urn:pulumi:acme::mlops-landing-zone::aws:ec2/flowLog:FlowLog::vpc-flows"]


def test_pass_vpc_with_one_flow_log_of_all_traffic_among_others():
    stack = [
        *vpc_stack(),
        Res(
            FLOW_LOG,
            "rejects",
            changed(COMPLIANT_FLOW_LOG, "trafficType", "REJECT"),
            prop_deps={"vpcId": ["vpc"]},
        ),
    ]
    assert run_stack(vpc_flow_logs, stack).passed


def test_undecided_flow_log_whose_vpc_is_unknown_without_dependency_information():
    outcome = run_stack(vpc_flow_logs, vpc_stack(deps=()))
    assert outcome.violations == [] and outcome.undecided is not None
