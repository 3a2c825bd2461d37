"""Cases for `data-06-vpc-interface-endpoints`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_06._fixtures import endpoint_stack
from mlops_policies.controls.data_06.vpc_interface_endpoints import (
    INTERFACE_SERVICES,
    vpc_interface_endpoints,
)
from mlops_policies.network import DEFAULT_VPC
from tests.policies.data_leakage_fixtures import TAGS, with_props, without
from tests.policies.harness import DELETE, UNKNOWN, Res, run_stack


def test_fail_vpc_without_kms_interface_endpoint():
    outcome = run_stack(vpc_interface_endpoints, without(endpoint_stack(), "kms"))
    assert outcome.violations == [
        "aws:ec2/vpc:Vpc 'vpc' has no interface endpoint for kms; required: "
        "aws:ec2/vpcEndpoint:VpcEndpoint with vpcEndpointType 'Interface' and privateDnsEnabled true for "
        "each of ecr.api, ecr.dkr, sts, kms, logs"
    ]


def test_fail_interface_endpoint_without_private_dns():
    outcome = run_stack(
        vpc_interface_endpoints, with_props(endpoint_stack(), "sts", "privateDnsEnabled", DELETE)
    )
    assert outcome.violations == [
        "aws:ec2/vpcEndpoint:VpcEndpoint 'sts' has privateDnsEnabled missing; required: true"
    ]


def test_fail_vpc_without_an_interface_endpoint_added_by_config():
    config = {"interfaceServices": [*INTERFACE_SERVICES, "sagemaker.runtime"]}
    outcome = run_stack(vpc_interface_endpoints, endpoint_stack(), config=config)
    assert (
        len(outcome.violations) == 1
        and "has no interface endpoint for sagemaker.runtime" in outcome.violations[0]
    )
    assert outcome.violations == [
        "aws:ec2/vpc:Vpc 'vpc' has no interface endpoint for sagemaker.runtime; required: "
        "aws:ec2/vpcEndpoint:VpcEndpoint with vpcEndpointType 'Interface' and privateDnsEnabled "
        "true for each of ecr.api, ecr.dkr, sts, kms, logs, sagemaker.runtime",
    ]


def test_undecided_missing_endpoint_when_a_service_name_is_unknown():
    outcome = run_stack(vpc_interface_endpoints, with_props(endpoint_stack(), "kms", "serviceName", UNKNOWN))
    assert outcome.undecided is not None and outcome.violations == []


def test_pass_vpc_with_private_interface_endpoints_in_first_preview():
    assert run_stack(vpc_interface_endpoints, endpoint_stack()).passed


def test_pass_a_fips_endpoint_serves_its_service():
    outcome = run_stack(
        vpc_interface_endpoints,
        with_props(endpoint_stack(), "kms", "serviceName", "com.amazonaws.us-east-1.kms-fips"),
    )
    assert outcome.passed


def test_fail_the_default_vpc_adopted_as_the_tenant_network_needs_the_endpoints_too():
    outcome = run_stack(vpc_interface_endpoints, [Res(DEFAULT_VPC, "default", {"tags": TAGS})])
    assert outcome.violations == [
        "aws:ec2/defaultVpc:DefaultVpc 'default' has no interface endpoint for ecr.api, ecr.dkr, sts, kms, "
        "logs; required: aws:ec2/vpcEndpoint:VpcEndpoint with vpcEndpointType 'Interface' and "
        "privateDnsEnabled true for each of ecr.api, ecr.dkr, sts, kms, logs"
    ]
