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
from components.context import TenantContext
from components.validation import problem, refuse_invalid
from landingzone.parts import DeployPart

SERVICE_ACCOUNT = "workload"
MAX_SESSION_SECONDS = 3600
POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com"
ARTIFACT_PURPOSES = ("dataset", "checkpoint", "feature-store", "experiment-tracking", "artifacts")
# Only training writes models; promotion and deployment belong to other identities (PROV-07).
MODEL_WRITERS = frozenset({"train"})


@dataclass
class TenantWorkspaceArgs:
    tenant: TenantContext
    """The tenant (namespaces are `<tenant>-<environment>`), its account and region; no default."""
    environments: list[str]
    """Environments to create (dev, eval, train, staging, prod), one namespace each; no default."""
    quotas: Mapping[str, Mapping[str, str]]
    """Per environment: the ResourceQuota `hard` map (cpu, memory, GPUs, MIG slices); no default."""
    bucket_names: Mapping[str, str]
    """purpose -> bucket name, for the workload roles' least-privilege policies; no default."""
    kubeconfig: pulumi.Input[str] | None
    """The tenant cluster's kubeconfig; the workspace builds its own Kubernetes provider from it. No
    default: required unless `part` is AWS (None there)."""
    cluster_name: str
    """The tenant cluster's name (known before creation), named in the roles' trust and associations;
    no default."""
    quarantined: bool = False
    """Default False. True (the tenant is quarantined, `landingzone:incident`): the default-deny policy
    drops its DNS allowance, so the namespace denies all traffic (components/incident.py adds the rest)."""
    cluster_dependencies: list[pulumi.Resource] = field(default_factory=list)
    """What the associations wait for: the cluster and its pod identity agent add-on; default none."""
    part: DeployPart = DeployPart.ALL
    """Which half to register: AWS (roles, policies, associations), KUBERNETES (namespace objects and
    service accounts) or ALL; default ALL."""


def _problems(args: TenantWorkspaceArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    missing = sorted(set(args.environments) - set(args.quotas))
    if missing:
        problems.append(problem("quotas", f"missing for environments {missing} (GPU-04)"))
    for env, hard in sorted(args.quotas.items()):
        if "requests.nvidia.com/gpu" not in hard:
            problems.append(problem(f"quotas.{env}", "leaves requests.nvidia.com/gpu unbounded (GPU-04)"))
    if args.part.kubernetes and args.kubeconfig is None:
        problems.append(problem("kubeconfig", f"required for part {args.part.value}"))
    return problems


class TenantWorkspace(pulumi.ComponentResource):
    """Per environment: restricted namespace, default-deny network policy, quota, limits, Pod Identity."""

    provider: k8s.Provider | None
    namespaces: dict[str, k8s.core.v1.Namespace]
    roles: dict[str, aws.iam.Role]
    associations: dict[str, aws.eks.PodIdentityAssociation]

    def __init__(
        self, name: str, args: TenantWorkspaceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        refuse_invalid("TenantWorkspace", name, _problems(args))
        super().__init__("mlops:landingzone:TenantWorkspace", name, None, opts)
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
            env_name, namespace_name = f"{name}-{env}", f"{args.tenant.id}-{env}"
            if self.provider is not None:
                self.namespaces[env] = self._namespace(env_name, args, env, namespace_name, self.provider)
            if args.part.aws:
                self.roles[env], self.associations[env] = self._identity(env_name, args, env, namespace_name)
        self.register_outputs(
            {
                "namespaces": [f"{args.tenant.id}-{env}" for env in args.environments],
                "workload_role_arns": {env: role.arn for env, role in self.roles.items()},
            }
        )

    def _namespace(
        self, name: str, args: TenantWorkspaceArgs, env: str, namespace_name: str, provider: k8s.Provider
    ) -> k8s.core.v1.Namespace:
        labels = args.tenant.tagging.labels(env)
        k8s_opts = pulumi.ResourceOptions(parent=self, provider=provider)
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
        return namespace

    def _identity(
        self, name: str, args: TenantWorkspaceArgs, env: str, namespace_name: str
    ) -> tuple[aws.iam.Role, aws.eks.PodIdentityAssociation]:
        """Role, its policy and the association: AWS API only, so deployable from outside the VPC."""
        role = self._workload_role(name, args, env, namespace_name)
        association = aws.eks.PodIdentityAssociation(
            f"{name}-pod-identity",
            cluster_name=args.cluster_name,
            namespace=namespace_name,
            service_account=SERVICE_ACCOUNT,
            # Spelled out rather than role.arn: known in a first preview, so policies can match it.
            role_arn=iam.role_arn(args.tenant.account_id, role_name(args, env)),
            # The trust policy's conditions read these session tags; never disable them.
            disable_session_tags=False,
            tags=args.tenant.tagging.tags(env),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[role, *args.cluster_dependencies]),
        )
        return role, association

    def _workload_role(
        self, name: str, args: TenantWorkspaceArgs, env: str, namespace_name: str
    ) -> aws.iam.Role:
        role = aws.iam.Role(
            f"{name}-workload-role",
            name=role_name(args, env),
            assume_role_policy=pod_identity_trust(args, namespace_name),
            max_session_duration=MAX_SESSION_SECONDS,
            tags=args.tenant.tagging.tags(env),
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
                    "aws:SourceAccount": args.tenant.account_id,
                    "aws:RequestTag/eks-cluster-name": args.cluster_name,
                    "aws:RequestTag/kubernetes-namespace": namespace,
                    "aws:RequestTag/kubernetes-service-account": SERVICE_ACCOUNT,
                }
            },
        }
    )


def role_name(args: TenantWorkspaceArgs, env: str) -> str:
    return f"{args.tenant.id}-{env}-workload"


def workload_policy(args: TenantWorkspaceArgs, env: str) -> str:
    """Least privilege for one environment: its own artifact prefixes, models read (train also writes)."""
    registry = iam.bucket_arn(args.bucket_names["model-registry"])
    artifacts = [iam.bucket_arn(n) for p, n in sorted(args.bucket_names.items()) if p in ARTIFACT_PURPOSES]
    model_actions = ["s3:GetObject", "s3:GetObjectVersion"]
    if env in MODEL_WRITERS:
        model_actions.append("s3:PutObject")
    tenant = args.tenant
    statements: list[iam.Statement] = [
        {"Sid": "ReadModels", "Effect": "Allow", "Action": model_actions, "Resource": f"{registry}/*"},
        {"Sid": "ListModels", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": registry},
        {
            "Sid": "UseTenantKeys",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/tenant": args.tenant.id}},
        },
        {"Sid": "EcrLogin", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {
            "Sid": "PullTenantImages",
            "Effect": "Allow",
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
            "Resource": f"arn:aws:ecr:{tenant.region}:{tenant.account_id}:repository/{tenant.id}/*",
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
