"""Cases for `data-09-model-network-isolated`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_09.model_network_isolated import model_network_isolated
from tests.policies.harness import UNKNOWN, run_resource


def test_pass_sagemaker_model_isolated_or_in_vpc():
    model = "aws:sagemaker/model:Model"
    assert run_resource(model_network_isolated, model, {"enableNetworkIsolation": True}).passed
    in_vpc = {"vpcConfig": {"subnets": [UNKNOWN], "securityGroupIds": [UNKNOWN]}}
    assert run_resource(model_network_isolated, model, in_vpc).passed


def test_fail_sagemaker_model_neither_isolated_nor_in_vpc():
    outcome = run_resource(model_network_isolated, "aws:sagemaker/model:Model", {"executionRoleArn": UNKNOWN})
    assert outcome.violations == [
        "aws:sagemaker/model:Model 'subject' has enableNetworkIsolation missing and vpcConfig.subnets "
        "missing; required: enableNetworkIsolation true or a vpcConfig with subnets"
    ]
