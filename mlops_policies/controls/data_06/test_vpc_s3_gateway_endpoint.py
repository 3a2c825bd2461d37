"""Cases for `data-06-vpc-s3-gateway-endpoint`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_06._fixtures import endpoint_stack
from mlops_policies.controls.data_06.vpc_interface_endpoints import vpc_interface_endpoints
from mlops_policies.controls.data_06.vpc_s3_gateway_endpoint import vpc_s3_gateway_endpoint
from mlops_policies.network import DEFAULT_VPC
from tests.policies.data_leakage_fixtures import TAGS, with_props, without
from tests.policies.harness import DELETE, Res, run_stack


def test_pass_vpc_with_private_endpoints_in_first_preview():
    assert run_stack(vpc_s3_gateway_endpoint, endpoint_stack()).passed
    assert run_stack(vpc_interface_endpoints, endpoint_stack()).passed


def test_pass_s3_endpoint_type_defaults_to_gateway():
    assert run_stack(
        vpc_s3_gateway_endpoint, with_props(endpoint_stack(), "s3", "vpcEndpointType", DELETE)
    ).passed


def test_fail_vpc_without_s3_gateway_endpoint():
    for stack in (
        without(endpoint_stack(), "s3"),
        with_props(endpoint_stack(), "s3", "vpcEndpointType", "Interface"),
    ):
        assert run_stack(vpc_s3_gateway_endpoint, stack).violations == [
            "aws:ec2/vpc:Vpc 'vpc' has no aws:ec2/vpcEndpoint:VpcEndpoint with serviceName "
            "'com.amazonaws.<region>.s3' and vpcEndpointType 'Gateway'; required: one"
        ]


def test_fail_the_default_vpc_adopted_as_the_tenant_network_needs_an_s3_gateway_endpoint():
    outcome = run_stack(vpc_s3_gateway_endpoint, [Res(DEFAULT_VPC, "default", {"tags": TAGS})])
    assert outcome.violations == [
        "aws:ec2/defaultVpc:DefaultVpc 'default' has no aws:ec2/vpcEndpoint:VpcEndpoint with serviceName "
        "'com.amazonaws.<region>.s3' and vpcEndpointType 'Gateway'; required: one"
    ]
