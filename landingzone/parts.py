"""Which half of a tenant's landing zone a Pulumi project registers (and the packs judge).

The cluster endpoint is private (DATA-08), so Kubernetes objects can only be created from inside the
tenant network, while everything else is AWS API calls that work from anywhere. The landing zone is
therefore deployed as two stacks of the same name in two projects (README "Deploying"): the AWS part
from a hosted CI runner, the Kubernetes part from a runner inside the tenant VPC, the second reading
the cluster's endpoint from the first through a stack reference. The root project registers both
halves in one stack: that is what the PR gate judges, and what `pulumi up` runs where the endpoint
is reachable. The policy packs read the same mapping from PULUMI_PROJECT (mlops_policies.rule).
"""

from __future__ import annotations

from enum import StrEnum

ROOT_PROJECT = "mlops-landing-zone"
AWS_PROJECT = "mlops-landing-zone-aws"
KUBERNETES_PROJECT = "mlops-landing-zone-cluster"


class DeployPart(StrEnum):
    ALL = "all"
    """Both halves in one stack (the root project)."""
    AWS = "aws"
    """Keys, audit, network, registry, cluster, node pools, workload roles and pod identity, secrets."""
    KUBERNETES = "kubernetes"
    """Namespaces, quotas, limits, network policies and service accounts, through the private endpoint."""

    @property
    def aws(self) -> bool:
        return self is not DeployPart.KUBERNETES

    @property
    def kubernetes(self) -> bool:
        return self is not DeployPart.AWS

    @classmethod
    def of_project(cls, project: str) -> DeployPart:
        """The part a project registers; any other project name registers both (fail closed: all judged)."""
        return {AWS_PROJECT: cls.AWS, KUBERNETES_PROJECT: cls.KUBERNETES}.get(project, cls.ALL)
