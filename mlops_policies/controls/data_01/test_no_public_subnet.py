"""Cases for `data-01-no-public-subnet`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_01._fixtures import SUBNET
from mlops_policies.controls.data_01.no_public_subnet import no_public_subnet
from tests.policies.data_leakage_fixtures import INITECH, TAGS
from tests.policies.harness import ACME, UNKNOWN, area_rules, changed, run_resource

PRIVATE_SUBNET = {"vpcId": UNKNOWN, "cidrBlock": "10.1.0.0/18", "tags": {**TAGS, "tier": "private"}}


def test_pass_private_subnet_without_public_ips():
    assert run_resource(no_public_subnet, SUBNET, PRIVATE_SUBNET).passed
    assert run_resource(
        no_public_subnet, SUBNET, changed(PRIVATE_SUBNET, "mapPublicIpOnLaunch", False)
    ).passed


def test_fail_public_subnet_even_with_nat_allowlist():
    props = changed(PRIVATE_SUBNET, "mapPublicIpOnLaunch", True)
    for tenant in (ACME, INITECH):
        assert run_resource(no_public_subnet, SUBNET, props, tenant=tenant).violations == [
            "aws:ec2/subnet:Subnet 'subject' has mapPublicIpOnLaunch true; required: false"
        ]


def test_undecided_subnet_with_unknown_public_ip_mapping():
    outcome = run_resource(no_public_subnet, SUBNET, changed(PRIVATE_SUBNET, "mapPublicIpOnLaunch", UNKNOWN))
    assert outcome.undecided is not None and outcome.violations == []


def test_every_data_control_has_rules_and_applies_to_standard_tenants():
    controls = {rule.control.id for rule in area_rules("data_leakage")}
    assert controls == {f"DATA-{n:02d}" for n in range(1, 11)}
    assert {rule.control.level for rule in area_rules("data_leakage")} == {"baseline"}
    # Baseline controls hold for the standard tenant acme too: never "not applicable" by tier.
    assert run_resource(no_public_subnet, SUBNET, PRIVATE_SUBNET, tenant=ACME).not_applicable is None
