"""Walking every route of the stack, and telling routes to an internet gateway (DATA-01)."""

from __future__ import annotations

from collections.abc import Callable

from pulumi_policy import PolicyResource

from mlops_policies import network as net
from mlops_policies.messages import located
from mlops_policies.props import UnknownValueError
from mlops_policies.rule import StackCheck, Undecided, label

NAT_ALLOWLIST = "nat-allowlist"


def each_route(stack: StackCheck, judge: Callable[[PolicyResource, net.Route], None]) -> None:
    """Judge every route; an unknown in one route defers its owner but never hides its other routes."""
    for owner in stack.of_type(net.ROUTE, net.ROUTE_TABLE, net.DEFAULT_ROUTE_TABLE):
        with stack.deciding(owner):
            found, pending = net.routes_of(owner.resource_type, owner.props)
            for route in found:
                try:
                    judge(owner, route)
                except UnknownValueError as unknown:
                    pending = pending or unknown
            if pending:
                raise pending


def through_internet_gateway(owner: PolicyResource, route: net.Route) -> bool:
    target = net.targets_internet_gateway(owner, route)
    if target is None:
        raise Undecided(
            [f"{located(label(owner), route.where)} has an unknown gatewayId without dependency information"]
        )
    return target
