"""The rule `data-01-nat-gateway-in-egress-subnet`, one of the DATA-01 rules.

DATA-01: The tenant network has no open door to the internet.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies import network as net
from mlops_policies.controls.data_01._routes import NAT_ALLOWLIST
from mlops_policies.messages import as_shown
from mlops_policies.props import get, known
from mlops_policies.rule import StackCheck, label, stack_rule


def _tier(subnet: PolicyResource) -> str:
    return as_shown(get(subnet.props, "tags", "tier"))


@stack_rule(
    "data-01-nat-gateway-in-egress-subnet",
    control="DATA-01",
    types=[net.NAT_GATEWAY, net.SUBNET],
    severity=Severity.HIGH,
    description="Public NAT gateways exist only with network.egress 'nat-allowlist', and then only in "
    "subnets tagged tier=egress.",
    remediation="Create aws.ec2.NatGateway(subnet_id=egress_subnet.id) in a subnet tagged tier=egress (the "
    "regional availability mode has no subnet and is not accepted); use connectivity_type='private' for "
    "NAT between private networks. Without network.egress nat-allowlist, remove public NAT gateways.",
)
def nat_gateway_in_egress_subnet(stack: StackCheck) -> None:
    for nat in stack.of_type(net.NAT_GATEWAY):
        with stack.deciding(nat):
            if get(nat.props, "connectivityType", default="public") == "private":
                continue
            if stack.tenant.egress != NAT_ALLOWLIST:
                stack.fail(
                    nat,
                    f"{label(nat)} is a public NAT gateway while the tenant's network.egress is "
                    f"{as_shown(stack.tenant.egress)}; required: no public NAT gateway unless network.egress "
                    "is 'nat-allowlist'",
                )
                continue
            subnet = net.referenced(stack, nat, "subnetId", [net.SUBNET])
            if subnet is None:
                found = "missing" if known(nat.props, "subnetId") is None else "a subnet outside this stack"
                stack.fail(
                    nat,
                    f"{label(nat)} has subnetId {found}; required: a subnet of this stack tagged tier=egress",
                )
            elif get(subnet.props, "tags", "tier") != "egress":
                stack.fail(
                    nat,
                    f"{label(nat)} sits in {label(subnet)} with tags.tier {_tier(subnet)}; required: a "
                    "subnet tagged tier=egress",
                )
