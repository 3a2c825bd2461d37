"""The rule `aud-04-vpc-flow-logs`, one of the AUD-04 rules.

AUD-04: Network flows are recorded.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets
from mlops_policies.network import VPCS
from mlops_policies.props import get
from mlops_policies.rule import StackCheck, label, stack_rule

VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"


@stack_rule(
    "aud-04-vpc-flow-logs",
    control="AUD-04",
    types=[*VPCS, FLOW_LOG],
    severity=Severity.MEDIUM,
    description="Every VPC (a Vpc, or the default VPC adopted as a DefaultVpc) has a FlowLog (vpcId "
    "referring to it) with trafficType ALL.",
    remediation="Add aws.ec2.FlowLog(vpc_id=vpc.id, traffic_type='ALL', log_destination=...) for the VPC.",
)
def vpc_flow_logs(stack: StackCheck) -> None:
    for vpc in stack.of_type(*VPCS):
        flow_logs: list[PolicyResource] = []
        with stack.deciding(vpc):
            flow_logs = buckets.sub_resources(stack, vpc, FLOW_LOG, prop="vpcId")
            if not flow_logs:
                stack.fail(
                    vpc,
                    f"{label(vpc)} has no {FLOW_LOG} with vpcId referring to it; "
                    "required: a flow log with trafficType 'ALL'",
                )
        with stack.deciding(vpc):
            if flow_logs and not any(get(f.props, "trafficType") == "ALL" for f in flow_logs):
                # The flow logs are what to fix: report on them, not on the VPC.
                for flow_log in flow_logs:
                    found = get(flow_log.props, "trafficType")
                    stack.fail(
                        flow_log,
                        f"{label(flow_log)} of {label(vpc)} has trafficType "
                        f"{'missing' if found is None else repr(found)}; required: 'ALL' "
                        "(no flow log of the VPC records all traffic)",
                    )
