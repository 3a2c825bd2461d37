"""Pulumi type tokens that rules of several controls judge (a token one control judges stays with it)."""

from __future__ import annotations

from mlops_policies import buckets as s3

BUCKETS = s3.BUCKET_TYPES
ECR_REPOSITORY = "aws:ecr/repository:Repository"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
KMS_KEY = "aws:kms/key:Key"
EXTERNAL_KEYS = ("aws:kms/externalKey:ExternalKey", "aws:kms/replicaExternalKey:ReplicaExternalKey")
"""Keys with imported (BYOK) key material."""
REPLICA_KEY = "aws:kms/replicaKey:ReplicaKey"
KMS_KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
ROLE = "aws:iam/role:Role"
SECRET = "aws:secretsmanager/secret:Secret"
TRAIL = "aws:cloudtrail/trail:Trail"
