"""The rule `data-01-no-internet-gateway`, one of the DATA-01 rules.

DATA-01: The tenant network has no open door to the internet.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.controls.data_01._routes import NAT_ALLOWLIST
from mlops_policies.messages import as_shown
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-01-no-internet-gateway",
    control="DATA-01",
    types=[net.INTERNET_GATEWAY, net.EGRESS_ONLY_GATEWAY],
    severity=Severity.HIGH,
    description="The stack creates no internet gateway or egress-only internet gateway, unless the "
    "tenant's network.egress is 'nat-allowlist'.",
    remediation="Remove the aws.ec2.InternetGateway / aws.ec2.EgressOnlyInternetGateway: workloads reach "
    "AWS APIs through VPC endpoints. A tenant that needs internet egress gets network.egress: "
    "nat-allowlist in its stack config; then only NAT gateways in subnets tagged tier=egress may route out.",
)
def no_internet_gateway(r: ResourceCheck) -> None:
    if r.tenant.egress != NAT_ALLOWLIST:
        r.fail(
            f"{r.label} exists while the tenant's network.egress is {as_shown(r.tenant.egress)}; "
            "required: no "
            "internet gateway unless network.egress is 'nat-allowlist'"
        )
