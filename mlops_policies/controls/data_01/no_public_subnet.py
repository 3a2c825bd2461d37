"""The rule `data-01-no-public-subnet`, one of the DATA-01 rules.

DATA-01: The tenant network has no open door to the internet.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.core import ResourceCheck, resource_rule
from mlops_policies.props import as_bool, get


@resource_rule(
    "data-01-no-public-subnet",
    control="DATA-01",
    types=[net.SUBNET],
    severity=Severity.HIGH,
    description="No subnet assigns public IP addresses on launch (mapPublicIpOnLaunch is false or unset).",
    remediation="Set map_public_ip_on_launch=False (or leave it unset) on the aws.ec2.Subnet. Egress "
    "subnets reach the internet through a NAT gateway's Elastic IP, never through public instance "
    "addresses.",
)
def no_public_subnet(r: ResourceCheck) -> None:
    if as_bool(get(r.props, "mapPublicIpOnLaunch")) is True:
        r.fail(f"{r.label} has mapPublicIpOnLaunch true; required: false")
