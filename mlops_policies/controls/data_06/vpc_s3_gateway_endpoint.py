"""The rule `data-06-vpc-s3-gateway-endpoint`, one of the DATA-06 rules.

DATA-06: AWS APIs are reached through private endpoints.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.controls.data_06._endpoints import (
    VPC_ENDPOINT,
    is_s3_service,
    undecided_endpoints,
    vpc_endpoints,
)
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "data-06-vpc-s3-gateway-endpoint",
    control="DATA-06",
    types=[*net.VPCS, VPC_ENDPOINT],
    severity=Severity.MEDIUM,
    description="Every VPC, the default VPC included, has an S3 gateway endpoint.",
    remediation="Add aws.ec2.VpcEndpoint(vpc_id=vpc.id, service_name=f'com.amazonaws.{region}.s3', "
    "vpc_endpoint_type='Gateway', route_table_ids=[...private route tables], policy=...) for the VPC.",
)
def vpc_s3_gateway_endpoint(stack: StackCheck) -> None:
    for vpc in stack.of_type(*net.VPCS):
        with stack.deciding(vpc):
            endpoints = vpc_endpoints(stack, vpc)
            if any(is_s3_service(name) and kind == "Gateway" for _, name, kind in endpoints):
                continue
            undecided_endpoints(vpc, endpoints)
            stack.fail(
                vpc,
                f"{label(vpc)} has no {VPC_ENDPOINT} with serviceName 'com.amazonaws.<region>.s3' and "
                "vpcEndpointType 'Gateway'; required: one",
            )
