"""SystemNodePool: a small node group for cluster add-ons (CoreDNS, CNI helpers), never tenant workloads.

GPU nodes carry the tenant taint and may scale to zero, so without these nodes CoreDNS would stay
Pending and nothing in the cluster could resolve a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.context import TenantContext
from components.node_group import hardened_node_group
from components.validation import refuse_invalid, size_problems

STANDARD_AMI_TYPE = "AL2023_x86_64_STANDARD"
MAX_SYSTEM_NODES = 10
SYSTEM_DISK_GIB = 50
# EKS add-ons (CoreDNS among them) tolerate this taint; ordinary workloads do not.
ADDONS_TAINT: aws.eks.NodeGroupTaintArgsDict = {
    "key": "CriticalAddonsOnly",
    "value": "true",
    "effect": "NO_SCHEDULE",
}


@dataclass
class SystemNodePoolArgs:
    tenant: TenantContext
    """The tenant; the node group is `<tenant>-system`. No default."""
    cluster_name: pulumi.Input[str]
    """The tenant's EKS cluster; no default."""
    node_role_arn: pulumi.Input[str]
    """The tenant's node role; no default."""
    subnet_ids: list[pulumi.Input[str]]
    """Private subnets only; no default."""
    security_group_ids: list[pulumi.Input[str]]
    """The network's workloads security group (same egress limits as every tenant node); no default."""
    data_key_arn: pulumi.Input[str]
    """Encrypts the nodes' volumes; no default."""
    instance_type: str = "m7i.large"
    """Instance type; default m7i.large."""
    min_size: int = 2
    """Minimum nodes; default 2, so CoreDNS survives losing one."""
    max_size: int = 3
    """Maximum nodes; default 3, at most 10."""
    node_role_attachments: list[pulumi.Resource] = field(default_factory=list)
    """The node role's policy attachments, which the node group waits for; default none."""


def _problems(args: SystemNodePoolArgs) -> list[pulumi.InputPropertyErrorDetails]:
    return size_problems(
        args.min_size, args.max_size, 1, MAX_SYSTEM_NODES, floor_reason=": CoreDNS needs a node"
    )


class SystemNodePool(pulumi.ComponentResource):
    """The hardened node group (components.node_group) with the add-ons taint, for cluster add-ons only."""

    node_group: aws.eks.NodeGroup
    launch_template: aws.ec2.LaunchTemplate

    def __init__(
        self, name: str, args: SystemNodePoolArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        refuse_invalid("SystemNodePool", name, _problems(args))
        super().__init__("mlops:landingzone:SystemNodePool", name, None, opts)
        pool = hardened_node_group(
            name,
            parent=self,
            tenant=args.tenant,
            node_group_name=f"{args.tenant.id}-system",
            cluster_name=args.cluster_name,
            node_role_arn=args.node_role_arn,
            subnet_ids=args.subnet_ids,
            security_group_ids=args.security_group_ids,
            data_key_arn=args.data_key_arn,
            node_role_attachments=args.node_role_attachments,
            instance_type=args.instance_type,
            ami_type=STANDARD_AMI_TYPE,
            disk_size_gib=SYSTEM_DISK_GIB,
            min_size=args.min_size,
            max_size=args.max_size,
            labels={"tenant": args.tenant.id, "node-role": "system"},
            taints=[ADDONS_TAINT],
            node_tags=args.tenant.tagging.tags(**{"node-role": "system"}),
        )
        self.launch_template, self.node_group = pool.launch_template, pool.node_group
        self.register_outputs({"node_group_name": self.node_group.node_group_name})
