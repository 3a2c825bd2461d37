"""The one hardened EKS managed node group every tenant pool uses (GPU pools and the system pool, GPU-05).

Written once so no pool can drift from it: a launch template with IMDSv2 only (hop limit 1, no
instance tags in the metadata), an encrypted gp3 root volume under the tenant's data key, the
network's workloads security group and no SSH key; on-demand capacity, one node replaced at a time,
created after (and deleted before) the node role's policy attachments. The pools choose only what
differs: name, instance type, AMI, disk size, sizes, labels, taints and node tags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.context import TenantContext


@dataclass(frozen=True)
class HardenedNodeGroup:
    """What `hardened_node_group` registers: the launch template and the node group launched from it."""

    launch_template: aws.ec2.LaunchTemplate
    """`<name>-lt`: IMDSv2 only, encrypted root volume, the workloads security group, no SSH key."""
    node_group: aws.eks.NodeGroup
    """`<name>-nodes`, launched from the template's latest version."""


def hardened_node_group(
    name: str,
    *,
    parent: pulumi.Resource,
    tenant: TenantContext,
    node_group_name: str,
    cluster_name: pulumi.Input[str],
    node_role_arn: pulumi.Input[str],
    subnet_ids: Sequence[pulumi.Input[str]],
    security_group_ids: Sequence[pulumi.Input[str]],
    data_key_arn: pulumi.Input[str],
    node_role_attachments: Sequence[pulumi.Resource],
    instance_type: str,
    ami_type: str,
    disk_size_gib: int,
    min_size: int,
    max_size: int,
    labels: Mapping[str, str],
    taints: Sequence[aws.eks.NodeGroupTaintArgsDict],
    node_tags: Mapping[str, str],
) -> HardenedNodeGroup:
    """Register `<name>-lt` (template `<node_group_name>-lt`) and `<name>-nodes` beneath `parent`.

    `node_tags` tag the node group, its instances and their volumes; the template itself carries the
    tenant's plain tags.
    """
    launch_template = aws.ec2.LaunchTemplate(
        f"{name}-lt",
        name=f"{node_group_name}-lt",
        update_default_version=True,
        vpc_security_group_ids=list(security_group_ids),
        # IMDSv2 with hop limit 1 keeps pods off the node's credentials.
        metadata_options={
            "http_endpoint": "enabled",
            "http_tokens": "required",
            "http_put_response_hop_limit": 1,
            "instance_metadata_tags": "disabled",
        },
        block_device_mappings=[
            {
                "device_name": "/dev/xvda",
                "ebs": {
                    "encrypted": "true",
                    "kms_key_id": data_key_arn,
                    "volume_size": disk_size_gib,
                    "volume_type": "gp3",
                    "delete_on_termination": "true",
                },
            }
        ],
        tag_specifications=[
            {"resource_type": "instance", "tags": dict(node_tags)},
            {"resource_type": "volume", "tags": dict(node_tags)},
        ],
        tags=tenant.tagging.tags(),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    node_group = aws.eks.NodeGroup(
        f"{name}-nodes",
        cluster_name=cluster_name,
        node_group_name=node_group_name,
        node_role_arn=node_role_arn,
        subnet_ids=list(subnet_ids),
        instance_types=[instance_type],
        ami_type=ami_type,
        capacity_type="ON_DEMAND",
        scaling_config={"min_size": min_size, "max_size": max_size, "desired_size": min_size},
        update_config={"max_unavailable": 1},
        launch_template={"id": launch_template.id, "version": launch_template.latest_version.apply(str)},
        labels=dict(labels),
        taints=list(taints),
        tags=dict(node_tags),
        opts=pulumi.ResourceOptions(
            parent=parent,
            # Nodes lose their permissions while draining if the attachments go first.
            depends_on=list(node_role_attachments),
            # Whatever scales the pool (autoscaler, operator) owns its size; a deploy must not reset it.
            ignore_changes=["scalingConfig.desiredSize"],
        ),
    )
    return HardenedNodeGroup(launch_template, node_group)
