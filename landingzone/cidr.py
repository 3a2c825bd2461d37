"""CIDR math for tenant VPCs: subnet layout inside a VPC and block allocation from the platform pool."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

Network = ipaddress.IPv4Network


@dataclass(frozen=True)
class SubnetPlan:
    """Where each subnet of a tenant VPC goes: one private (and optionally one egress) subnet per AZ."""

    private: dict[str, str]
    egress: dict[str, str]


def plan_subnets(vpc_cidr: str, zones: list[str], with_egress: bool) -> SubnetPlan:
    """Split the VPC into quarters: one private subnet per AZ, egress subnets carved from the last quarter.

    Private subnets get a /(prefix+2) block each (up to three AZs; workloads need the
    address space: EKS pods take VPC addresses). Egress subnets, when asked for, are small slices
    carved from the last quarter so they never overlap a private subnet.
    """
    vpc = ipaddress.ip_network(vpc_cidr)
    if not isinstance(vpc, Network):
        raise ValueError(f"{vpc_cidr} is not an IPv4 network")
    if not 1 <= len(zones) <= 3:
        raise ValueError("between 1 and 3 availability zones are supported")
    quarters = list(vpc.subnets(prefixlen_diff=2))
    private = {zone: str(quarters[i]) for i, zone in enumerate(zones)}
    egress: dict[str, str] = {}
    if with_egress:
        egress_prefix = min(quarters[3].prefixlen + 4, 28)
        slices = list(quarters[3].subnets(new_prefix=egress_prefix))
        egress = {zone: str(slices[i]) for i, zone in enumerate(zones)}
    return SubnetPlan(private=private, egress=egress)


def overlaps(a: str, b: str) -> bool:
    return ipaddress.ip_network(a).overlaps(ipaddress.ip_network(b))


def next_free_block(pool: str, block_prefix: int, taken: Iterable[str]) -> str | None:
    """The lowest block of `block_prefix` inside `pool` that overlaps none of `taken`, or None when full."""
    pool_net = ipaddress.ip_network(pool)
    taken_nets = [ipaddress.ip_network(t) for t in taken]
    for candidate in pool_net.subnets(new_prefix=block_prefix):
        if not any(candidate.overlaps(t) for t in taken_nets):
            return str(candidate)
    return None


def vpc_cidr_problem(value: str) -> str | None:
    """Why `value` cannot be a tenant VPC block (RFC 1918 IPv4, /16 to /22), or None when it can."""
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as err:
        return f"'{value}' is not a CIDR block such as 10.1.0.0/16 ({err})"
    if not isinstance(network, Network) or not network.is_private:
        return f"'{value}' must be an IPv4 block inside RFC 1918 private space"
    if not 16 <= network.prefixlen <= 22:
        return f"'{value}' has prefix /{network.prefixlen}; allowed are /16 to /22"
    return None


def is_allowlist_entry(entry: str) -> bool:
    """An egress allowlist entry: a managed prefix list id, or an IPv4 CIDR narrower than /0."""
    if re.fullmatch(r"pl-[0-9a-f]{8,17}", entry):
        return True
    try:
        network = ipaddress.ip_network(entry, strict=True)
    except ValueError:
        return False
    return isinstance(network, Network) and network.prefixlen > 0
