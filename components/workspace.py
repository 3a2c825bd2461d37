"""TenantWorkspace: one isolated Kubernetes namespace per environment, with its own cloud identity.

Workload identity is EKS Pod Identity: the role trusts `pods.eks.amazonaws.com` and conditions on the
session tags EKS Pod Identity sets (namespace, service account, cluster), and one
PodIdentityAssociation per environment binds that service account to the role. Every value is a
plain string (role ARNs spelled out from account and name), so a first preview sees the whole trust.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from components import iam
from components.tags import Tagging
from landingzone.parts import DeployPart

SERVICE_ACCOUNT = "workload"
MAX_SESSION_SECONDS = 3600
POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com"
ARTIFACT_PURPOSES = ("dataset", "checkpoint", "feature-store", "experiment-tracking", "artifacts")
# Only training writes models; promotion and deployment belong to other identities (PROV-07).
MODEL_WRITERS = frozenset({"train"})


@dataclass
class TenantWorkspaceArgs:
    tenant_id: str
    """The tenant; namespaces are `<tenant>-<environment>`."""
    account_id: str
    """The AWS account (from config)."""
    region: str
    """The stack's region."""
    environments: list[str]
    """Environments to create (dev, eval, train, staging, prod), one namespace each."""
    quotas: Mapping[str, Mapping[str, str]]
    """Per environment: the ResourceQuota `hard` map (cpu, memory, GPUs, MIG slices)."""
    bucket_names: Mapping[str, str]
    """purpose -> bucket name, for the workload roles' least-privilege policies."""
    kubeconfig: pulumi.Input[str] | None
    """The tenant cluster's kubeconfig; the workspace builds its own Kubernetes provider from it.
    Required unless `part` is AWS."""
    cluster_name: str
    """The tenant cluster's name (known before creation), named in the roles' trust and associations."""
    tagging: Tagging
    """The tenant's tag vocabulary."""
    quarantined: bool = False
    """Default False. True (the tenant is quarantined, `landingzone:incident`): the default-deny policy
    drops its DNS allowance, so the namespace denies all traffic (components/incident.py adds the rest)."""
    cluster_dependencies: list[pulumi.Resource] = field(default_factory=list)
    """What the associations wait for: the cluster and its pod identity agent add-on; default none."""
    part: DeployPart = DeployPart.ALL
    """Which half to register: AWS (roles, policies, associations), KUBERNETES (namespace objects and
    service accounts) or ALL; default ALL."""

    def __post_init__(self) -> None:
        problems = []
        missing = sorted(set(self.environments) - set(self.quotas))
        if missing:
            problems.append(f"quotas missing for environments {missing} (GPU-04)")
        unbounded = sorted(env for env, hard in self.quotas.items() if "requests.nvidia.com/gpu" not in hard)
        if unbounded:
            problems.append(f"quotas of {unbounded} leave requests.nvidia.com/gpu unbounded (GPU-04)")
        if self.part.kubernetes and self.kubeconfig is None:
            problems.append(f"kubeconfig is required for part {self.part.value}")
        if problems:
            raise ValueError("; ".join(problems))


class TenantWorkspace(pulumi.ComponentResource):
    """Per environment: restricted namespace, default-deny network policy, quota, limits, Pod Identity."""

    provider: k8s.Provider | None
    namespaces: dict[str, k8s.core.v1.Namespace]
    roles: dict[str, aws.iam.Role]
    associations: dict[str, aws.eks.PodIdentityAssociation]

    def __init__(
        self, name: str, args: TenantWorkspaceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops:landingzone:TenantWorkspace", name, None, opts)
        self._args = args
        self.provider = None
        if args.part.kubernetes:
            self.provider = k8s.Provider(
                f"{name}-k8s",
                kubeconfig=args.kubeconfig,
                enable_server_side_apply=True,
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.namespaces = {}
        self.roles = {}
        self.associations = {}
        for env in args.environments:
            self._environment(f"{name}-{env}", env)
        self.register_outputs(
            {
                "namespaces": [f"{args.tenant_id}-{env}" for env in args.environments],
                "workload_role_arns": {env: role.arn for env, role in self.roles.items()},
            }
        )

    def _environment(self, name: str, env: str) -> None:
        namespace_name = f"{self._args.tenant_id}-{env}"
        if self._args.part.kubernetes:
            self._namespace(name, env, namespace_name)
        if self._args.part.aws:
            self._identity(name, env, namespace_name)

    def _namespace(self, name: str, env: str, namespace_name: str) -> None:
        args = self._args
        labels = args.tagging.labels(env)
        k8s_opts = pulumi.ResourceOptions(parent=self, provider=self.provider)
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata={
                "name": namespace_name,
                "labels": {
                    **labels,
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                    "pod-security.kubernetes.io/audit": "restricted",
                    "pod-security.kubernetes.io/warn": "restricted",
                },
            },
            opts=k8s_opts,
        )

        def metadata(object_name: str, **annotations: str) -> k8s.meta.v1.ObjectMetaArgs:
            return k8s.meta.v1.ObjectMetaArgs(
                name=object_name,
                namespace=namespace.metadata.name,
                labels=labels,
                annotations=annotations or None,
            )

        k8s.networking.v1.NetworkPolicy(
            f"{name}-default-deny",
            metadata=metadata("default-deny"),
            spec={
                "pod_selector": {},
                "policy_types": ["Ingress", "Egress"],
                "egress": []
                if args.quarantined
                else [
                    {
                        "to": [
                            {
                                "namespace_selector": {
                                    "match_labels": {"kubernetes.io/metadata.name": "kube-system"}
                                },
                            }
                        ],
                        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                    }
                ],
            },
            opts=k8s_opts,
        )
        k8s.core.v1.ResourceQuota(
            f"{name}-quota",
            metadata=metadata("tenant-quota"),
            spec={"hard": dict(args.quotas[env])},
            opts=k8s_opts,
        )
        k8s.core.v1.LimitRange(
            f"{name}-limits",
            metadata=metadata("container-defaults"),
            spec={
                "limits": [
                    {
                        "type": "Container",
                        "default": {"cpu": "1", "memory": "2Gi"},
                        "default_request": {"cpu": "250m", "memory": "512Mi"},
                    }
                ]
            },
            opts=k8s_opts,
        )
        k8s.core.v1.ServiceAccount(
            f"{name}-service-account",
            metadata=metadata(SERVICE_ACCOUNT),
            # The pod identity agent injects its own projected token; the API token stays unmounted.
            automount_service_account_token=False,
            opts=k8s_opts,
        )
        self.namespaces[env] = namespace

    def _identity(self, name: str, env: str, namespace_name: str) -> None:
        """Role, its policy and the association: AWS API only, so deployable from outside the VPC."""
        args = self._args
        role = self._workload_role(name, env, namespace_name)
        self.associations[env] = aws.eks.PodIdentityAssociation(
            f"{name}-pod-identity",
            cluster_name=args.cluster_name,
            namespace=namespace_name,
            service_account=SERVICE_ACCOUNT,
            # Spelled out rather than role.arn: known in a first preview, so policies can match it.
            role_arn=iam.role_arn(args.account_id, role_name(args, env)),
            # The trust policy's conditions read these session tags; never disable them.
            disable_session_tags=False,
            tags=args.tagging.tags(env),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[role, *args.cluster_dependencies]),
        )
        self.roles[env] = role

    def _workload_role(self, name: str, env: str, namespace_name: str) -> aws.iam.Role:
        args = self._args
        role = aws.iam.Role(
            f"{name}-workload-role",
            name=role_name(args, env),
            assume_role_policy=pod_identity_trust(args, namespace_name),
            max_session_duration=MAX_SESSION_SECONDS,
            tags=args.tagging.tags(env),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.iam.RolePolicy(
            f"{name}-workload-policy",
            role=role.name,
            policy=workload_policy(args, env),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return role


def pod_identity_trust(args: TenantWorkspaceArgs, namespace: str) -> str:
    """EKS Pod Identity may assume the role for exactly one service account of one cluster's namespace.

    The keys are the session tags EKS Pod Identity sets on every assume (aws:RequestTag/...); the
    account condition closes the confused-deputy path.
    """
    return iam.document(
        {
            "Sid": "EksPodIdentity",
            "Effect": "Allow",
            "Principal": {"Service": POD_IDENTITY_SERVICE},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {
                "StringEquals": {
                    "aws:SourceAccount": args.account_id,
                    "aws:RequestTag/eks-cluster-name": args.cluster_name,
                    "aws:RequestTag/kubernetes-namespace": namespace,
                    "aws:RequestTag/kubernetes-service-account": SERVICE_ACCOUNT,
                }
            },
        }
    )


def role_name(args: TenantWorkspaceArgs, env: str) -> str:
    return f"{args.tenant_id}-{env}-workload"


def workload_policy(args: TenantWorkspaceArgs, env: str) -> str:
    """Least privilege for one environment: its own artifact prefixes, models read (train also writes)."""
    registry = iam.bucket_arn(args.bucket_names["model-registry"])
    artifacts = [iam.bucket_arn(n) for p, n in sorted(args.bucket_names.items()) if p in ARTIFACT_PURPOSES]
    model_actions = ["s3:GetObject", "s3:GetObjectVersion"]
    if env in MODEL_WRITERS:
        model_actions.append("s3:PutObject")
    statements: list[iam.Statement] = [
        {"Sid": "ReadModels", "Effect": "Allow", "Action": model_actions, "Resource": f"{registry}/*"},
        {"Sid": "ListModels", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": registry},
        {
            "Sid": "UseTenantKeys",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/tenant": args.tenant_id}},
        },
        {"Sid": "EcrLogin", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {
            "Sid": "PullTenantImages",
            "Effect": "Allow",
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
            "Resource": f"arn:aws:ecr:{args.region}:{args.account_id}:repository/{args.tenant_id}/*",
        },
    ]
    if artifacts:
        statements.append(
            {
                "Sid": "EnvironmentArtifacts",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": [f"{arn}/{env}/*" for arn in artifacts],
            }
        )
        statements.append(
            {
                "Sid": "ListEnvironmentArtifacts",
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": artifacts,
                "Condition": {"StringLike": {"s3:prefix": [f"{env}/*"]}},
            }
        )
    return iam.document(*statements)
