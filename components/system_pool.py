"""SystemNodePool: a small node group for cluster add-ons (CoreDNS, CNI helpers), never tenant workloads.

GPU nodes carry the tenant taint and may scale to zero, so without these nodes CoreDNS would stay
Pending and nothing in the cluster could resolve a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.launch_template import hardened_launch_template
from components.tags import Tagging

STANDARD_AMI_TYPE = "AL2023_x86_64_STANDARD"
# EKS add-ons (CoreDNS among them) tolerate this taint; ordinary workloads do not.
ADDONS_TAINT: aws.eks.NodeGroupTaintArgsDict = {
    "key": "CriticalAddonsOnly",
    "value": "true",
    "effect": "NO_SCHEDULE",
}


@dataclass
class SystemNodePoolArgs:
    tenant_id: str
    """The tenant; the node group is `<tenant>-system`."""
    cluster_name: pulumi.Input[str]
    """The tenant's EKS cluster."""
    node_role_arn: pulumi.Input[str]
    """The tenant's node role."""
    subnet_ids: list[pulumi.Input[str]]
    """Private subnets only."""
    security_group_ids: list[pulumi.Input[str]]
    """The network's workloads security group (same egress limits as every tenant node)."""
    data_key_arn: pulumi.Input[str]
    """Encrypts the nodes' volumes."""
    tagging: Tagging
    """The tenant's tag vocabulary."""
    instance_type: str = "m7i.large"
    """Instance type; default m7i.large."""
    min_size: int = 2
    """Minimum nodes; default 2, so CoreDNS survives losing one."""
    max_size: int = 3
    """Maximum nodes; default 3."""
    node_role_attachments: list[pulumi.Resource] = field(default_factory=list)
    """The node role's policy attachments, which the node group waits for; default none."""

    def __post_init__(self) -> None:
        if not 1 <= self.min_size <= self.max_size <= 10:
            raise ValueError(
                f"sizes must satisfy 1 <= min_size ({self.min_size}) <= max_size ({self.max_size}) <= 10"
            )


class SystemNodePool(pulumi.ComponentResource):
    node_group: aws.eks.NodeGroup
    launch_template: aws.ec2.LaunchTemplate

    def __init__(
        self, name: str, args: SystemNodePoolArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops:landingzone:SystemNodePool", name, None, opts)
        self.launch_template = hardened_launch_template(
            f"{name}-lt",
            template_name=f"{args.tenant_id}-system-lt",
            security_group_ids=args.security_group_ids,
            data_key_arn=args.data_key_arn,
            disk_size_gib=50,
            tagging=args.tagging,
            node_tags=args.tagging.tags(**{"node-role": "system"}),
            parent=self,
        )
        self.node_group = aws.eks.NodeGroup(
            f"{name}-nodes",
            cluster_name=args.cluster_name,
            node_group_name=f"{args.tenant_id}-system",
            node_role_arn=args.node_role_arn,
            subnet_ids=args.subnet_ids,
            instance_types=[args.instance_type],
            ami_type=STANDARD_AMI_TYPE,
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
            labels={"tenant": args.tenant_id, "node-role": "system"},
            taints=[ADDONS_TAINT],
            tags=args.tagging.tags(**{"node-role": "system"}),
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=args.node_role_attachments,
                ignore_changes=["scalingConfig.desiredSize"],
            ),
        )
        self.register_outputs({"node_group_name": self.node_group.node_group_name})
