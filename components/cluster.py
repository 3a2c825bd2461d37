"""TenantCluster: a private EKS control plane with encrypted secrets, full audit logging and Pod Identity."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components import iam
from components.context import TenantContext
from components.validation import problem, refuse_invalid

CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonEKS_CNI_Policy"]


@dataclass
class TenantClusterArgs:
    tenant: TenantContext
    """The tenant; the cluster is `<tenant>-cluster`. No default."""
    subnet_ids: list[pulumi.Input[str]]
    """Private subnets for the control-plane ENIs and nodes; no default."""
    control_plane_security_group_id: pulumi.Input[str]
    """The network's control-plane security group (talks to tenant nodes only); no default."""
    secrets_key_arn: pulumi.Input[str]
    """Envelope-encrypts Kubernetes secrets (DATA-04); no default."""
    logs_key_arn: pulumi.Input[str]
    """Encrypts the control-plane log group; no default."""
    admin_role_arn: str
    """The platform admin role, granted cluster admin through an EKS access entry; no default."""
    kubernetes_version: str = "1.33"
    """EKS version; default 1.33."""
    log_retention_days: int = 90
    """Control-plane log retention; default 90 (AUD-03 minimum)."""
    log_types: list[str] = field(default_factory=lambda: list(CONTROL_PLANE_LOG_TYPES))
    """Control-plane log types; default all five (AUD-05 requires api, audit, authenticator)."""


def _problems(args: TenantClusterArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    missing = sorted({"api", "audit", "authenticator"} - set(args.log_types))
    if missing:
        problems.append(problem("log_types", f"must include {missing} (AUD-05)"))
    if args.log_retention_days < 90:
        problems.append(problem("log_retention_days", f"{args.log_retention_days} is below 90 (AUD-03)"))
    return problems


class TenantCluster(pulumi.ComponentResource):
    """EKS cluster (private endpoint only), the pod identity agent for workload identity, the node role.

    No IAM OIDC provider: workloads use EKS Pod Identity, whose trust names a service principal
    instead of the cluster's issuer (assigned at creation, unknown in a first preview).
    """

    cluster: aws.eks.Cluster
    pod_identity_agent: aws.eks.Addon
    node_role: aws.iam.Role
    cluster_name: str

    def __init__(
        self, name: str, args: TenantClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        refuse_invalid("TenantCluster", name, _problems(args))
        super().__init__("mlops:landingzone:TenantCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.cluster_name = f"{args.tenant.id}-cluster"
        cluster_role = aws.iam.Role(
            f"{name}-cluster-role",
            name=f"{args.tenant.id}-eks-cluster",
            assume_role_policy=iam.eks_trust(),
            max_session_duration=3600,
            tags=args.tenant.tagging.tags(),
            opts=child,
        )
        cluster_policy = aws.iam.RolePolicyAttachment(
            f"{name}-cluster-policy",
            role=cluster_role.name,
            policy_arn=iam.managed_policy("AmazonEKSClusterPolicy"),
            opts=child,
        )
        # EKS would create this group itself, unencrypted and kept forever; creating it first wins.
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-control-plane-logs",
            name=f"/aws/eks/{self.cluster_name}/cluster",
            retention_in_days=args.log_retention_days,
            kms_key_id=args.logs_key_arn,
            tags=args.tenant.tagging.tags(),
            opts=child,
        )
        self.cluster = aws.eks.Cluster(
            f"{name}-eks",
            name=self.cluster_name,
            role_arn=cluster_role.arn,
            version=args.kubernetes_version,
            vpc_config={
                "subnet_ids": args.subnet_ids,
                "security_group_ids": [args.control_plane_security_group_id],
                "endpoint_private_access": True,
                "endpoint_public_access": False,
            },
            encryption_config={"provider": {"key_arn": args.secrets_key_arn}, "resources": ["secrets"]},
            enabled_cluster_log_types=args.log_types,
            access_config={
                "authentication_mode": "API",
                "bootstrap_cluster_creator_admin_permissions": False,
            },
            tags=args.tenant.tagging.tags(),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[cluster_policy, log_group]),
        )
        admin_entry = aws.eks.AccessEntry(
            f"{name}-platform-admin",
            cluster_name=self.cluster.name,
            principal_arn=args.admin_role_arn,
            tags=args.tenant.tagging.tags(),
            opts=child,
        )
        aws.eks.AccessPolicyAssociation(
            f"{name}-platform-admin-policy",
            cluster_name=self.cluster.name,
            principal_arn=args.admin_role_arn,
            policy_arn="arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            access_scope={"type": "cluster"},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[admin_entry]),
        )
        # The agent (a DaemonSet on every node) exchanges a pod's projected token for role credentials;
        # the node role's AmazonEKSWorkerNodePolicy grants it eks-auth:AssumeRoleForPodIdentity.
        self.pod_identity_agent = aws.eks.Addon(
            f"{name}-pod-identity-agent",
            cluster_name=self.cluster.name,
            addon_name="eks-pod-identity-agent",
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="OVERWRITE",
            tags=args.tenant.tagging.tags(),
            opts=child,
        )
        self.node_role = aws.iam.Role(
            f"{name}-node-role",
            name=f"{args.tenant.id}-eks-node",
            assume_role_policy=iam.ec2_trust(),
            max_session_duration=3600,
            tags=args.tenant.tagging.tags(),
            opts=child,
        )
        self.node_policies = [
            aws.iam.RolePolicyAttachment(
                f"{name}-node-{policy}",
                role=self.node_role.name,
                policy_arn=iam.managed_policy(policy),
                opts=child,
            )
            for policy in NODE_POLICIES
        ]
        self.register_outputs(
            {
                "cluster_name": self.cluster.name,
                "node_role_arn": self.node_role.arn,
            }
        )

    def kubeconfig(self) -> pulumi.Output[str]:
        """A kubeconfig that authenticates with `aws eks get-token`, for the Kubernetes provider."""
        return pulumi.Output.all(
            self.cluster.endpoint, self.cluster.certificate_authority.apply(lambda ca: ca.data if ca else "")
        ).apply(lambda parts: kubeconfig_for(self.cluster_name, parts[0], parts[1]))


def kubeconfig_for(cluster_name: str, endpoint: str, ca_data: str) -> str:
    """A kubeconfig for the cluster; also what the in-cluster stack builds from the AWS stack's outputs."""
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {"name": cluster_name, "cluster": {"server": endpoint, "certificate-authority-data": ca_data}}
            ],
            "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": cluster_name}}],
            "current-context": cluster_name,
            "users": [
                {
                    "name": cluster_name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "aws",
                            "args": ["eks", "get-token", "--cluster-name", cluster_name, "--output", "json"],
                        }
                    },
                }
            ],
        }
    )
