"""Cases for `data-01-no-internet-gateway`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_01.no_internet_gateway import no_internet_gateway
from tests.policies.data_leakage_fixtures import IGW, INITECH, TAGS
from tests.policies.harness import UNKNOWN, run_resource

EOIGW = "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway"


def test_fail_internet_gateway_without_nat_allowlist():
    outcome = run_resource(no_internet_gateway, IGW, {"vpcId": UNKNOWN, "tags": TAGS})
    assert outcome.violations == [
        "aws:ec2/internetGateway:InternetGateway 'subject' exists while the tenant's network.egress is "
        "'none'; required: no internet gateway unless network.egress is 'nat-allowlist'"
    ]


def test_fail_egress_only_internet_gateway_without_nat_allowlist():
    outcome = run_resource(no_internet_gateway, EOIGW, {"vpcId": UNKNOWN, "tags": TAGS})
    assert outcome.violations[0].startswith(
        "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway 'subject'"
    )
    assert outcome.violations == [
        "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway 'subject' exists while the "
        "tenant's network.egress is 'none'; required: no internet gateway unless network.egress is "
        "'nat-allowlist'",
    ]


def test_pass_internet_gateway_with_nat_allowlist():
    assert run_resource(no_internet_gateway, IGW, {"vpcId": UNKNOWN, "tags": TAGS}, tenant=INITECH).passed
