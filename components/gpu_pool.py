"""GpuNodePool: one EKS managed node group of GPU nodes, tainted for its tenant and hardened."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.context import TenantContext
from components.node_group import hardened_node_group
from components.validation import problem, refuse_invalid, size_problems
from landingzone.config import MAX_GPU_NODES, GpuSharing
from landingzone.gpu import MIG_DISABLED, load_catalog

NVIDIA_AMI_TYPE = "AL2023_x86_64_NVIDIA"
MIG_CONFIG_LABEL = "nvidia.com/mig.config"


@dataclass
class GpuNodePoolArgs:
    tenant: TenantContext
    """The tenant; nodes are tainted `tenant=<id>:NoSchedule` and labelled `tenant=<id>`. No default."""
    pool_name: str
    """Pool name; the node group is `<tenant>-<pool>`. No default."""
    cluster_name: pulumi.Input[str]
    """The tenant's EKS cluster; no default."""
    node_role_arn: pulumi.Input[str]
    """The tenant's node role; no default."""
    subnet_ids: list[pulumi.Input[str]]
    """Private subnets only; no default."""
    security_group_ids: list[pulumi.Input[str]]
    """The network's workloads security group: with it EKS adds no cluster group, so egress stays
    limited to the VPC and the allowlist (DATA-02); no default."""
    data_key_arn: pulumi.Input[str]
    """Encrypts the nodes' volumes (GPU-05); no default."""
    instance_type: str
    """A GPU instance type from the catalog; no default."""
    sharing: GpuSharing = GpuSharing.DEDICATED
    """`dedicated` (default): whole GPUs per pod. `mig`: hardware MIG partitions."""
    mig_layout: str | None = None
    """With mig (required there): the nvidia.com/mig.config layout, valid for the GPU (catalog); default
    None."""
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

    def labels(self) -> dict[str, str]:
        labels = {"tenant": self.tenant.id, "gpu-sharing": self.sharing.value, "gpu-pool": self.pool_name}
        if self.sharing is GpuSharing.MIG and self.mig_layout:
            labels[MIG_CONFIG_LABEL] = self.mig_layout
        elif load_catalog().instance(self.instance_type).gpu.supports_mig:
            # MIG-capable GPUs in a dedicated pool are pinned whole, so no one repartitions them later.
            labels[MIG_CONFIG_LABEL] = MIG_DISABLED
        return labels


def _problems(args: GpuNodePoolArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    catalog = load_catalog()
    if args.instance_type not in catalog.instance_types:
        problems.append(problem("instance_type", f"{args.instance_type!r} is not in the GPU catalog"))
    else:
        gpu = catalog.instance(args.instance_type).gpu
        if args.sharing is GpuSharing.MIG and args.mig_layout not in set(gpu.layouts()) - {MIG_DISABLED}:
            problems.append(problem("mig_layout", f"{args.mig_layout!r} is not valid for {gpu.name}"))
        if args.sharing is GpuSharing.DEDICATED and args.mig_layout not in (None, MIG_DISABLED):
            problems.append(problem("mig_layout", "only allowed with sharing mig"))
    problems += size_problems(args.min_size, args.max_size, 0, MAX_GPU_NODES, cap_reason=" (GPU-04)")
    return problems


class GpuNodePool(pulumi.ComponentResource):
    """Launch template (IMDSv2, hop limit 1, encrypted EBS, no SSH) plus the managed node group."""

    node_group: aws.eks.NodeGroup
    launch_template: aws.ec2.LaunchTemplate

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        refuse_invalid("GpuNodePool", name, _problems(args))
        super().__init__("mlops:landingzone:GpuNodePool", name, None, opts)
        taints: list[aws.eks.NodeGroupTaintArgsDict] = [
            {"key": "tenant", "value": args.tenant.id, "effect": "NO_SCHEDULE"}
        ]
        if args.quarantined:
            # Nothing new schedules, nothing running is evicted (NoSchedule, not NoExecute).
            taints.append({"key": "landingzone/incident", "value": "quarantined", "effect": "NO_SCHEDULE"})
        pool = hardened_node_group(
            name,
            parent=self,
            tenant=args.tenant,
            node_group_name=f"{args.tenant.id}-{args.pool_name}",
            cluster_name=args.cluster_name,
            node_role_arn=args.node_role_arn,
            subnet_ids=args.subnet_ids,
            security_group_ids=args.security_group_ids,
            data_key_arn=args.data_key_arn,
            node_role_attachments=args.node_role_attachments,
            instance_type=args.instance_type,
            ami_type=NVIDIA_AMI_TYPE,
            disk_size_gib=args.disk_size_gib,
            min_size=args.min_size,
            max_size=args.max_size,
            labels=args.labels(),
            taints=taints,
            node_tags=args.tenant.tagging.tags(**{"gpu-pool": args.pool_name}),
        )
        self.launch_template, self.node_group = pool.launch_template, pool.node_group
        self.register_outputs({"node_group_name": self.node_group.node_group_name})
