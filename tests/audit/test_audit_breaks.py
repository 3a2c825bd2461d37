"""Breaking a compliant landing zone after the fact, one thing per resource and check, as an operator with
console access would. Each break must be caught by exactly the check that guards it, on exactly that
resource; the last test proves that nothing else fails, so every break is detected for its own reason.

All breaks share one world and one audit (a world costs seconds to build); they touch different checks,
so none can hide or cause another's finding.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from audit_world import (
    ACCOUNT,
    OIDC,
    REGION,
    TenantWorld,
    _bucket,
    audit,
    build_tenant,
    failing,
    reset_moto,
    tags_for,
    tls_only,
    web_identity_trust,
)

from tenantctl.audit import AuditReport, Status

REGISTRY = f"arn:aws:s3:::acme-model-registry-{ACCOUNT}"
AUDIT_LOG = f"arn:aws:s3:::acme-audit-log-{ACCOUNT}"
DATASET = f"arn:aws:s3:::acme-dataset-{ACCOUNT}"
CHECKPOINT = f"arn:aws:s3:::acme-checkpoint-{ACCOUNT}"
TRAIL = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/acme-audit-trail"
CLUSTER = f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/acme-cluster"
FLOW_LOGS = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/mlops/acme/flow-logs"
EKS_LOGS = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/eks/acme-cluster/cluster"
APP_LOGS = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/mlops/acme/app"


PARTNER = "111122223333"  # an account outside the landing zone


def role(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def repo(name: str) -> str:
    return f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/acme/{name}"


def secret(report: AuditReport, name: str) -> str:
    return next(
        r.resource for r in report.results if r.check == "secret_tenant_kms_key" and name in r.resource
    )


def node_group(report: AuditReport) -> str:
    return report.result("gpu_nodegroup_tenant_taint").resource


@dataclass(frozen=True)
class Break:
    name: str  # the test id: what was broken and which control catches it
    apply: Callable[[TenantWorld], None]
    # (control, check, resource or a function of the report giving it)
    expected: set[tuple[str, str, Any]]
    evidence: dict[str, Any] = field(default_factory=dict)  # check -> subset of evidence expected


def resolve(report: AuditReport, expected: set[tuple[str, str, Any]]) -> set[tuple[str, str, str]]:
    return {(c, check, res(report) if callable(res) else res) for c, check, res in expected}


# ------------------------------------------------------------------ the breaks


def disable_rotation(world: TenantWorld) -> None:
    world.client("kms").disable_key_rotation(KeyId=world.keys["data"])


def schedule_deletion(world: TenantWorld) -> None:
    world.client("kms").schedule_key_deletion(
        KeyId=world.keys["registry"].rsplit("/", 1)[1], PendingWindowInDays=7
    )


def registry_without_object_lock(world: TenantWorld) -> None:
    s3, name = world.client("s3"), world.buckets["model-registry"]
    # Recreated by hand without object lock (it cannot be switched off), otherwise configured as before.
    s3.delete_bucket(Bucket=name)
    _bucket(world, "model-registry", None, world.keys["registry"])
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Suspended"})


def audit_governance_mode(world: TenantWorld) -> None:
    world.client("s3").put_object_lock_configuration(
        Bucket=world.buckets["audit-log"],
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 365}},
        },
    )


def audit_policy_without_delete_deny(world: TenantWorld) -> None:
    s3, name = world.client("s3"), world.buckets["audit-log"]
    policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    policy["Statement"] = [s for s in policy["Statement"] if s["Sid"] != "AppendOnly"]
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))


def dataset_without_tls_policy(world: TenantWorld) -> None:
    world.client("s3").delete_bucket_policy(Bucket=world.buckets["dataset"])


def dataset_public_policy_allowed(world: TenantWorld) -> None:
    world.client("s3").put_public_access_block(
        Bucket=world.buckets["dataset"],
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": True,
        },
    )


def dataset_s3_managed_encryption(world: TenantWorld) -> None:
    world.client("s3").put_bucket_encryption(
        Bucket=world.buckets["dataset"],
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )


def checkpoint_object_writer(world: TenantWorld) -> None:
    world.client("s3").put_bucket_ownership_controls(
        Bucket=world.buckets["checkpoint"], OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )


def checkpoint_without_expiry(world: TenantWorld) -> None:
    world.client("s3").delete_bucket_lifecycle(Bucket=world.buckets["checkpoint"])


def checkpoint_loses_tags(world: TenantWorld) -> None:
    world.client("s3").put_bucket_tagging(
        Bucket=world.buckets["checkpoint"],
        Tagging={"TagSet": [{"Key": "tenant", "Value": "acme"}, {"Key": "purpose", "Value": "checkpoint"}]},
    )


def mutable_models_repository(world: TenantWorld) -> None:
    world.client("ecr").put_image_tag_mutability(repositoryName="acme/models", imageTagMutability="MUTABLE")


def serving_scan_off(world: TenantWorld) -> None:
    world.client("ecr").put_image_scanning_configuration(
        repositoryName="acme/serving", imageScanningConfiguration={"scanOnPush": False}
    )


def stop_trail(world: TenantWorld) -> None:
    world.client("cloudtrail").stop_logging(Name="acme-audit-trail")


def single_region_trail_without_validation(world: TenantWorld) -> None:
    world.client("cloudtrail").update_trail(
        Name="acme-audit-trail", IsMultiRegionTrail=False, EnableLogFileValidation=False
    )


def short_flow_log_retention(world: TenantWorld) -> None:
    world.client("logs").put_retention_policy(logGroupName="/mlops/acme/flow-logs", retentionInDays=30)


def eks_log_group_without_key(world: TenantWorld) -> None:
    # moto has no DisassociateKmsKey: recreate the group without a key, as a hand-made group would be.
    logs = world.client("logs")
    logs.delete_log_group(logGroupName="/aws/eks/acme-cluster/cluster")
    logs.create_log_group(logGroupName="/aws/eks/acme-cluster/cluster", tags=tags_for("acme"))
    logs.put_retention_policy(logGroupName="/aws/eks/acme-cluster/cluster", retentionInDays=90)


def app_log_group_never_expiring(world: TenantWorld) -> None:
    # controls.yaml: no retention ("0") means never expire, which passes AUD-03.
    world.client("logs").create_log_group(
        logGroupName="/mlops/acme/app", kmsKeyId=world.keys["logs"], tags=tags_for("acme")
    )


def open_ssh_to_the_internet(world: TenantWorld) -> None:
    world.client("ec2").authorize_security_group_ingress(
        GroupId=world.endpoint_sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )


def internet_gateway(world: TenantWorld) -> None:
    ec2 = world.client("ec2")
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=world.vpc_id)


def public_subnet(world: TenantWorld) -> None:
    ec2 = world.client("ec2")
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [world.vpc_id]}])["Subnets"][0]
    ec2.modify_subnet_attribute(SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": True})


def delete_flow_log(world: TenantWorld) -> None:
    ec2 = world.client("ec2")
    logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [world.vpc_id]}])["FlowLogs"]
    ec2.delete_flow_logs(FlowLogIds=[f["FlowLogId"] for f in logs])


def delete_kms_endpoint(world: TenantWorld) -> None:
    ec2 = world.client("ec2")
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [world.vpc_id]}])[
        "VpcEndpoints"
    ]
    ec2.delete_vpc_endpoints(
        VpcEndpointIds=[e["VpcEndpointId"] for e in endpoints if e["ServiceName"].endswith(".kms")]
    )


def public_cluster_endpoint(world: TenantWorld) -> None:
    world.client("eks").update_cluster_config(
        name="acme-cluster", resourcesVpcConfig={"endpointPublicAccess": True, "endpointPrivateAccess": True}
    )


def api_logs_only(world: TenantWorld) -> None:
    world.client("eks").update_cluster_config(
        name="acme-cluster", logging={"clusterLogging": [{"types": ["api"], "enabled": True}]}
    )


def remove_taint(world: TenantWorld) -> None:
    world.client("eks").update_nodegroup_config(
        clusterName="acme-cluster",
        nodegroupName=world.node_group,
        taints={"removeTaints": [{"key": "tenant", "value": "acme", "effect": "NO_SCHEDULE"}]},
    )


def time_slicing(world: TenantWorld) -> None:
    world.client("eks").update_nodegroup_config(
        clusterName="acme-cluster",
        nodegroupName=world.node_group,
        labels={"addOrUpdateLabels": {"gpu-sharing": "time-slicing"}},
    )


def imdsv1_launch_template(world: TenantWorld) -> None:
    ec2 = world.client("ec2")
    ec2.create_launch_template_version(
        LaunchTemplateId=world.launch_template_id,
        SourceVersion="1",
        LaunchTemplateData={
            "MetadataOptions": {"HttpTokens": "optional", "HttpPutResponseHopLimit": 2},
            "BlockDeviceMappings": [
                {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True, "KmsKeyId": world.keys["data"]}}
            ],
        },
    )
    # The node group runs the template's default version: the new default is what new nodes get.
    ec2.modify_launch_template(LaunchTemplateId=world.launch_template_id, DefaultVersion="2")


def secret_without_rotation(world: TenantWorld) -> None:
    world.client("secretsmanager").create_secret(
        Name="acme/unrotated",
        KmsKeyId=world.keys["secrets"],
        SecretString="x",
        Tags=[{"Key": k, "Value": v} for k, v in tags_for("acme").items()],
    )


def secret_under_default_key(world: TenantWorld) -> None:
    sm = world.client("secretsmanager")
    sm.create_secret(
        Name="acme/default-key",
        SecretString="x",
        Tags=[{"Key": k, "Value": v} for k, v in tags_for("acme").items()],
    )
    sm.rotate_secret(
        SecretId="acme/default-key", RotationRules={"AutomaticallyAfterDays": 30}, RotateImmediately=False
    )


def user_with_access_key(world: TenantWorld) -> None:
    iam = world.client("iam")
    iam.create_user(UserName="acme-ci", Tags=[{"Key": "tenant", "Value": "acme"}])
    iam.create_access_key(UserName="acme-ci")


def wildcard_trust(world: TenantWorld) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    world.client("iam").update_assume_role_policy(RoleName="acme-cluster", PolicyDocument=json.dumps(trust))


def wildcard_service_account(world: TenantWorld) -> None:
    trust = web_identity_trust("acme-dev")
    condition = trust["Statement"][0]["Condition"]
    sub_key = next(k for k in condition["StringEquals"] if k.endswith(":sub"))
    condition["StringLike"] = {sub_key: condition["StringEquals"].pop(sub_key).replace("workload", "*")}
    world.client("iam").update_assume_role_policy(
        RoleName="acme-dev-workload", PolicyDocument=json.dumps(trust)
    )


def twelve_hour_sessions(world: TenantWorld) -> None:
    world.client("iam").update_role(RoleName="acme-prod-workload", MaxSessionDuration=43200)


def star_policy(world: TenantWorld) -> None:
    star = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    world.client("iam").put_role_policy(
        RoleName="acme-prod-workload", PolicyName="debug", PolicyDocument=json.dumps(star)
    )


def role_for_two_environments(world: TenantWorld) -> None:
    trust = web_identity_trust("acme-dev")
    trust["Statement"].append(web_identity_trust("acme-prod")["Statement"][0])
    world.client("iam").create_role(
        RoleName="acme-train-workload",
        AssumeRolePolicyDocument=json.dumps(trust),
        Tags=[{"Key": k, "Value": v} for k, v in tags_for("acme").items()],
    )


# Breaks that the audit's own policy reader (fnmatch, literal "*" lookups) missed, and the shared library
# (mlops_policies.policy_documents, the gate's semantics) catches.


def checkpoint_tls_deny_of_reads_and_writes_only(world: TenantWorld) -> None:
    # Denies plain-HTTP GetObject and PutObject, but leaves DeleteObject and the rest of s3:* open.
    name = world.buckets["checkpoint"]
    statement = {**tls_only(name), "Action": ["s3:GetObject", "s3:PutObject"]}
    world.client("s3").put_bucket_policy(
        Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    )


def iam_admin_through_not_resource(world: TenantWorld) -> None:
    # NotResource grants every resource not listed: iam:* on (nearly) everything, without Resource "*".
    grant = {"Effect": "Allow", "Action": "iam:*", "NotResource": f"arn:aws:s3:::acme-dataset-{ACCOUNT}"}
    world.client("iam").put_role_policy(
        RoleName="acme-dev-workload",
        PolicyName="iam-admin",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [grant]}),
    )


def every_account_root_trusted(world: TenantWorld) -> None:
    # arn:aws:iam::*:root is every account's root: everyone, though no principal is spelt "*".
    trust = web_identity_trust("acme-prod")
    trust["Statement"].append(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}, "Action": "sts:AssumeRole"}
    )
    world.client("iam").update_assume_role_policy(
        RoleName="acme-prod-workload", PolicyDocument=json.dumps(trust)
    )


def partner_account_trusted(world: TenantWorld) -> None:
    # Another account's root: every principal of that account may assume the role.
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    world.client("iam").create_role(
        RoleName="acme-partner",
        AssumeRolePolicyDocument=json.dumps(trust),
        Tags=[{"Key": k, "Value": v} for k, v in tags_for("acme").items()],
    )


def s3_endpoint_for_every_tenant_prefix(world: TenantWorld) -> None:
    # `acme-*` also reaches tenant acme-labs' buckets; the audit only looked for Resource "*".
    ec2 = world.client("ec2")
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [world.vpc_id]}])[
        "VpcEndpoints"
    ]
    s3_endpoint = next(e["VpcEndpointId"] for e in endpoints if e["ServiceName"].endswith(".s3"))
    prefix = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::acme-*", "arn:aws:s3:::acme-*/*"],
            }
        ]
    }
    ec2.modify_vpc_endpoint(VpcEndpointId=s3_endpoint, PolicyDocument=json.dumps(prefix))


def role_for_every_namespace(world: TenantWorld) -> None:
    # A wildcard namespace reaches every environment's service accounts (the audit read it as one "*").
    trust = web_identity_trust("acme-dev")
    condition = trust["Statement"][0]["Condition"]
    sub_key = next(k for k in condition["StringEquals"] if k.endswith(":sub"))
    condition["StringEquals"].pop(sub_key)
    condition["StringLike"] = {sub_key: "system:serviceaccount:*:workload"}
    world.client("iam").create_role(
        RoleName="acme-any-workload",
        AssumeRolePolicyDocument=json.dumps(trust),
        Tags=[{"Key": k, "Value": v} for k, v in tags_for("acme").items()],
    )


BREAKS = [
    Break(
        "disabled_key_rotation_fails_sec_01",
        disable_rotation,
        {("SEC-01", "kms_rotation_enabled", "alias/acme-data")},
        {"kms_rotation_enabled": {"KeyRotationEnabled": False}},
    ),
    Break(
        "key_scheduled_for_deletion_fails_sec_01",
        schedule_deletion,
        {("SEC-01", "kms_key_not_pending_deletion", "alias/acme-registry")},
        {"kms_key_not_pending_deletion": {"KeyState": "PendingDeletion"}},
    ),
    Break(
        "registry_bucket_without_object_lock_fails_prov_01",
        registry_without_object_lock,
        {
            ("PROV-01", "registry_object_lock_retention", REGISTRY),
            ("PROV-01", "registry_versioning_enabled", REGISTRY),
        },
        {"registry_versioning_enabled": {"Status": "Suspended"}},
    ),
    Break(
        "audit_bucket_in_governance_mode_fails_aud_02",
        audit_governance_mode,
        {("AUD-02", "audit_object_lock_compliance", AUDIT_LOG)},
    ),
    Break(
        "audit_policy_without_delete_deny_fails_aud_02",
        audit_policy_without_delete_deny,
        {("AUD-02", "audit_bucket_deny_delete", AUDIT_LOG)},
        {
            "audit_bucket_deny_delete": {
                "undenied_actions": [
                    "s3:DeleteObject",
                    "s3:DeleteObjectVersion",
                    "s3:PutLifecycleConfiguration",
                ]
            }
        },
    ),
    Break(
        "bucket_without_tls_policy_fails_data_03",
        dataset_without_tls_policy,
        {("DATA-03", "bucket_tls_only_policy", DATASET)},
    ),
    Break(
        "public_access_block_flag_off_fails_data_03",
        dataset_public_policy_allowed,
        {("DATA-03", "bucket_public_access_block", DATASET)},
    ),
    Break(
        "s3_managed_encryption_fails_data_04",
        dataset_s3_managed_encryption,
        {("DATA-04", "bucket_default_encryption_tenant_key", DATASET)},
    ),
    Break(
        "object_writer_ownership_fails_data_03",
        checkpoint_object_writer,
        {("DATA-03", "bucket_owner_enforced", CHECKPOINT)},
    ),
    Break(
        "artifact_bucket_without_expiry_fails_data_05",
        checkpoint_without_expiry,
        {("DATA-05", "artifact_bucket_expiry", CHECKPOINT)},
    ),
    Break(
        "bucket_missing_tags_fails_ten_01",
        checkpoint_loses_tags,
        {("TEN-01", "resource_tags", CHECKPOINT)},
        {"resource_tags": {"missing": ["environment", "managed-by", "data-classification"]}},
    ),
    Break(
        "mutable_image_tags_fail_prov_03",
        mutable_models_repository,
        {("PROV-03", "ecr_tag_immutability", repo("models"))},
    ),
    Break(
        "scan_on_push_off_fails_prov_03", serving_scan_off, {("PROV-03", "ecr_scan_on_push", repo("serving"))}
    ),
    Break(
        "stopped_trail_fails_aud_01",
        stop_trail,
        {("AUD-01", "trail_logging", TRAIL)},
        {"trail_logging": {"IsLogging": False}},
    ),
    Break(
        "single_region_trail_without_validation_fails_aud_01",
        single_region_trail_without_validation,
        {("AUD-01", "trail_multi_region", TRAIL), ("AUD-01", "trail_log_file_validation", TRAIL)},
    ),
    Break(
        "short_log_retention_fails_aud_03",
        short_flow_log_retention,
        {("AUD-03", "log_group_retention", FLOW_LOGS)},
        {"log_group_retention": {"retentionInDays": 30}},
    ),
    Break(
        "log_group_without_key_fails_aud_03_and_data_04",
        eks_log_group_without_key,
        {("AUD-03", "log_group_kms_key", EKS_LOGS), ("DATA-04", "log_group_tenant_key", EKS_LOGS)},
    ),
    Break("log_group_without_retention_never_expires_and_passes_aud_03", app_log_group_never_expiring, set()),
    Break(
        "security_group_open_to_the_internet_fails_data_02",
        open_ssh_to_the_internet,
        {
            (
                "DATA-02",
                "security_group_no_open_ingress",
                lambda r: next(
                    x.resource
                    for x in r.results
                    if x.check == "security_group_no_open_ingress" and x.status is Status.FAIL
                ),
            )
        },
    ),
    Break(
        "internet_gateway_fails_data_01",
        internet_gateway,
        {("DATA-01", "vpc_no_internet_gateway", lambda r: r.result("vpc_no_internet_gateway").resource)},
    ),
    Break(
        "public_subnet_fails_data_01",
        public_subnet,
        {
            (
                "DATA-01",
                "subnet_no_public_ip_on_launch",
                lambda r: r.result("subnet_no_public_ip_on_launch").resource,
            )
        },
    ),
    Break(
        "deleted_flow_log_fails_aud_04",
        delete_flow_log,
        {("AUD-04", "vpc_flow_log_all", lambda r: r.result("vpc_flow_log_all").resource)},
    ),
    Break(
        "missing_kms_endpoint_fails_data_06",
        delete_kms_endpoint,
        {("DATA-06", "vpc_endpoints_present", lambda r: r.result("vpc_endpoints_present").resource)},
        {"vpc_endpoints_present": {"missing": ["kms (Interface, private DNS)"]}},
    ),
    Break(
        "public_cluster_endpoint_fails_data_08",
        public_cluster_endpoint,
        {("DATA-08", "eks_endpoint_private", CLUSTER)},
    ),
    Break(
        "missing_audit_logs_fail_aud_05", api_logs_only, {("AUD-05", "eks_control_plane_logging", CLUSTER)}
    ),
    Break(
        "removed_node_group_taint_fails_gpu_01",
        remove_taint,
        {("GPU-01", "gpu_nodegroup_tenant_taint", node_group)},
    ),
    Break(
        "time_slicing_label_fails_gpu_02",
        time_slicing,
        {("GPU-02", "gpu_nodegroup_sharing_label", node_group)},
    ),
    Break(
        "launch_template_allowing_imdsv1_fails_gpu_05",
        imdsv1_launch_template,
        {("GPU-05", "gpu_launch_template_imdsv2", node_group)},
        {
            "gpu_launch_template_imdsv2": {
                "MetadataOptions": {"HttpTokens": "optional", "HttpPutResponseHopLimit": 2}
            }
        },
    ),
    Break(
        "secret_without_rotation_fails_sec_03",
        secret_without_rotation,
        {("SEC-03", "secret_rotation_schedule", lambda r: secret(r, "acme/unrotated"))},
    ),
    Break(
        "secret_under_the_aws_managed_key_fails_sec_02",
        secret_under_default_key,
        {("SEC-02", "secret_tenant_kms_key", lambda r: secret(r, "acme/default-key"))},
    ),
    Break(
        "access_key_for_a_tenant_user_fails_sec_05",
        user_with_access_key,
        {("SEC-05", "iam_user_no_access_keys", f"arn:aws:iam::{ACCOUNT}:user/acme-ci")},
    ),
    Break(
        "wildcard_trust_principal_fails_sec_06",
        wildcard_trust,
        {("SEC-06", "role_trust_no_wildcard_principal", role("acme-cluster"))},
    ),
    Break(
        "wildcard_service_account_fails_sec_06",
        wildcard_service_account,
        {("SEC-06", "role_web_identity_scoped", role("acme-dev-workload"))},
        {
            "role_web_identity_scoped": {
                "problems": [
                    f"no StringEquals condition on '{OIDC}:sub'; required: StringEquals '{OIDC}:sub': "
                    "exactly one 'system:serviceaccount:<namespace>:<name>' without wildcards",
                    f"StringLike '{OIDC}:sub' 'system:serviceaccount:acme-dev:*'; required: StringEquals "
                    f"'{OIDC}:sub' with exactly one 'system:serviceaccount:<namespace>:<name>' without "
                    "wildcards, no StringLike wildcards",
                ]
            }
        },
    ),
    Break(
        "twelve_hour_sessions_fail_sec_06",
        twelve_hour_sessions,
        {("SEC-06", "role_max_session_duration", role("acme-prod-workload"))},
    ),
    Break(
        "star_policy_fails_ten_04_and_prov_07",
        star_policy,
        {
            ("TEN-04", "role_policy_no_admin_actions", role("acme-prod-workload")),
            ("PROV-07", "role_separation_of_duties", role("acme-prod-workload")),
        },
        {
            "role_policy_no_admin_actions": {
                "admin_statements": ["inline:debug: Allow Action '*' on Resource '*'"]
            }
        },
    ),
    Break(
        "tls_deny_of_reads_and_writes_only_fails_data_03",
        checkpoint_tls_deny_of_reads_and_writes_only,
        {("DATA-03", "bucket_tls_only_policy", CHECKPOINT)},
        {"bucket_tls_only_policy": {"tls_only_deny": False}},
    ),
    Break(
        "iam_admin_through_not_resource_fails_ten_04",
        iam_admin_through_not_resource,
        {("TEN-04", "role_policy_no_admin_actions", role("acme-dev-workload"))},
        {
            "role_policy_no_admin_actions": {
                "admin_statements": ["inline:iam-admin: Allow Action 'iam:*' on Resource '*'"]
            }
        },
    ),
    Break(
        "every_account_root_trusted_fails_sec_06",
        every_account_root_trusted,
        {("SEC-06", "role_trust_no_wildcard_principal", role("acme-prod-workload"))},
        {"role_trust_no_wildcard_principal": {"too_wide": ["Principal {'AWS': 'arn:aws:iam::*:root'}"]}},
    ),
    Break(
        "partner_account_trusted_fails_sec_06",
        partner_account_trusted,
        {("SEC-06", "role_trust_no_wildcard_principal", role("acme-partner"))},
        {
            "role_trust_no_wildcard_principal": {
                "too_wide": [
                    f"Principal {{'AWS': 'arn:aws:iam::{PARTNER}:root'}} (every principal of account "
                    f"{PARTNER}, not the platform account {ACCOUNT})"
                ]
            }
        },
    ),
    Break(
        "s3_endpoint_for_every_tenant_prefix_fails_data_06",
        s3_endpoint_for_every_tenant_prefix,
        {("DATA-06", "s3_endpoint_policy_scoped", lambda r: r.result("s3_endpoint_policy_scoped").resource)},
    ),
    Break(
        "workload_role_for_every_namespace_fails_ten_05",
        role_for_every_namespace,
        {
            ("TEN-05", "workload_role_single_environment", role("acme-any-workload")),
            ("SEC-06", "role_web_identity_scoped", role("acme-any-workload")),
        },
        {"workload_role_single_environment": {"namespaces": ["*"]}},
    ),
    Break(
        "workload_role_for_two_environments_fails_ten_05",
        role_for_two_environments,
        {("TEN-05", "workload_role_single_environment", role("acme-train-workload"))},
        {"workload_role_single_environment": {"namespaces": ["acme-dev", "acme-prod"]}},
    ),
]


@pytest.fixture(scope="module")
def broken(session: boto3.Session, moto_server: str) -> AuditReport:
    reset_moto(moto_server)
    world = build_tenant(session, moto_server)
    for brk in BREAKS:
        brk.apply(world)
    return audit(world)


@pytest.mark.parametrize("brk", BREAKS, ids=[b.name for b in BREAKS])
def test_break_is_caught_by_its_check(broken: AuditReport, brk: Break) -> None:
    expected = resolve(broken, brk.expected)

    assert expected <= failing(broken)
    for _, check, resource in expected:
        evidence = broken.result(check, resource).evidence
        wanted = brk.evidence.get(check, {})
        assert {k: evidence.get(k) for k in wanted} == wanted


def test_nothing_but_the_breaks_fails(broken: AuditReport) -> None:
    expected = set().union(*(resolve(broken, b.expected) for b in BREAKS))

    assert failing(broken) == expected
    assert broken.exit_code() == 1


def test_the_s3_endpoint_break_names_the_patterns_beyond_the_tenants_buckets(broken: AuditReport) -> None:
    result = broken.result("s3_endpoint_policy_scoped")

    assert list(result.evidence["beyond_tenant_buckets"].values()) == [
        ["arn:aws:s3:::acme-*", "arn:aws:s3:::acme-*/*"]
    ]


def test_log_group_without_retention_never_expires_and_passes_aud_03(broken: AuditReport) -> None:
    result = broken.result("log_group_retention", APP_LOGS)

    assert (result.status, result.detail) == (Status.PASS, "never expires")


def test_administrator_access_attached_fails_ten_04(world_with_managed_policies: TenantWorld) -> None:
    world = world_with_managed_policies
    world.client("iam").attach_role_policy(
        RoleName="acme-cluster", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )

    report = audit(world)

    cluster_role = role("acme-cluster")
    assert failing(report) == {
        ("TEN-04", "role_no_administrator_access", cluster_role),
        ("TEN-04", "role_policy_no_admin_actions", cluster_role),
        ("PROV-07", "role_separation_of_duties", cluster_role),
    }
    assert report.result("role_no_administrator_access", cluster_role).evidence == {
        "AttachedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"]
    }


def test_policies_the_audit_used_to_misjudge_as_failing_now_pass(world: TenantWorld) -> None:
    """Two compliant spellings the audit's own reader failed, judged now as IAM (and the gate) read them:
    a Deny with NotAction denies every action it does not list, and an unconditional Deny subtracts
    from what a role's Allow grants."""
    s3, iam = world.client("s3"), world.client("iam")
    name = world.buckets["audit-log"]
    append_only = {
        "Sid": "AppendOnly",
        "Effect": "Deny",
        "Principal": "*",
        "NotAction": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
    }
    s3.put_bucket_policy(
        Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [tls_only(name), append_only]})
    )
    registry_objects = f"{world.bucket_arn('model-registry')}/*"
    deploys_but_cannot_write = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:PutObject", "eks:CreateCluster"], "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:Put*", "Resource": registry_objects},
        ],
    }
    iam.put_role_policy(
        RoleName="acme-prod-workload",
        PolicyName="deploy",
        PolicyDocument=json.dumps(deploys_but_cannot_write),
    )

    report = audit(world)

    assert failing(report) == set()
    assert report.result("audit_bucket_deny_delete", AUDIT_LOG).evidence["undenied_actions"] == []
    separation = report.result("role_separation_of_duties", role("acme-prod-workload")).evidence
    assert (separation["registry_write_via"], separation["deploy_via"]) == (
        [],
        ["inline:deploy:eks:CreateCluster"],
    )


def test_a_role_replicating_into_the_registry_and_deploying_inference_components_fails_prov_07(
    world: TenantWorld,
) -> None:
    """The gate's registry writes (policy_predicates.REGISTRY_WRITES) and deploy actions, read live: no
    s3:PutObject and no CreateEndpoint, yet the role both changes model versions and serves them."""
    registry_objects = f"{world.bucket_arn('model-registry')}/*"
    both = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:ReplicateObject", "Resource": registry_objects},
            {"Effect": "Allow", "Action": "sagemaker:CreateInferenceComponent", "Resource": "*"},
        ],
    }
    world.client("iam").put_role_policy(
        RoleName="acme-prod-workload", PolicyName="publish-and-serve", PolicyDocument=json.dumps(both)
    )

    report = audit(world)

    assert failing(report) == {("PROV-07", "role_separation_of_duties", role("acme-prod-workload"))}
    separation = report.result("role_separation_of_duties", role("acme-prod-workload")).evidence
    assert (separation["registry_write_via"], separation["deploy_via"]) == (
        ["inline:publish-and-serve"],
        ["inline:publish-and-serve:sagemaker:CreateInferenceComponent"],
    )
