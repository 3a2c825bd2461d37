"""The rule `data-01-no-public-subnet`, one of the DATA-01 rules.

DATA-01: The tenant network has no open door to the internet.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.props import as_bool, get
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-01-no-public-subnet",
    control="DATA-01",
    types=net.SUBNETS,
    severity=Severity.HIGH,
    description="No subnet assigns public IP addresses on launch (mapPublicIpOnLaunch is false, or unset on "
    "an aws.ec2.Subnet; a DefaultSubnet's unset value is AWS's default for default subnets, true).",
    remediation="Set map_public_ip_on_launch=False (or leave it unset) on the aws.ec2.Subnet. Egress "
    "subnets reach the internet through a NAT gateway's Elastic IP, never through public instance "
    "addresses.",
)
def no_public_subnet(r: ResourceCheck) -> None:
    value = get(r.props, "mapPublicIpOnLaunch")
    if value is None and r.type == net.DEFAULT_SUBNET:
        r.fail(f"{r.label} has mapPublicIpOnLaunch missing (true for a default subnet); required: false")
    elif as_bool(value) is True:
        r.fail(f"{r.label} has mapPublicIpOnLaunch true; required: false")
