"""The programs the component tests record: each component alone with typical args, and whole landing zones.

A scenario is a build callable plus where it runs (stack, region, account). `recorded(id, preview)` runs
each one at most once per test session.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components import (
    AuditLogSink,
    AuditLogSinkArgs,
    GpuNodePool,
    GpuNodePoolArgs,
    ImmutableRegistry,
    ImmutableRegistryArgs,
    TenantCluster,
    TenantClusterArgs,
    TenantKeys,
    TenantKeysArgs,
    TenantLandingZone,
    TenantLandingZoneArgs,
    TenantNetwork,
    TenantNetworkArgs,
    TenantSecrets,
    TenantSecretsArgs,
    TenantWorkspace,
    TenantWorkspaceArgs,
)
from components.secrets import SecretSpec
from landingzone.config import Egress, GpuSharing, ObjectLockMode, StackSettings, bucket_name, parse_settings
from tests.components.recording import (
    ACCOUNT_ID,
    ADMIN_ROLE_ARN,
    REGION,
    TENANT,
    ZONES,
    Recording,
    record,
    tagging,
    tenant_context,
)

# ---------------------------------------------------------------- shared inputs

BUCKET_PURPOSES = ["model-registry", "audit-log", "dataset", "checkpoint"]
BUCKETS = {purpose: bucket_name(TENANT, purpose, ACCOUNT_ID) for purpose in BUCKET_PURPOSES}
ARCHIVE_BUCKET = "platform-security-archive"
ARCHIVE_KEY_ARN = "arn:aws:kms:us-east-1:999900001111:key/8f7e6d5c-4b3a-2910-8f7e-6d5c4b3a2910"
ROTATION_LAMBDA_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:platform-secret-rotation"
NAT_ALLOWLIST = ["203.0.113.0/24", "198.51.100.0/24", "pl-0a1b2c3d4e5f60718"]
CLUSTER_NAME = f"{TENANT}-cluster"
NODE_ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/{TENANT}-eks-node"
SUBNET_IDS = ["subnet-0aaa", "subnet-0bbb", "subnet-0ccc"]
CONTROL_PLANE_SG_ID = "sg-0c0ntr01p1ane"
WORKLOADS_SG_ID = "sg-0w0rk10ads"
CLUSTER_NAME = "acme-cluster"
KUBECONFIG = '{"apiVersion": "v1", "kind": "Config", "clusters": []}'
ENVIRONMENTS = ["dev", "train", "prod"]
QUOTAS = {
    "dev": {"requests.cpu": "8", "requests.memory": "32Gi", "requests.nvidia.com/gpu": "1", "pods": "50"},
    "train": {
        "requests.cpu": "64",
        "requests.memory": "512Gi",
        "requests.nvidia.com/gpu": "8",
        "requests.nvidia.com/mig-3g.40gb": "16",
        "pods": "200",
    },
    "prod": {"requests.cpu": "32", "requests.memory": "128Gi", "requests.nvidia.com/gpu": "2", "pods": "100"},
}
SECRETS = [SecretSpec("hf-token", "Hugging Face read token", 30), SecretSpec("wandb-api-key", "", 90)]


def fixture_key(purpose: str) -> aws.kms.Key:
    """A stand-in tenant key, built next to the component under test (named `fixture-<purpose>-key`)."""
    return aws.kms.Key(
        f"fixture-{purpose}-key", enable_key_rotation=True, tags=tagging().tags(purpose=f"{purpose}-key")
    )


FLOW_LOG_GROUP_NAME = f"/mlops/{TENANT}/vpc-flow-logs"


def fixture_flow_log_group() -> aws.cloudwatch.LogGroup:
    return aws.cloudwatch.LogGroup(
        "fixture-flow-logs",
        name=FLOW_LOG_GROUP_NAME,
        retention_in_days=90,
        kms_key_id="arn:aws:kms:us-east-1:111122223333:key/fixture",
        tags=tagging().tags(),
    )


# ---------------------------------------------------------------- args with typical values


def keys_args(**overrides: Any) -> TenantKeysArgs:
    values: dict[str, Any] = {"tenant": tenant_context(), "admin_role_arn": ADMIN_ROLE_ARN}
    return TenantKeysArgs(**{**values, **overrides})


def network_args(
    flow_log_group_arn: pulumi.Input[str] = "arn:aws:logs:x", **overrides: Any
) -> TenantNetworkArgs:
    values: dict[str, Any] = {
        "tenant": tenant_context(),
        "cidr": "10.1.0.0/16",
        "availability_zones": list(ZONES),
        "flow_log_group_arn": flow_log_group_arn,
        "flow_log_group_name": FLOW_LOG_GROUP_NAME,
        "tenant_bucket_names": list(BUCKETS.values()),
    }
    return TenantNetworkArgs(**{**values, **overrides})


def audit_args(logs_key_arn: pulumi.Input[str] = "arn:aws:kms:x", **overrides: Any) -> AuditLogSinkArgs:
    values: dict[str, Any] = {"tenant": tenant_context(), "logs_key_arn": logs_key_arn}
    return AuditLogSinkArgs(**{**values, **overrides})


def registry_args(
    registry_key_arn: pulumi.Input[str] = "arn:aws:kms:x",
    data_key_arn: pulumi.Input[str] = "arn:aws:kms:y",
    **overrides: Any,
) -> ImmutableRegistryArgs:
    values: dict[str, Any] = {
        "tenant": tenant_context(),
        "registry_key_arn": registry_key_arn,
        "data_key_arn": data_key_arn,
    }
    return ImmutableRegistryArgs(**{**values, **overrides})


def cluster_args(
    secrets_key_arn: pulumi.Input[str] = "arn:aws:kms:x",
    logs_key_arn: pulumi.Input[str] = "arn:aws:kms:y",
    **overrides: Any,
) -> TenantClusterArgs:
    values: dict[str, Any] = {
        "tenant": tenant_context(),
        "subnet_ids": list(SUBNET_IDS),
        "control_plane_security_group_id": CONTROL_PLANE_SG_ID,
        "secrets_key_arn": secrets_key_arn,
        "logs_key_arn": logs_key_arn,
        "admin_role_arn": ADMIN_ROLE_ARN,
    }
    return TenantClusterArgs(**{**values, **overrides})


def gpu_args(data_key_arn: pulumi.Input[str] = "arn:aws:kms:x", **overrides: Any) -> GpuNodePoolArgs:
    values: dict[str, Any] = {
        "tenant": tenant_context(),
        "pool_name": "h100",
        "cluster_name": CLUSTER_NAME,
        "node_role_arn": NODE_ROLE_ARN,
        "subnet_ids": list(SUBNET_IDS),
        "security_group_ids": [WORKLOADS_SG_ID],
        "data_key_arn": data_key_arn,
        "instance_type": "p5.48xlarge",
    }
    return GpuNodePoolArgs(**{**values, **overrides})


def workspace_args(**overrides: Any) -> TenantWorkspaceArgs:
    values: dict[str, Any] = {
        "tenant": tenant_context(),
        "environments": list(ENVIRONMENTS),
        "quotas": QUOTAS,
        "bucket_names": dict(BUCKETS),
        "kubeconfig": KUBECONFIG,
        "cluster_name": CLUSTER_NAME,
    }
    return TenantWorkspaceArgs(**{**values, **overrides})


def secrets_args(secrets_key_arn: pulumi.Input[str] = "arn:aws:kms:x", **overrides: Any) -> TenantSecretsArgs:
    values: dict[str, Any] = {
        "tenant": tenant_context(),
        "secrets_key_arn": secrets_key_arn,
        "rotation_lambda_arn": ROTATION_LAMBDA_ARN,
        "secrets": list(SECRETS),
    }
    return TenantSecretsArgs(**{**values, **overrides})


# ---------------------------------------------------------------- builds of one component


def build_keys() -> None:
    TenantKeys(f"{TENANT}-keys", keys_args())


def build_network_none() -> None:
    group = fixture_flow_log_group()
    TenantNetwork(f"{TENANT}-network", network_args(group.arn))


def build_network_nat() -> None:
    group = fixture_flow_log_group()
    TenantNetwork(
        f"{TENANT}-network",
        network_args(
            group.arn,
            availability_zones=ZONES[:2],
            egress=Egress.NAT_ALLOWLIST,
            egress_allowlist=list(NAT_ALLOWLIST),
        ),
    )


def build_audit() -> None:
    AuditLogSink(f"{TENANT}-audit", audit_args(fixture_key("logs").arn))


def build_audit_regulated() -> None:
    AuditLogSink(
        f"{TENANT}-audit",
        audit_args(
            fixture_key("logs").arn,
            retention_days=2557,
            log_retention_days=365,
            data_event_bucket_arns=[f"arn:aws:s3:::{BUCKETS[p]}" for p in ("model-registry", "dataset")],
            archive_bucket=ARCHIVE_BUCKET,
            archive_kms_key_arn=ARCHIVE_KEY_ARN,
        ),
    )


def build_registry() -> None:
    ImmutableRegistry(
        f"{TENANT}-registry", registry_args(fixture_key("registry").arn, fixture_key("data").arn)
    )


def build_registry_compliance() -> None:
    ImmutableRegistry(
        f"{TENANT}-registry",
        registry_args(
            fixture_key("registry").arn,
            fixture_key("data").arn,
            lock_mode=ObjectLockMode.COMPLIANCE,
            registry_retention_days=365,
            repositories=["models"],
            artifact_purposes=["dataset", "checkpoint", "feature-store", "experiment-tracking"],
            artifact_expiry_days=90,
        ),
    )


def build_cluster() -> None:
    TenantCluster(f"{TENANT}-cluster", cluster_args(fixture_key("secrets").arn, fixture_key("logs").arn))


GPU_POOLS: dict[str, dict[str, Any]] = {
    "a100-mig": {
        "instance_type": "p4de.24xlarge",
        "sharing": GpuSharing.MIG,
        "mig_layout": "all-3g.40gb",
        "max_size": 4,
    },
    "l40s": {"instance_type": "g6e.xlarge", "min_size": 1, "max_size": 3, "disk_size_gib": 100},
    "h100": {"instance_type": "p5.48xlarge", "max_size": 16},
}


def build_gpu_pools() -> None:
    key = fixture_key("data")
    role = aws.iam.Role(
        "fixture-node-role", assume_role_policy="{}", max_session_duration=3600, tags=tagging().tags()
    )
    attachments = [
        aws.iam.RolePolicyAttachment(
            f"fixture-node-{policy}", role=role.name, policy_arn=f"arn:aws:iam::aws:policy/{policy}"
        )
        for policy in ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy")
    ]
    for pool, overrides in GPU_POOLS.items():
        GpuNodePool(
            f"{TENANT}-gpu-{pool}",
            gpu_args(key.arn, pool_name=pool, node_role_attachments=list(attachments), **overrides),
        )


def build_workspace() -> None:
    TenantWorkspace(f"{TENANT}-workspace", workspace_args())


def build_secrets() -> None:
    TenantSecrets(f"{TENANT}-secrets", secrets_args(fixture_key("secrets").arn))


# ---------------------------------------------------------------- whole landing zones


ZONE_CONFIGS: dict[str, dict[str, Any]] = {
    "acme": {
        "aws:region": "us-east-1",
        "landingzone:platform": {
            "account_id": "111122223333",
            "admin_role_arn": "arn:aws:iam::111122223333:role/platform-admin",
            "rotation_lambda_arn": "arn:aws:lambda:us-east-1:111122223333:function:platform-secret-rotation",
        },
        "landingzone:tenant": {
            "id": "acme",
            "tier": "standard",
            "environments": ["dev", "train", "prod"],
            "network": {"cidr": "10.1.0.0/16", "availability_zones": ZONES, "egress": "none"},
            "gpu_pools": [
                {
                    "name": "a100-mig",
                    "instance_type": "p4de.24xlarge",
                    "sharing": "mig",
                    "mig_layout": "all-3g.40gb",
                    "max_size": 4,
                },
                {"name": "l40s", "instance_type": "g6e.xlarge", "max_size": 2},
            ],
            "registry": {"artifact_buckets": ["dataset", "checkpoint", "feature-store"]},
            "secrets": [{"name": "hf-token", "rotation_days": 30}],
            "access": {
                "developer": ["arn:aws:iam::111122223333:role/acme-developers"],
                "deployer": ["arn:aws:iam::111122223333:role/acme-ci-deploy"],
                "approver": ["arn:aws:iam::111122223333:role/acme-approvers"],
            },
        },
    },
    "globex": {
        "aws:region": "eu-central-1",
        "landingzone:platform": {
            "account_id": "444455556666",
            "admin_role_arn": "arn:aws:iam::444455556666:role/platform-admin",
            "rotation_lambda_arn": "arn:aws:lambda:eu-central-1:444455556666:function:secret-rotation",
            "security_archive_bucket": "platform-security-archive-eu",
            "security_archive_kms_key_arn": "arn:aws:kms:eu-central-1:999900001111:key/8f7e6d5c-4b3a-2910",
        },
        "landingzone:tenant": {
            "id": "globex",
            "tier": "regulated",
            "environments": ["dev", "eval", "train", "staging", "prod"],
            "network": {
                "cidr": "10.2.0.0/16",
                "availability_zones": ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
            },
            "gpu_pools": [{"name": "h100", "instance_type": "p5.48xlarge", "max_size": 4}],
            "registry": {"artifact_buckets": ["dataset", "checkpoint", "experiment-tracking"]},
            "secrets": [{"name": "wandb-api-key", "rotation_days": 30}],
        },
    },
    "initech": {
        "aws:region": "us-west-2",
        "landingzone:platform": {
            "account_id": "777788889999",
            "admin_role_arn": "arn:aws:iam::777788889999:role/platform-admin",
        },
        "landingzone:tenant": {
            "id": "initech",
            "tier": "standard",
            "environments": ["dev", "prod"],
            "network": {
                "cidr": "10.3.0.0/16",
                "availability_zones": ["us-west-2a", "us-west-2b"],
                "egress": "nat-allowlist",
                "egress_allowlist": ["203.0.113.0/24", "pl-0a1b2c3d4e5f60718"],
            },
            "gpu_pools": [
                {
                    "name": "h200-mig",
                    "instance_type": "p5e.48xlarge",
                    "sharing": "mig",
                    "mig_layout": "all-balanced",
                    "min_size": 1,
                    "max_size": 2,
                }
            ],
        },
    },
}


def zone_settings(tenant: str) -> StackSettings:
    return parse_settings(tenant, ZONE_CONFIGS[tenant], f"tests/components ({tenant})")


def build_zone(tenant: str) -> Callable[[], None]:
    settings = zone_settings(tenant)

    def build() -> None:
        TenantLandingZone(settings.tenant.id, TenantLandingZoneArgs(stack_config=settings))

    return build


# ---------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class Scenario:
    build: Callable[[], None]
    components: tuple[str, ...]
    """Names of the components the build creates at the top level (children of the stack)."""
    stack: str = TENANT
    region: str = REGION
    account_id: str = ACCOUNT_ID
    tenant: str = TENANT
    classification: str = "confidential"
    environments: tuple[str, ...] = field(default=("shared",))


def _zone(tenant: str, classification: str) -> Scenario:
    config = ZONE_CONFIGS[tenant]
    return Scenario(
        build=build_zone(tenant),
        components=(tenant,),
        stack=tenant,
        region=config["aws:region"],
        account_id=config["landingzone:platform"]["account_id"],
        tenant=tenant,
        classification=classification,
        environments=("shared", *config["landingzone:tenant"]["environments"]),
    )


SCENARIOS: dict[str, Scenario] = {
    "keys": Scenario(build_keys, ("acme-keys",)),
    "network-none": Scenario(build_network_none, ("acme-network",)),
    "network-nat": Scenario(build_network_nat, ("acme-network",)),
    "audit": Scenario(build_audit, ("acme-audit",)),
    "audit-regulated": Scenario(build_audit_regulated, ("acme-audit",)),
    "registry": Scenario(build_registry, ("acme-registry",)),
    "registry-compliance": Scenario(build_registry_compliance, ("acme-registry",)),
    "cluster": Scenario(build_cluster, ("acme-cluster",)),
    "gpu-pools": Scenario(build_gpu_pools, tuple(f"acme-gpu-{p}" for p in GPU_POOLS)),
    "workspace": Scenario(build_workspace, ("acme-workspace",), environments=("shared", *ENVIRONMENTS)),
    "secrets": Scenario(build_secrets, ("acme-secrets",)),
    "zone-acme": _zone("acme", "confidential"),
    "zone-globex": _zone("globex", "restricted"),
    "zone-initech": _zone("initech", "confidential"),
}


def recorded(scenario_id: str, preview: bool = False) -> Recording:
    """The scenario's registrations; each (scenario, mode) is recorded once per test session."""
    return _recorded(scenario_id, bool(preview))


@functools.cache
def _recorded(scenario_id: str, preview: bool) -> Recording:
    scenario = SCENARIOS[scenario_id]
    return record(
        scenario.build,
        preview=preview,
        stack=scenario.stack,
        region=scenario.region,
        account_id=scenario.account_id,
    )
