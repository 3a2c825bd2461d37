"""The VPC endpoints of a VPC and which of them serve S3 (DATA-06)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource

from mlops_policies import network as net
from mlops_policies.props import UNKNOWN, known
from mlops_policies.rule import StackCheck, Undecided, label

VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"


def vpc_endpoints(stack: StackCheck, vpc: PolicyResource) -> list[tuple[PolicyResource, Any, Any]]:
    """The VPC's endpoints with their serviceName and vpcEndpointType (AWS default Gateway); UNKNOWN kept."""
    found = []
    for endpoint in net.referrers(stack, vpc, [VPC_ENDPOINT], "vpcId"):
        kind = known(endpoint.props, "vpcEndpointType", default="Gateway")
        found.append((endpoint, known(endpoint.props, "serviceName"), kind))
    return found


def serves(name: Any, service: str) -> bool:
    """Whether an endpoint's serviceName is `service` in some region, or its FIPS variant (`<service>-fips`,
    as for kms-fips: the same API through FIPS 140 validated endpoints, what regulated tenants choose)."""
    return isinstance(name, str) and (name.endswith(f".{service}") or name.endswith(f".{service}-fips"))


def is_s3_service(name: Any) -> bool:
    return isinstance(name, str) and name.startswith("com.amazonaws.") and name.endswith(".s3")


def undecided_endpoints(vpc: PolicyResource, endpoints: list[tuple[PolicyResource, Any, Any]]) -> None:
    pending = [label(e) for e, name, kind in endpoints if UNKNOWN in (name, kind)]
    if pending:
        raise Undecided([f"{label(vpc)}: serviceName or vpcEndpointType unknown on {', '.join(pending)}"])
