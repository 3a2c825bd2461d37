"""Cases for `data-08-load-balancer-internal`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.data_08.load_balancer_internal import load_balancer_internal
from tests.policies.harness import UNKNOWN, run_resource


@pytest.mark.parametrize("type_", ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"])
def test_pass_internal_load_balancer(type_: str):
    assert run_resource(load_balancer_internal, type_, {"internal": True, "subnets": [UNKNOWN]}).passed


@pytest.mark.parametrize("type_", ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"])
def test_fail_load_balancer_without_internal_is_internet_facing(type_: str):
    assert run_resource(load_balancer_internal, type_, {"subnets": [UNKNOWN]}).violations == [
        f"{type_} 'subject' has internal missing; required: true"
    ]
