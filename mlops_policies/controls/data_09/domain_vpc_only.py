"""The rule `data-09-domain-vpc-only`, one of the DATA-09 rules.

DATA-09: Notebooks and ML studios stay inside the tenant network.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.messages import as_shown
from mlops_policies.props import get
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-09-domain-vpc-only",
    control="DATA-09",
    types=["aws:sagemaker/domain:Domain"],
    severity=Severity.HIGH,
    description="SageMaker domains route all traffic through the tenant VPC.",
    remediation="Set app_network_access_type='VpcOnly' on the aws.sagemaker.Domain (missing means "
    "PublicInternetOnly).",
)
def domain_vpc_only(r: ResourceCheck) -> None:
    access = get(r.props, "appNetworkAccessType")
    if access != "VpcOnly":
        r.fail(f"{r.label} has appNetworkAccessType {as_shown(access)}; required: 'VpcOnly'")
