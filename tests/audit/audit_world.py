"""A compliant tenant landing zone built with boto3 against moto, the way the Pulumi program would leave it.

Tests start from it and break one thing after the fact, as an operator with console access would.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from tenantctl.audit import AuditReport, ClientFactory, run_audit

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
ARCHIVE_BUCKET = "platform-security-archive"
OIDC = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
SECRET_VALUE = "hf_s3cr3t-token-value-never-in-evidence"
KEY_PURPOSES = ("data", "logs", "secrets", "registry")


def tags_for(tenant: str, **extra: str) -> dict[str, str]:
    return {"tenant": tenant, "environment": "prod", "managed-by": "mlops-landing-zone", **extra}


def as_list(tags: dict[str, str], key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in tags.items()]


@dataclass
class TenantWorld:
    session: boto3.Session
    endpoint: str
    tenant: str
    tier: str
    keys: dict[str, str] = field(default_factory=dict)  # purpose -> key ARN
    buckets: dict[str, str] = field(default_factory=dict)  # purpose -> bucket name
    vpc_id: str = ""
    endpoint_sg: str = ""
    launch_template_id: str = ""
    node_group: str = ""

    def client(self, service: str) -> Any:
        """An unguarded client (the builder writes); cached across tests, like the audit's clients."""
        return _client(self.session, self.endpoint, service)

    def audit_clients(self) -> ClientFactory:
        return _audit_clients(self.session, self.endpoint)

    @property
    def regulated(self) -> bool:
        return self.tier == "regulated"

    def bucket_arn(self, purpose: str) -> str:
        return f"arn:aws:s3:::{self.buckets[purpose]}"


# Creating a boto3 client costs tens of milliseconds; the suite reuses them across moto resets.
_CLIENTS: dict[tuple[int, str, str], Any] = {}
_FACTORIES: dict[tuple[int, str], ClientFactory] = {}


def _client(session: boto3.Session, endpoint: str, service: str) -> Any:
    key = (id(session), endpoint, service)
    if key not in _CLIENTS:
        config = Config(s3={"addressing_style": "path"})
        _CLIENTS[key] = session.client(service, region_name=REGION, endpoint_url=endpoint, config=config)
    return _CLIENTS[key]


def _audit_clients(session: boto3.Session, endpoint: str) -> ClientFactory:
    key = (id(session), endpoint)
    if key not in _FACTORIES:
        # Two attempts: moto never throttles, and an unimplemented call must not wait through backoff.
        _FACTORIES[key] = ClientFactory(session, REGION, endpoint, max_attempts=2)
    return _FACTORIES[key]


def build_tenant(
    session: boto3.Session, endpoint: str, tenant: str = "acme", tier: str = "standard"
) -> TenantWorld:
    world = TenantWorld(session, endpoint, tenant, tier)
    _keys(world)
    _buckets(world)
    _registries(world)
    _logs(world)
    _trail(world)
    _network(world)
    _cluster(world)
    _secrets(world)
    _roles(world)
    return world


def _keys(world: TenantWorld) -> None:
    kms = world.client("kms")
    for purpose in KEY_PURPOSES:
        key = kms.create_key(
            Description=f"{world.tenant} {purpose}",
            Tags=as_list(tags_for(world.tenant, purpose=purpose), "TagKey", "TagValue"),
        )["KeyMetadata"]
        kms.enable_key_rotation(KeyId=key["KeyId"])
        kms.create_alias(AliasName=f"alias/{world.tenant}-{purpose}", TargetKeyId=key["KeyId"])
        world.keys[purpose] = key["Arn"]


def tls_only(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def audit_deny(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "AppendOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"],
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
    }


def _bucket(world: TenantWorld, purpose: str, lock: tuple[str, int] | None, key: str) -> str:
    s3 = world.client("s3")
    name = f"{world.tenant}-{purpose}-{ACCOUNT}"
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=lock is not None)
    s3.put_bucket_tagging(
        Bucket=name,
        Tagging={
            "TagSet": as_list(
                tags_for(world.tenant, purpose=purpose, **{"data-classification": "confidential"})
            )
        },
    )
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    if lock is not None:
        s3.put_object_lock_configuration(
            Bucket=name,
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": lock[0], "Days": lock[1]}},
            },
        )
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_ownership_controls(
        Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key},
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    statements = [tls_only(name)] + ([audit_deny(name)] if purpose == "audit-log" else [])
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    world.buckets[purpose] = name
    return name


def expiry_rules(days: int) -> dict[str, Any]:
    return {
        "Rules": [
            {
                "ID": "expire-artifacts",
                "Status": "Enabled",
                "Filter": {"Prefix": ""},
                "Expiration": {"Days": days},
                "NoncurrentVersionExpiration": {"NoncurrentDays": days},
            }
        ]
    }


def _buckets(world: TenantWorld) -> None:
    registry_lock = ("COMPLIANCE", 365) if world.regulated else ("GOVERNANCE", 30)
    _bucket(world, "model-registry", registry_lock, world.keys["registry"])
    audit = _bucket(world, "audit-log", ("COMPLIANCE", 2557 if world.regulated else 365), world.keys["logs"])
    s3 = world.client("s3")
    for purpose in ("dataset", "checkpoint"):
        name = _bucket(world, purpose, None, world.keys["data"])
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=expiry_rules(90))
    if world.regulated:
        s3.create_bucket(Bucket=ARCHIVE_BUCKET)
        s3.put_bucket_versioning(Bucket=ARCHIVE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_replication(
            Bucket=audit,
            ReplicationConfiguration={
                "Role": f"arn:aws:iam::{ACCOUNT}:role/platform-replication",
                "Rules": [
                    {
                        "ID": "to-archive",
                        "Status": "Enabled",
                        "Priority": 1,
                        "Filter": {"Prefix": ""},
                        "DeleteMarkerReplication": {"Status": "Disabled"},
                        "Destination": {"Bucket": f"arn:aws:s3:::{ARCHIVE_BUCKET}"},
                    }
                ],
            },
        )


def _registries(world: TenantWorld) -> None:
    ecr = world.client("ecr")
    for name in ("models", "serving"):
        ecr.create_repository(
            repositoryName=f"{world.tenant}/{name}",
            imageTagMutability="IMMUTABLE",
            imageScanningConfiguration={"scanOnPush": True},
            encryptionConfiguration={"encryptionType": "KMS", "kmsKey": world.keys["registry"]},
            tags=as_list(tags_for(world.tenant)),
        )


def _logs(world: TenantWorld) -> None:
    logs = world.client("logs")
    for name in (f"/mlops/{world.tenant}/flow-logs", f"/aws/eks/{world.tenant}-cluster/cluster"):
        logs.create_log_group(logGroupName=name, kmsKeyId=world.keys["logs"], tags=tags_for(world.tenant))
        logs.put_retention_policy(logGroupName=name, retentionInDays=365 if world.regulated else 90)


def _trail(world: TenantWorld) -> None:
    cloudtrail = world.client("cloudtrail")
    name = f"{world.tenant}-audit-trail"
    cloudtrail.create_trail(
        Name=name,
        S3BucketName=world.buckets["audit-log"],
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        IncludeGlobalServiceEvents=True,
        KmsKeyId=world.keys["logs"],
        TagsList=as_list(tags_for(world.tenant)),
    )
    cloudtrail.start_logging(Name=name)
    if world.regulated:
        prefixes = [f"{world.bucket_arn(p)}/" for p in ("model-registry", "dataset", "checkpoint")]
        cloudtrail.put_event_selectors(
            TrailName=name,
            AdvancedEventSelectors=[
                {
                    "Name": "s3-data-events",
                    "FieldSelectors": [
                        {"Field": "eventCategory", "Equals": ["Data"]},
                        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                        {"Field": "resources.ARN", "StartsWith": prefixes},
                    ],
                }
            ],
        )


def _network(world: TenantWorld) -> None:
    ec2 = world.client("ec2")
    vpc_tags = as_list(tags_for(world.tenant, Name=f"{world.tenant}-vpc"))
    vpc = ec2.create_vpc(
        CidrBlock="10.1.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": vpc_tags}]
    )
    world.vpc_id = vpc_id = vpc["Vpc"]["VpcId"]
    subnets = []
    for index, zone in enumerate(("us-east-1a", "us-east-1b")):
        subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.1.{index}.0/24", AvailabilityZone=zone)
        subnets.append(subnet["Subnet"]["SubnetId"])
    default_sg = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    # The landing zone manages the default group with no rules; AWS gives it allow-all egress.
    ec2.revoke_security_group_egress(
        GroupId=default_sg["GroupId"], IpPermissions=default_sg["IpPermissionsEgress"]
    )
    sg = ec2.create_security_group(
        GroupName=f"{world.tenant}-endpoints", Description="endpoints", VpcId=vpc_id
    )
    world.endpoint_sg = sg["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=sg["GroupId"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.1.0.0/16"}]}
        ],
    )
    ec2.revoke_security_group_egress(
        GroupId=sg["GroupId"], IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName=f"/mlops/{world.tenant}/flow-logs",
        DeliverLogsPermissionArn=f"arn:aws:iam::{ACCOUNT}:role/{world.tenant}-flow-logs",
    )
    # As the landing zone writes it (components.network.s3_endpoint_policy): the tenant's buckets by their
    # exact names, and ECR's image layer bucket.
    buckets = [f"arn:aws:s3:::{name}" for name in sorted(world.buckets.values())]
    s3_policy = {
        "Statement": [
            {
                "Sid": "TenantBucketsOnly",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [*buckets, *(f"{arn}/*" for arn in buckets)],
            },
            {
                "Sid": "EcrImageLayers",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::prod-{REGION}-starport-layer-bucket/*",
            },
        ]
    }
    ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        PolicyDocument=json.dumps(s3_policy),
    )
    for service in ("ecr.api", "ecr.dkr", "sts", "kms", "logs"):
        ec2.create_vpc_endpoint(
            VpcId=vpc_id,
            ServiceName=f"com.amazonaws.{REGION}.{service}",
            VpcEndpointType="Interface",
            SubnetIds=subnets,
            SecurityGroupIds=[sg["GroupId"]],
            PrivateDnsEnabled=True,
        )
    ec2.create_volume(
        AvailabilityZone="us-east-1a",
        Size=100,
        Encrypted=True,
        KmsKeyId=world.keys["data"],
        TagSpecifications=[{"ResourceType": "volume", "Tags": as_list(tags_for(world.tenant))}],
    )


def _cluster(world: TenantWorld) -> None:
    eks, ec2 = world.client("eks"), world.client("ec2")
    cluster = f"{world.tenant}-cluster"
    eks.create_cluster(
        name=cluster,
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/{world.tenant}-cluster",
        resourcesVpcConfig={"subnetIds": [], "endpointPublicAccess": False, "endpointPrivateAccess": True},
        logging={"clusterLogging": [{"types": ["api", "audit", "authenticator"], "enabled": True}]},
        encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": world.keys["secrets"]}}],
        tags=tags_for(world.tenant),
    )
    pool = "h100" if world.regulated else "l40s"
    template = ec2.create_launch_template(
        LaunchTemplateName=f"{world.tenant}-{pool}-lt",
        LaunchTemplateData={
            "MetadataOptions": {
                "HttpTokens": "required",
                "HttpPutResponseHopLimit": 1,
                "HttpEndpoint": "enabled",
            },
            "BlockDeviceMappings": [
                {
                    "DeviceName": "/dev/xvda",
                    "Ebs": {"Encrypted": True, "KmsKeyId": world.keys["data"], "VolumeSize": 200},
                }
            ],
        },
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": as_list(tags_for(world.tenant))}],
    )
    world.launch_template_id = template["LaunchTemplate"]["LaunchTemplateId"]
    world.node_group = f"{world.tenant}-{pool}"
    eks.create_nodegroup(
        clusterName=cluster,
        nodegroupName=world.node_group,
        nodeRole=f"arn:aws:iam::{ACCOUNT}:role/{world.tenant}-node",
        subnets=["subnet-private"],
        instanceTypes=["p5.48xlarge" if world.regulated else "g6e.xlarge"],
        amiType="AL2023_x86_64_NVIDIA",
        scalingConfig={"minSize": 0, "maxSize": 2, "desiredSize": 0},
        labels={"tenant": world.tenant, "gpu-sharing": "dedicated", "nvidia.com/mig.config": "all-disabled"},
        taints=[{"key": "tenant", "value": world.tenant, "effect": "NO_SCHEDULE"}],
        launchTemplate={"id": world.launch_template_id},  # the template's default version
        tags=tags_for(world.tenant),
    )


def _secrets(world: TenantWorld) -> None:
    secrets = world.client("secretsmanager")
    name = f"{world.tenant}/hf-token"
    secrets.create_secret(
        Name=name,
        KmsKeyId=world.keys["secrets"],
        SecretString=SECRET_VALUE,
        Tags=as_list(tags_for(world.tenant)),
    )
    # moto rotates without a Lambda; in AWS the platform's rotation Lambda would be named here.
    secrets.rotate_secret(
        SecretId=name, RotationRules={"AutomaticallyAfterDays": 30}, RotateImmediately=False
    )


def web_identity_trust(namespace: str, service_account: str = "workload") -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{OIDC}"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{OIDC}:sub": f"system:serviceaccount:{namespace}:{service_account}",
                        f"{OIDC}:aud": "sts.amazonaws.com",
                    }
                },
            }
        ],
    }


def service_trust(service: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }


def _roles(world: TenantWorld) -> None:
    iam = world.client("iam")
    tags = as_list(tags_for(world.tenant))
    for env in ("dev", "prod"):
        name = f"{world.tenant}-{env}-workload"
        trust = web_identity_trust(f"{world.tenant}-{env}")
        iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=json.dumps(trust), MaxSessionDuration=3600, Tags=tags
        )
        read_registry = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:ListBucket"],
                    "Resource": [
                        world.bucket_arn("model-registry"),
                        f"{world.bucket_arn('model-registry')}/*",
                    ],
                }
            ],
        }
        iam.put_role_policy(
            RoleName=name, PolicyName="read-registry", PolicyDocument=json.dumps(read_registry)
        )
    iam.create_role(
        RoleName=f"{world.tenant}-cluster",
        AssumeRolePolicyDocument=json.dumps(service_trust("eks.amazonaws.com")),
        Tags=tags,
    )


def audit(world: TenantWorld, **kwargs: Any) -> AuditReport:
    """The audit as the CLI runs it, through the guarded client factory."""
    clients = world.audit_clients()
    options: dict[str, Any] = {"account_id": ACCOUNT}
    if world.regulated:
        options["security_archive_bucket"] = ARCHIVE_BUCKET
    options.update(kwargs)
    return run_audit(clients, world.tenant, world.tier, REGION, **options)


def failing(report: AuditReport) -> set[tuple[str, str, str]]:
    """(control, check, resource) of every failed result."""
    return {(r.control, r.check, r.resource) for r in report.results if r.status.value == "fail"}


def status_of(report: AuditReport, check: str, resource: str) -> str:
    return report.result(check, resource).status.value


def reset_moto(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


STACK = """
config:
  aws:region: us-east-1
  landingzone:platform:
    account_id: "123456789012"
    admin_role_arn: arn:aws:iam::123456789012:role/platform-admin
    rotation_lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:platform-secret-rotation
    security_archive_bucket: platform-security-archive
    security_archive_kms_key_arn: arn:aws:kms:us-east-1:123456789012:key/platform-archive
  landingzone:tenant:
    id: acme
    tier: {tier}
    network:
      cidr: 10.1.0.0/16
      availability_zones: [us-east-1a, us-east-1b]
    secrets:
      - name: hf-token
"""


def project(tmp_path: Any, tier: str = "standard") -> Any:
    """A project directory holding stacks/Pulumi.acme.yaml for the compliant tenant."""
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.acme.yaml").write_text(STACK.format(tier=tier))
    return tmp_path
