"""GpuNodePool: one EKS managed node group of GPU nodes, tainted for its tenant and hardened."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.launch_template import hardened_launch_template
from components.tags import Tagging
from landingzone.config import MAX_GPU_NODES, GpuSharing
from landingzone.gpu import MIG_DISABLED, load_catalog

NVIDIA_AMI_TYPE = "AL2023_x86_64_NVIDIA"
MIG_CONFIG_LABEL = "nvidia.com/mig.config"


@dataclass
class GpuNodePoolArgs:
    tenant_id: str
    """The tenant; nodes are tainted `tenant=<id>:NoSchedule` and labelled `tenant=<id>`."""
    pool_name: str
    """Pool name; the node group is `<tenant>-<pool>`."""
    cluster_name: pulumi.Input[str]
    """The tenant's EKS cluster."""
    node_role_arn: pulumi.Input[str]
    """The tenant's node role."""
    subnet_ids: list[pulumi.Input[str]]
    """Private subnets only."""
    security_group_ids: list[pulumi.Input[str]]
    """The network's workloads security group: with it EKS adds no cluster group, so egress stays
    limited to the VPC and the allowlist (DATA-02)."""
    data_key_arn: pulumi.Input[str]
    """Encrypts the nodes' volumes (GPU-05)."""
    instance_type: str
    """A GPU instance type from the catalog."""
    tagging: Tagging
    """The tenant's tag vocabulary."""
    sharing: GpuSharing = GpuSharing.DEDICATED
    """`dedicated` (default): whole GPUs per pod. `mig`: hardware MIG partitions."""
    mig_layout: str | None = None
    """With mig: the nvidia.com/mig.config layout; must be valid for the GPU (catalog)."""
    min_size: int = 0
    """Minimum nodes; default 0."""
    max_size: int = 2
    """Maximum nodes; default 2, at most 16 (GPU-04)."""
    disk_size_gib: int = 200
    """Root volume; default 200 GiB (images and model weights are large)."""
    node_role_attachments: list[pulumi.Resource] = field(default_factory=list)
    """The node role's policy attachments; default none. The node group is created after them and
    deleted before them, or nodes lose their permissions while draining."""
    quarantined: bool = False
    """Default False. True (the tenant is quarantined, `landingzone:incident`): nodes also carry the
    taint `landingzone/incident=quarantined:NoSchedule`, so no new pod lands on them while running pods,
    their memory and their disks stay in place as evidence (scaling to zero would destroy them)."""

    def __post_init__(self) -> None:
        problems = []
        catalog = load_catalog()
        if self.instance_type not in catalog.instance_types:
            problems.append(f"instance_type {self.instance_type!r} is not in the GPU catalog")
        else:
            gpu = catalog.instance(self.instance_type).gpu
            if self.sharing is GpuSharing.MIG and self.mig_layout not in set(gpu.layouts()) - {MIG_DISABLED}:
                problems.append(f"mig_layout {self.mig_layout!r} is not valid for {gpu.name}")
            if self.sharing is GpuSharing.DEDICATED and self.mig_layout not in (None, MIG_DISABLED):
                problems.append("mig_layout is only allowed with sharing mig")
        if not 0 <= self.min_size <= self.max_size <= MAX_GPU_NODES:
            problems.append(f"sizes must satisfy 0 <= min_size <= max_size <= {MAX_GPU_NODES}")
        if problems:
            raise ValueError("; ".join(problems))

    def labels(self) -> dict[str, str]:
        labels = {"tenant": self.tenant_id, "gpu-sharing": self.sharing.value, "gpu-pool": self.pool_name}
        if self.sharing is GpuSharing.MIG and self.mig_layout:
            labels[MIG_CONFIG_LABEL] = self.mig_layout
        elif load_catalog().instance(self.instance_type).gpu.supports_mig:
            # MIG-capable GPUs in a dedicated pool are pinned whole, so no one repartitions them later.
            labels[MIG_CONFIG_LABEL] = MIG_DISABLED
        return labels


class GpuNodePool(pulumi.ComponentResource):
    """Launch template (IMDSv2, hop limit 1, encrypted EBS, no SSH) plus the managed node group."""

    node_group: aws.eks.NodeGroup
    launch_template: aws.ec2.LaunchTemplate

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops:landingzone:GpuNodePool", name, None, opts)
        node_tags = args.tagging.tags(**{"gpu-pool": args.pool_name})
        self.launch_template = hardened_launch_template(
            f"{name}-lt",
            template_name=f"{args.tenant_id}-{args.pool_name}-lt",
            security_group_ids=args.security_group_ids,
            data_key_arn=args.data_key_arn,
            disk_size_gib=args.disk_size_gib,
            tagging=args.tagging,
            node_tags=node_tags,
            parent=self,
        )
        taints: list[aws.eks.NodeGroupTaintArgsDict] = [
            {"key": "tenant", "value": args.tenant_id, "effect": "NO_SCHEDULE"}
        ]
        if args.quarantined:
            # Nothing new schedules, nothing running is evicted (NoSchedule, not NoExecute).
            taints.append({"key": "landingzone/incident", "value": "quarantined", "effect": "NO_SCHEDULE"})
        self.node_group = aws.eks.NodeGroup(
            f"{name}-nodes",
            cluster_name=args.cluster_name,
            node_group_name=f"{args.tenant_id}-{args.pool_name}",
            node_role_arn=args.node_role_arn,
            subnet_ids=args.subnet_ids,
            instance_types=[args.instance_type],
            ami_type=NVIDIA_AMI_TYPE,
            capacity_type="ON_DEMAND",
            scaling_config={
                "min_size": args.min_size,
                "max_size": args.max_size,
                "desired_size": args.min_size,
            },
            update_config={"max_unavailable": 1},
            launch_template={
                "id": self.launch_template.id,
                "version": self.launch_template.latest_version.apply(str),
            },
            labels=args.labels(),
            taints=taints,
            tags=args.tagging.tags(**{"gpu-pool": args.pool_name}),
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=args.node_role_attachments,
                ignore_changes=["scalingConfig.desiredSize"],
            ),
        )
        self.register_outputs({"node_group_name": self.node_group.node_group_name})
