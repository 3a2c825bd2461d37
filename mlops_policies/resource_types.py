"""Pulumi type tokens that rules of several controls judge."""

from __future__ import annotations

KMS_KEY = "aws:kms/key:Key"
EXTERNAL_KEYS = ("aws:kms/externalKey:ExternalKey", "aws:kms/replicaExternalKey:ReplicaExternalKey")
"""Keys with imported (BYOK) key material."""
REPLICA_KEY = "aws:kms/replicaKey:ReplicaKey"
KMS_KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
SECRET = "aws:secretsmanager/secret:Secret"
ROLE = "aws:iam/role:Role"


ECR_REPOSITORY = "aws:ecr/repository:Repository"


TRAIL = "aws:cloudtrail/trail:Trail"


LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"


LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
