"""Cases for `data-01-nat-gateway-in-egress-subnet`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_01._fixtures import nat_network, replaced
from mlops_policies.controls.data_01.nat_gateway_in_egress_subnet import nat_gateway_in_egress_subnet
from tests.policies.data_leakage_fixtures import INITECH, NAT
from tests.policies.harness import ACME, UNKNOWN, Res, run_stack


def test_fail_public_nat_gateway_in_private_subnet():
    nat = Res(NAT, "nat-a", {"subnetId": UNKNOWN}, prop_deps={"subnetId": ["private-a"]})
    outcome = run_stack(nat_gateway_in_egress_subnet, replaced(nat_network(), nat), tenant=INITECH)
    assert outcome.violations == [
        "aws:ec2/natGateway:NatGateway 'nat-a' sits in aws:ec2/subnet:Subnet 'private-a' with tags.tier "
        "'private'; required: a subnet tagged tier=egress"
    ]


def test_fail_public_nat_gateway_without_nat_allowlist_but_private_nat_passes():
    outcome = run_stack(nat_gateway_in_egress_subnet, nat_network(), tenant=ACME)
    assert outcome.violations == [
        "aws:ec2/natGateway:NatGateway 'nat-a' is a public NAT gateway while the tenant's network.egress "
        "is 'none'; required: no public NAT gateway unless network.egress is 'nat-allowlist'"
    ]
    private = Res(
        NAT,
        "nat-a",
        {"subnetId": UNKNOWN, "connectivityType": "private"},
        prop_deps={"subnetId": ["private-a"]},
    )
    assert run_stack(nat_gateway_in_egress_subnet, replaced(nat_network(), private), tenant=ACME).passed


def test_pass_nat_allowlist_layout_decides_in_first_preview():
    assert run_stack(nat_gateway_in_egress_subnet, nat_network(), tenant=INITECH).passed
