"""IncidentControls: what a quarantined tenant gets on top of its landing zone (`landingzone:incident`).

- every workload role: an inline policy denying everything to sessions issued before the quarantine
  (AWS's documented revoke-older-sessions pattern: Deny * with DateLessThan aws:TokenIssueTime), so
  credentials a compromised pod already holds stop working while new, post-incident sessions can be
  issued deliberately;
- every tenant namespace: a NetworkPolicy that selects every pod and allows nothing, DNS included
  (the workspace's default-deny drops its DNS rule too: NetworkPolicies add up, so one allowing DNS
  would keep it open); running pods keep running, with their memory, for forensics;
- every responder role: a read-only (AmazonEKSViewPolicy) cluster access entry.

GPU pools are tainted NoSchedule by GpuNodePool itself. Nothing here deletes, shortens or unlocks
evidence; the packs' quarantine rules check that nothing else does either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from components import iam
from components.context import TenantContext
from components.validation import problem, refuse_invalid

VIEW_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
DENY_ALL_POLICY = "quarantine-deny-all"
INCIDENT_LABEL = "landingzone/incident"


def revoke_older_sessions(since: str) -> str:
    """The policy document denying every action to sessions whose token was issued before `since`."""
    return iam.document(
        {
            "Sid": "RevokeSessionsIssuedBeforeQuarantine",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"DateLessThan": {"aws:TokenIssueTime": since}},
        }
    )


@dataclass
class IncidentControlsArgs:
    tenant: TenantContext
    """The quarantined tenant; no default."""
    ticket: str
    """The incident ticket; labels the deny-all policies (label-safe by config validation); no default."""
    since: str
    """Quarantine start, UTC `YYYY-MM-DDTHH:MM:SSZ`: sessions issued before it are denied; no default."""
    workload_roles: Mapping[str, aws.iam.Role]
    """environment -> the workspace's workload role; no default."""
    namespaces: Mapping[str, k8s.core.v1.Namespace]
    """environment -> the workspace's namespace; no default."""
    provider: k8s.Provider
    """The workspace's Kubernetes provider (the tenant cluster); no default."""
    cluster_name: pulumi.Input[str]
    """The tenant's EKS cluster, for the responders' access entries; no default."""
    responder_role_arns: list[str] = field(default_factory=list)
    """Roles given read-only cluster access; default none."""


def _problems(args: IncidentControlsArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    if not args.since.endswith("Z"):
        problems.append(problem("since", f"{args.since!r} must be UTC (YYYY-MM-DDTHH:MM:SSZ)"))
    if set(args.workload_roles) != set(args.namespaces):
        problems.append(
            problem(
                "namespaces",
                f"environments {sorted(args.namespaces)} differ from workload_roles' "
                f"{sorted(args.workload_roles)}; required: the same environments",
            )
        )
    return problems


class IncidentControls(pulumi.ComponentResource):
    """Session revocation, deny-all traffic and read-only responder access for a quarantined tenant."""

    def __init__(
        self, name: str, args: IncidentControlsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        refuse_invalid("IncidentControls", name, _problems(args))
        super().__init__("mlops:landingzone:IncidentControls", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        k8s_opts = pulumi.ResourceOptions(parent=self, provider=args.provider)
        self.revocations = {
            env: aws.iam.RolePolicy(
                f"{name}-{env}-revoke-sessions",
                role=role.name,
                policy=revoke_older_sessions(args.since),
                opts=child,
            )
            for env, role in sorted(args.workload_roles.items())
        }
        self.deny_all = {
            env: k8s.networking.v1.NetworkPolicy(
                f"{name}-{env}-deny-all",
                metadata=k8s.meta.v1.ObjectMetaArgs(
                    name=DENY_ALL_POLICY,
                    namespace=namespace.metadata.name,
                    labels={**args.tenant.tagging.labels(env), INCIDENT_LABEL: args.ticket},
                ),
                spec={"pod_selector": {}, "policy_types": ["Ingress", "Egress"]},
                opts=k8s_opts,
            )
            for env, namespace in sorted(args.namespaces.items())
        }
        self.responders = []
        for index, role_arn in enumerate(args.responder_role_arns):
            entry = aws.eks.AccessEntry(
                f"{name}-responder-{index}",
                cluster_name=args.cluster_name,
                principal_arn=role_arn,
                tags=args.tenant.tagging.tags(),
                opts=child,
            )
            self.responders.append(
                aws.eks.AccessPolicyAssociation(
                    f"{name}-responder-{index}-view",
                    cluster_name=args.cluster_name,
                    principal_arn=role_arn,
                    policy_arn=VIEW_POLICY_ARN,
                    access_scope={"type": "cluster"},
                    opts=pulumi.ResourceOptions(parent=self, depends_on=[entry]),
                )
            )
        self.register_outputs({"ticket": args.ticket, "since": args.since})
