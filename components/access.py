"""TenantAccess: namespace-scoped EKS access entries for the tenant's people and CI, one duty each.

Separation of duties (PROV-07) at run time: developers edit only the build environments (dev, eval,
train: where the train workload identity publishes models), deployers edit only the serving
environments (staging, prod: whose workload identities cannot write the registry), approvers only
view. No identity holds two duties (the config model rejects it), none is a workload or node role, and
every association is scoped to namespaces, never the cluster. What EKS's edit policy still allows
in a namespace (NetworkPolicies, ServiceAccounts, workloads) is judged by the admission policies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.context import TenantContext
from landingzone.config import AccessConfig, AccessRole, Environment

EDIT_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
BUILD = (Environment.DEV, Environment.EVAL, Environment.TRAIN)
SERVING = (Environment.STAGING, Environment.PROD)
DUTIES: dict[AccessRole, tuple[str, tuple[Environment, ...]]] = {
    AccessRole.DEVELOPER: (EDIT_POLICY, BUILD),
    AccessRole.DEPLOYER: (EDIT_POLICY, SERVING),
    AccessRole.APPROVER: (VIEW_POLICY, (*BUILD, *SERVING)),
}


@dataclass(frozen=True)
class Grant:
    """One identity's access: its duty, the EKS access policy and the namespaces it is scoped to."""

    duty: AccessRole
    principal_arn: str
    policy_arn: str
    namespaces: tuple[str, ...]


def access_plan(access: AccessConfig, namespaces: Mapping[Environment, str]) -> list[Grant]:
    """Every identity of `access` with the namespaces its duty covers among the tenant's environments."""
    grants = []
    for duty, (policy_arn, environments) in DUTIES.items():
        scoped = tuple(namespaces[env] for env in environments if env in namespaces)
        for arn in getattr(access, duty.value):
            if scoped:
                grants.append(Grant(duty, arn, policy_arn, scoped))
    return grants


@dataclass
class TenantAccessArgs:
    tenant: TenantContext
    """The tenant, whose tags (TEN-01) every access entry carries; no default."""
    cluster_name: pulumi.Input[str]
    """The tenant's EKS cluster (authentication mode API); no default."""
    namespaces: Mapping[Environment, str]
    """Environment -> namespace name of the tenant's environments; no default."""
    access: AccessConfig
    """The tenant's identities by duty (landingzone:tenant.access, validated); no default (the config's
    default is no identities)."""


class TenantAccess(pulumi.ComponentResource):
    """An access entry and one namespace-scoped access policy association per tenant identity."""

    entries: list[aws.eks.AccessEntry]

    def __init__(self, name: str, args: TenantAccessArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops:landingzone:TenantAccess", name, None, opts)
        # The config model has validated duties (one per identity, never a machine role, an environment
        # for each duty); an identity whose duty covers none of the environments gets no entry at all.
        self.entries = []
        counts: dict[AccessRole, int] = {}
        for grant in access_plan(args.access, args.namespaces):
            index = counts[grant.duty] = counts.get(grant.duty, -1) + 1
            child = f"{name}-{grant.duty.value}-{index}"
            entry = aws.eks.AccessEntry(
                f"{child}-entry",
                cluster_name=args.cluster_name,
                principal_arn=grant.principal_arn,
                type="STANDARD",
                tags=args.tenant.tagging.tags(),
                opts=pulumi.ResourceOptions(parent=self),
            )
            aws.eks.AccessPolicyAssociation(
                f"{child}-policy",
                cluster_name=args.cluster_name,
                principal_arn=grant.principal_arn,
                policy_arn=grant.policy_arn,
                access_scope={"type": "namespace", "namespaces": list(grant.namespaces)},
                opts=pulumi.ResourceOptions(parent=self, depends_on=[entry]),
            )
            self.entries.append(entry)
        self.register_outputs(
            {"principals": [g.principal_arn for g in access_plan(args.access, args.namespaces)]}
        )
