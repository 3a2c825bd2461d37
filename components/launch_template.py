"""The hardened launch template every tenant node group uses (GPU-05): IMDSv2 only, encrypted disks."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.tags import Tagging


def hardened_launch_template(
    resource_name: str,
    *,
    template_name: str,
    security_group_ids: list[pulumi.Input[str]],
    data_key_arn: pulumi.Input[str],
    disk_size_gib: int,
    tagging: Tagging,
    node_tags: dict[str, str],
    parent: pulumi.Resource,
) -> aws.ec2.LaunchTemplate:
    """IMDSv2 with hop limit 1 keeps pods off the node's credentials; the root volume uses the tenant key."""
    return aws.ec2.LaunchTemplate(
        resource_name,
        name=template_name,
        update_default_version=True,
        vpc_security_group_ids=security_group_ids,
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
            {"resource_type": "instance", "tags": node_tags},
            {"resource_type": "volume", "tags": node_tags},
        ],
        tags=tagging.tags(),
        opts=pulumi.ResourceOptions(parent=parent),
    )
