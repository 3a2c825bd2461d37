"""The rule `data-08-eks-endpoint-private`, one of the DATA-08 rules.

DATA-08: Serving endpoints and clusters are not public.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.messages import as_shown
from mlops_policies.props import as_bool, get
from mlops_policies.resource_types import EKS_CLUSTER
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-08-eks-endpoint-private",
    control="DATA-08",
    types=[EKS_CLUSTER],
    severity=Severity.HIGH,
    description="EKS cluster API endpoints are not public.",
    remediation="Set vpc_config={'endpoint_public_access': False, 'endpoint_private_access': True, ...} "
    "on the aws.eks.Cluster (a missing value means public, the AWS default).",
)
def eks_endpoint_private(r: ResourceCheck) -> None:
    public = get(r.props, "vpcConfig", "endpointPublicAccess")
    if as_bool(public) is not False:
        r.fail(f"{r.label} has vpcConfig.endpointPublicAccess {as_shown(public)}; required: false")
