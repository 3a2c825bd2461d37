"""The rule `data-06-vpc-interface-endpoints`, one of the DATA-06 rules.

DATA-06: AWS APIs are reached through private endpoints.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.controls.data_06._endpoints import (
    VPC_ENDPOINT,
    serves,
    undecided_endpoints,
    vpc_endpoints,
)
from mlops_policies.messages import as_shown
from mlops_policies.props import as_bool, as_list, get
from mlops_policies.rule import StackCheck, label, stack_rule

INTERFACE_SERVICES = ["ecr.api", "ecr.dkr", "sts", "kms", "logs"]


@stack_rule(
    "data-06-vpc-interface-endpoints",
    control="DATA-06",
    types=[*net.VPCS, VPC_ENDPOINT],
    severity=Severity.MEDIUM,
    description="Every VPC, the default VPC included, has interface endpoints with private DNS for ecr.api, "
    "ecr.dkr, sts, kms and logs (or their -fips variants).",
    remediation="Add for each service an aws.ec2.VpcEndpoint(vpc_id=vpc.id, "
    "service_name=f'com.amazonaws.{region}.<service>', vpc_endpoint_type='Interface', "
    "private_dns_enabled=True, subnet_ids=[...private subnets], security_group_ids=[endpoint_sg.id]).",
    config={
        "interfaceServices": {
            "type": "array",
            "items": {"type": "string"},
            "default": INTERFACE_SERVICES,
            "description": "Service suffixes (after com.amazonaws.<region>.) needing an interface endpoint.",
        }
    },
)
def vpc_interface_endpoints(stack: StackCheck) -> None:
    services = [s for s in as_list(stack.config.get("interfaceServices")) if isinstance(s, str)]
    for vpc in stack.of_type(*net.VPCS):
        with stack.deciding(vpc):
            endpoints = vpc_endpoints(stack, vpc)
            missing = []
            for service in services:
                matches = [
                    e for e, name, kind in endpoints
                    if serves(name, service) and kind == "Interface"
                ]  # fmt: skip
                if not matches:
                    missing.append(service)
                for endpoint in matches:
                    dns = get(endpoint.props, "privateDnsEnabled")
                    if as_bool(dns) is not True:
                        stack.fail(
                            endpoint,
                            f"{label(endpoint)} has privateDnsEnabled {as_shown(dns)}; required: true",
                        )
            if missing:
                undecided_endpoints(vpc, endpoints)
                stack.fail(
                    vpc,
                    f"{label(vpc)} has no interface endpoint for {', '.join(missing)}; required: "
                    f"{VPC_ENDPOINT} with vpcEndpointType 'Interface' and privateDnsEnabled true for each "
                    f"of {', '.join(services)}",
                )
