"""mlops_policies.network's CIDR-set check: what "reaches the internet" means for a set of CIDRs."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlops_policies.network import OPEN_SHARE, is_open, open_together, public_share


@pytest.mark.parametrize(
    "cidr", ["0.0.0.0/0", "::/0", " 0.0.0.0/0", "0.0.0.1/0", "0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/2", "::/1"]
)
def test_one_cidr_reaching_half_the_public_space_or_more_is_open(cidr):
    assert is_open(cidr)


@pytest.mark.parametrize(
    "cidr", ["10.0.0.0/8", "52.0.0.0/8", "203.0.113.0/24", "0.0.0.0/4", "fd00::/8", None, "x"]
)
def test_specific_or_private_cidrs_are_not_open(cidr):
    assert not is_open(cidr)


@pytest.mark.parametrize(
    "cidrs",
    [
        ["0.0.0.0/1", "128.0.0.0/1"],
        ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"],
        ["0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2",
         "128.0.0.0/1"],  # 0.0.0.0/0 minus 10.0.0.0/8
        ["::/1", "8000::/1"],
    ],
)  # fmt: skip
def test_cidrs_that_together_reach_the_internet(cidrs):
    assert open_together(cidrs)


def test_a_sixteenth_of_the_address_space_is_below_the_threshold():
    assert not open_together(["0.0.0.0/4"]) and public_share(["0.0.0.0/4"])[4] < OPEN_SHARE


def test_private_space_adds_nothing_to_the_public_share():
    assert public_share(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4"]) == {4: 0.0, 6: 0.0}


@given(st.integers(1, 10), st.randoms(use_true_random=False))
def test_generated_splits_of_the_internet_reach_it_in_any_order(depth, rng):
    pieces = [str(n) for n in ipaddress.ip_network("0.0.0.0/0").subnets(new_prefix=depth)]
    rng.shuffle(pieces)
    assert open_together(pieces)


@given(st.integers(6, 10))
def test_generated_small_slices_of_the_internet_do_not(depth):
    pieces = [str(n) for n in ipaddress.ip_network("0.0.0.0/0").subnets(new_prefix=depth)]
    start, count = len(pieces) // 4, len(pieces) // 32  # 1/32 of the space, from 64.0.0.0 on
    assert not open_together(pieces[start : start + count])
