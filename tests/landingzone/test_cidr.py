"""CIDR math for tenant VPCs and the platform pool."""

import ipaddress
import itertools

from hypothesis import given
from hypothesis import strategies as st

from landingzone.cidr import next_free_block, plan_subnets


def test_private_subnets_take_one_quarter_per_zone():
    plan = plan_subnets("10.1.0.0/16", ["us-east-1a", "us-east-1b", "us-east-1c"], with_egress=False)
    assert plan.private == {
        "us-east-1a": "10.1.0.0/18",
        "us-east-1b": "10.1.64.0/18",
        "us-east-1c": "10.1.128.0/18",
    }
    assert plan.egress == {}


def test_egress_subnets_come_from_the_last_quarter():
    plan = plan_subnets("10.3.0.0/16", ["us-west-2a", "us-west-2b"], with_egress=True)
    assert plan.egress == {"us-west-2a": "10.3.192.0/22", "us-west-2b": "10.3.196.0/22"}


@given(
    prefix=st.integers(min_value=16, max_value=22),
    zones=st.integers(min_value=1, max_value=3),
    egress=st.booleans(),
)
def test_subnets_never_overlap_and_stay_inside_the_vpc(prefix, zones, egress):
    vpc = ipaddress.ip_network(f"10.8.0.0/{prefix}")
    plan = plan_subnets(str(vpc), [f"eu-west-1{c}" for c in "abc"[:zones]], with_egress=egress)
    subnets = [ipaddress.ip_network(c) for c in [*plan.private.values(), *plan.egress.values()]]
    assert all(s.subnet_of(vpc) for s in subnets)  # type: ignore[arg-type]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(subnets, 2))


def test_next_free_block_skips_taken_blocks_and_fills_gaps():
    taken = ["10.0.0.0/16", "10.2.0.0/16"]
    assert next_free_block("10.0.0.0/8", 16, taken) == "10.1.0.0/16"
    assert next_free_block("10.0.0.0/8", 16, [*taken, "10.1.0.0/16"]) == "10.3.0.0/16"


def test_next_free_block_treats_partial_overlap_as_taken():
    assert next_free_block("10.0.0.0/14", 16, ["10.0.128.0/20"]) == "10.1.0.0/16"


def test_full_pool_has_no_free_block():
    taken = [f"10.{i}.0.0/16" for i in range(4)]
    assert next_free_block("10.0.0.0/14", 16, taken) is None
