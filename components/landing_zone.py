"""TenantLandingZone: one tenant's complete landing zone, composed from the other components.

Long because it is the one place that wires the components together (each one's outputs into the
next one's args); every resource it registers is defined in a component of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from components.access import TenantAccess, TenantAccessArgs
from components.admission import TenantAdmission, TenantAdmissionArgs
from components.audit import AuditLogSink, AuditLogSinkArgs
from components.cluster import TenantCluster, TenantClusterArgs
from components.context import TenantContext
from components.gpu_pool import GpuNodePool, GpuNodePoolArgs
from components.incident import IncidentControls, IncidentControlsArgs
from components.keys import KeyPurpose, TenantKeys, TenantKeysArgs
from components.network import TenantNetwork, TenantNetworkArgs
from components.registry import ImmutableRegistry, ImmutableRegistryArgs
from components.secrets import SecretSpec, TenantSecrets, TenantSecretsArgs
from components.system_pool import SystemNodePool, SystemNodePoolArgs
from components.validation import problem, refuse_invalid
from components.workspace import TenantWorkspace, TenantWorkspaceArgs
from landingzone.admission import settings_from_stack
from landingzone.config import StackSettings, tenant_bucket_names
from landingzone.parts import DeployPart
from landingzone.versions import stamp

DATA_EVENT_PURPOSES = ("model-registry", "dataset", "checkpoint")


@dataclass
class TenantLandingZoneArgs:
    stack_config: StackSettings
    """The stack's validated config: tenant, platform, region and incident (landingzone.config
    `parse_settings` / `settings_from_runtime_config`); no default."""
    part: DeployPart = DeployPart.ALL
    """Which half to register (landingzone.parts); default ALL, both in one stack."""
    kubeconfig: pulumi.Input[str] | None = None
    """For part KUBERNETES only (required there): the cluster's kubeconfig, built from the AWS stack's
    outputs; default None."""


def _problems(args: TenantLandingZoneArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    if args.part is DeployPart.KUBERNETES and args.kubeconfig is None:
        problems.append(problem("kubeconfig", "required for part kubernetes (from the AWS stack's outputs)"))
    if args.part is not DeployPart.KUBERNETES and args.kubeconfig is not None:
        problems.append(
            problem(
                "kubeconfig",
                f"only allowed with part kubernetes; part {args.part.value} uses its own cluster's",
            )
        )
    if args.stack_config.incident is not None and args.part is not DeployPart.ALL:
        # IncidentControls spans both halves (roles and namespaces): a half would apply half of it.
        problems.append(
            problem(
                "part",
                f"tenant {args.stack_config.tenant.id} is quarantined (landingzone:incident): apply it with "
                "the root project from the tenant's in-VPC runner, not as the aws or kubernetes part alone",
            )
        )
    return problems


class TenantLandingZone(pulumi.ComponentResource):
    """Keys, audit sink, network, registry, cluster, node pools, workspaces and secrets of one tenant."""

    def __init__(
        self, name: str, args: TenantLandingZoneArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        refuse_invalid("TenantLandingZone", name, _problems(args))
        super().__init__("mlops:landingzone:TenantLandingZone", name, None, opts)
        stack_config = args.stack_config
        tenant, platform = stack_config.tenant, stack_config.platform
        versions = stamp()
        # Built once: every component below gets the same tenant, account, region and tags.
        context = TenantContext.of(stack_config, versions)
        buckets = tenant_bucket_names(stack_config)
        child = pulumi.ResourceOptions(parent=self)
        if args.part is DeployPart.KUBERNETES:
            self._kubernetes_part(name, args, context, buckets)
            return

        self.keys = TenantKeys(
            f"{name}-keys",
            TenantKeysArgs(tenant=context, admin_role_arn=platform.admin_role_arn),
            opts=child,
        )
        data_buckets = [f"arn:aws:s3:::{buckets[p]}" for p in DATA_EVENT_PURPOSES if p in buckets]
        self.audit = AuditLogSink(
            f"{name}-audit",
            AuditLogSinkArgs(
                tenant=context,
                logs_key_arn=self.keys.arn(KeyPurpose.LOGS),
                retention_days=tenant.retention.audit_days,
                log_retention_days=tenant.retention.log_days,
                data_event_bucket_arns=data_buckets if tenant.is_regulated else [],
                archive_bucket=platform.security_archive_bucket if tenant.is_regulated else None,
                archive_kms_key_arn=platform.security_archive_kms_key_arn if tenant.is_regulated else None,
            ),
            opts=child,
        )
        self.network = TenantNetwork(
            f"{name}-network",
            TenantNetworkArgs(
                tenant=context,
                cidr=tenant.network.cidr,
                availability_zones=list(tenant.network.availability_zones),
                flow_log_group_arn=self.audit.flow_log_group.arn,
                flow_log_group_name=self.audit.flow_log_group_name,
                tenant_bucket_names=list(buckets.values()),
                egress=tenant.network.egress,
                egress_allowlist=list(tenant.network.egress_allowlist),
            ),
            opts=child,
        )
        self.registry = ImmutableRegistry(
            f"{name}-registry",
            ImmutableRegistryArgs(
                tenant=context,
                registry_key_arn=self.keys.arn(KeyPurpose.REGISTRY),
                data_key_arn=self.keys.arn(KeyPurpose.DATA),
                lock_mode=tenant.registry_lock_mode,
                registry_retention_days=tenant.retention.registry_days,
                repositories=list(tenant.registry.repositories),
                artifact_purposes=[p.value for p in tenant.registry.artifact_buckets],
                artifact_expiry_days=tenant.retention.artifact_days,
            ),
            opts=child,
        )
        subnet_ids = [subnet.id for subnet in self.network.private_subnets]
        self.cluster = TenantCluster(
            f"{name}-cluster",
            TenantClusterArgs(
                tenant=context,
                subnet_ids=list(subnet_ids),
                control_plane_security_group_id=self.network.control_plane_security_group.id,
                secrets_key_arn=self.keys.arn(KeyPurpose.SECRETS),
                logs_key_arn=self.keys.arn(KeyPurpose.LOGS),
                admin_role_arn=platform.admin_role_arn,
                kubernetes_version=platform.kubernetes_version,
                log_retention_days=tenant.retention.log_days,
            ),
            opts=child,
        )
        self.system_pool = SystemNodePool(
            f"{name}-system",
            SystemNodePoolArgs(
                tenant=context,
                cluster_name=self.cluster.cluster.name,
                node_role_arn=self.cluster.node_role.arn,
                subnet_ids=list(subnet_ids),
                security_group_ids=[self.network.workload_security_group.id],
                data_key_arn=self.keys.arn(KeyPurpose.DATA),
                node_role_attachments=list(self.cluster.node_policies),
            ),
            opts=child,
        )
        self.gpu_pools = [
            GpuNodePool(
                f"{name}-gpu-{pool.name}",
                GpuNodePoolArgs(
                    tenant=context,
                    pool_name=pool.name,
                    cluster_name=self.cluster.cluster.name,
                    node_role_arn=self.cluster.node_role.arn,
                    subnet_ids=list(subnet_ids),
                    security_group_ids=[self.network.workload_security_group.id],
                    data_key_arn=self.keys.arn(KeyPurpose.DATA),
                    instance_type=pool.instance_type,
                    sharing=pool.sharing,
                    mig_layout=pool.mig_layout,
                    min_size=pool.min_size,
                    max_size=pool.max_size,
                    disk_size_gib=pool.disk_size_gib,
                    node_role_attachments=list(self.cluster.node_policies),
                    quarantined=stack_config.incident is not None,
                ),
                opts=child,
            )
            for pool in tenant.gpu_pools
        ]
        self.workspace = TenantWorkspace(
            f"{name}-workspace",
            TenantWorkspaceArgs(
                tenant=context,
                environments=[env.value for env in tenant.environments],
                quotas={env.value: tenant.namespace_quota(env) for env in tenant.environments},
                bucket_names=buckets,
                kubeconfig=self.cluster.kubeconfig() if args.part.kubernetes else None,
                cluster_name=self.cluster.cluster_name,
                quarantined=stack_config.incident is not None,
                cluster_dependencies=[self.cluster.cluster, self.cluster.pod_identity_agent],
                part=args.part,
            ),
            opts=child,
        )
        # The catalog's in-cluster controls, enforced on everything that reaches the cluster API
        # (kubectl, Kubeflow, Argo...), not only on what goes through `pulumi up`.
        # In a two-part deployment the AWS part has no Kubernetes provider: the in-cluster part installs them.
        self.admission = (
            self._admission(name, args, _provider_of(self.workspace)) if args.part.kubernetes else None
        )
        self.access = TenantAccess(
            f"{name}-access",
            TenantAccessArgs(
                tenant=context,
                cluster_name=self.cluster.cluster.name,
                namespaces={env: f"{tenant.id}-{env.value}" for env in tenant.environments},
                access=tenant.access,
            ),
            opts=child,
        )
        self.incident = None
        if stack_config.incident is not None:
            self.incident = IncidentControls(
                f"{name}-incident",
                IncidentControlsArgs(
                    tenant=context,
                    ticket=stack_config.incident.ticket,
                    since=stack_config.incident.since,
                    workload_roles=self.workspace.roles,
                    namespaces=self.workspace.namespaces,
                    provider=_provider_of(self.workspace),
                    cluster_name=self.cluster.cluster.name,
                    responder_role_arns=list(stack_config.incident.responder_role_arns),
                ),
                opts=child,
            )
        self.secrets = None
        if tenant.secrets and platform.rotation_lambda_arn:
            self.secrets = TenantSecrets(
                f"{name}-secrets",
                TenantSecretsArgs(
                    tenant=context,
                    secrets_key_arn=self.keys.arn(KeyPurpose.SECRETS),
                    rotation_lambda_arn=platform.rotation_lambda_arn,
                    secrets=[SecretSpec(s.name, s.description, s.rotation_days) for s in tenant.secrets],
                ),
                opts=child,
            )
        self.outputs = {
            "tenant": tenant.id,
            "tier": tenant.tier.value,
            "vpc_id": self.network.vpc.id,
            "cluster_name": self.cluster.cluster.name,
            # What the in-cluster stack reads through its stack reference.
            "cluster_endpoint": self.cluster.cluster.endpoint,
            "cluster_certificate_authority": self.cluster.cluster.certificate_authority.apply(
                lambda ca: ca.data if ca else ""
            ),
            "workload_role_arns": {env: role.arn for env, role in self.workspace.roles.items()},
            "model_registry_bucket": buckets["model-registry"],
            "audit_log_bucket": buckets["audit-log"],
            "trail_arn": self.audit.trail.arn,
            "repository_urls": {k: r.repository_url for k, r in self.registry.repositories.items()},
            "namespaces": [f"{tenant.id}-{env.value}" for env in tenant.environments],
            "gpu_node_groups": [f"{tenant.id}-{pool.name}" for pool in tenant.gpu_pools],
            # Which controls were active: the project and control-catalog versions this stack deployed.
            "landingzone_versions": versions,
        }
        if stack_config.incident is not None:
            self.outputs["incident"] = {
                "ticket": stack_config.incident.ticket,
                "since": stack_config.incident.since,
            }
        self.register_outputs(self.outputs)

    def _kubernetes_part(
        self, name: str, args: TenantLandingZoneArgs, context: TenantContext, buckets: dict[str, str]
    ) -> None:
        """Only the workspace's Kubernetes objects: the rest lives in the AWS stack."""
        tenant = args.stack_config.tenant
        self.workspace = TenantWorkspace(
            f"{name}-workspace",
            TenantWorkspaceArgs(
                tenant=context,
                environments=[env.value for env in tenant.environments],
                quotas={env.value: tenant.namespace_quota(env) for env in tenant.environments},
                bucket_names=buckets,
                kubeconfig=args.kubeconfig,
                cluster_name=f"{tenant.id}-cluster",
                part=DeployPart.KUBERNETES,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.admission = self._admission(name, args, _provider_of(self.workspace))
        self.outputs = {
            "tenant": tenant.id,
            "namespaces": [f"{tenant.id}-{env.value}" for env in tenant.environments],
        }
        self.register_outputs(self.outputs)

    def _admission(self, name: str, args: TenantLandingZoneArgs, provider: k8s.Provider) -> TenantAdmission:
        return TenantAdmission(
            f"{name}-admission",
            TenantAdmissionArgs(settings=settings_from_stack(args.stack_config), provider=provider),
            opts=pulumi.ResourceOptions(parent=self),
        )


def _provider_of(workspace: TenantWorkspace) -> k8s.Provider:
    """The workspace's Kubernetes provider, which every part with Kubernetes objects registers."""
    if workspace.provider is None:
        raise ValueError(
            "the workspace registered no Kubernetes provider: its part has no Kubernetes objects"
        )
    return workspace.provider
