"""Shared by the gpu isolation tests of several controls."""

from __future__ import annotations

from typing import Any

from tests.policies.harness import UNKNOWN

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
KEY = "aws:kms/key:Key"
NAMESPACE = "kubernetes:core/v1:Namespace"
QUOTA = "kubernetes:core/v1:ResourceQuota"
TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}


MIG_GROUP: dict[str, Any] = {
    "clusterName": "acme-cluster",
    "nodeRoleArn": "arn:aws:iam::111122223333:role/acme-gpu-nodes",
    "subnetIds": ["subnet-1"],
    "instanceTypes": ["p4de.24xlarge"],
    "amiType": "AL2023_x86_64_NVIDIA",
    "labels": {"tenant": "acme", "gpu-sharing": "mig", "nvidia.com/mig.config": "all-3g.40gb"},
    "taints": [{"key": "tenant", "value": "acme", "effect": "NO_SCHEDULE"}],
    "scalingConfig": {"minSize": 0, "maxSize": 4, "desiredSize": 0},
    "launchTemplate": {"id": UNKNOWN, "version": "1"},
    "tags": TAGS,
}


DEDICATED_GROUP = {
    **MIG_GROUP,
    "instanceTypes": ["p5.48xlarge"],
    "labels": {"tenant": "globex", "gpu-sharing": "dedicated"},
    "taints": [{"key": "tenant", "value": "globex", "effect": "NO_SCHEDULE"}],
}


CPU_GROUP = {**MIG_GROUP, "instanceTypes": ["m7i.2xlarge"], "amiType": "AL2023_x86_64_STANDARD", "labels": {}}
