"""AUD: one compliant stack per control, one changed property per failing case."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies import buckets
from mlops_policies.controls.aud_01.trail_audit_log_bucket import trail_audit_log_bucket
from mlops_policies.controls.aud_01.trail_exists import trail_exists
from mlops_policies.controls.aud_01.trail_global_service_events import trail_global_service_events
from mlops_policies.controls.aud_01.trail_log_file_validation import trail_log_file_validation
from mlops_policies.controls.aud_01.trail_multi_region import trail_multi_region
from mlops_policies.controls.aud_01.trail_tenant_key import trail_tenant_key
from mlops_policies.controls.aud_02.audit_bucket_object_lock import audit_bucket_object_lock
from mlops_policies.controls.aud_02.audit_compliance_retention import audit_compliance_retention
from mlops_policies.controls.aud_02.audit_deny_delete import audit_deny_delete
from mlops_policies.controls.aud_02.audit_versioning import audit_versioning
from mlops_policies.controls.aud_03.log_group_kms_key import log_group_kms_key
from mlops_policies.controls.aud_03.log_group_retention import log_group_retention
from mlops_policies.controls.aud_04.vpc_flow_logs import vpc_flow_logs
from mlops_policies.controls.aud_05.eks_control_plane_logs import eks_control_plane_logs
from mlops_policies.controls.aud_06.s3_data_events import s3_data_events
from mlops_policies.controls.aud_07.audit_log_replication import audit_log_replication
from tests.policies import harness
from tests.policies.harness import DELETE, GLOBEX, UNKNOWN, Res, area_rules, changed, run_resource, run_stack
from tests.policies.strategies import POLICY_JSON, SCALARS, leaf_paths

RULES = area_rules("audit")

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
TRAIL = "aws:cloudtrail/trail:Trail"
KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
CLUSTER = "aws:eks/cluster:Cluster"

ACCOUNT = "111122223333"
AUDIT_NAME = f"acme-audit-log-{ACCOUNT}"
TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}


def bucket_props(purpose: str) -> dict:
    return {
        "bucket": f"acme-{purpose}-{ACCOUNT}",
        "objectLockEnabled": purpose in {"audit-log", "model-registry"},
        "tags": {**TAGS, "purpose": purpose, "data-classification": "confidential"},
    }


def append_only_policy(name: str = AUDIT_NAME) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Sid": "AppendOnly", "Effect": "Deny", "Principal": {"AWS": "*"},
             "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"],
             "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]},
        ],
    })  # fmt: skip


COMPLIANT_TRAIL = {
    "name": "acme-trail",
    "s3BucketName": UNKNOWN,
    "kmsKeyId": UNKNOWN,
    "isMultiRegionTrail": True,
    "enableLogFileValidation": True,
    "includeGlobalServiceEvents": True,
    "eventSelectors": [
        {
            "readWriteType": "All",
            "includeManagementEvents": True,
            "dataResources": [{"type": "AWS::S3::Object", "values": [UNKNOWN, UNKNOWN, UNKNOWN]}],
        }
    ],
    "tags": TAGS,
}
COMPLIANT_LOCK = {
    "bucket": UNKNOWN,
    "objectLockEnabled": "Enabled",
    "rule": {"defaultRetention": {"mode": "COMPLIANCE", "days": 365}},
}
COMPLIANT_REPLICATION = {
    "bucket": UNKNOWN,
    "role": UNKNOWN,
    "rules": [
        {
            "id": "archive",
            "status": "Enabled",
            "destination": {"bucket": "arn:aws:s3:::platform-security-archive"},
        }
    ],
}


def audit_stack(
    trail: dict | None = COMPLIANT_TRAIL,
    lock: dict | None = COMPLIANT_LOCK,
    versioning: dict | None = None,
    policy: str | None = None,
    replication: dict | None = COMPLIANT_REPLICATION,
    audit_bucket: dict | None = None,
    extra: tuple[Res, ...] = (),
) -> list[Res]:
    """A first preview of a compliant tenant stack: ids and ARNs unknown, decided through dependencies."""
    on_audit = {"bucket": ["audit"]}
    stack = [
        Res(KEY, "key", {"description": "acme key", "enableKeyRotation": True, "tags": TAGS}),
        Res(BUCKET, "audit", audit_bucket or bucket_props("audit-log")),
        Res(BUCKET, "registry", bucket_props("model-registry")),
        Res(BUCKET, "dataset", bucket_props("dataset")),
        Res(BUCKET_V2, "checkpoint", bucket_props("checkpoint")),
        Res(BUCKET, "artifacts", bucket_props("artifacts")),
    ]
    if lock is not None:
        stack.append(Res(LOCK, "audit-lock", lock, prop_deps=on_audit))
    versioning = versioning or {"bucket": UNKNOWN, "versioningConfiguration": {"status": "Enabled"}}
    stack.append(Res(VERSIONING, "audit-versioning", versioning, prop_deps=on_audit))
    policy_props = {"bucket": UNKNOWN, "policy": policy if policy is not None else append_only_policy()}
    stack.append(Res(BUCKET_POLICY, "audit-policy", policy_props, prop_deps=on_audit))
    if replication is not None:
        stack.append(Res(REPLICATION, "audit-replication", replication, prop_deps=on_audit))
    if trail is not None:
        trail_deps = {
            "s3BucketName": ["audit"],
            "kmsKeyId": ["key"],
            "eventSelectors": ["registry", "dataset", "checkpoint"],
        }
        stack.append(Res(TRAIL, "trail", trail, prop_deps=trail_deps))
    return [*stack, *extra]


def without(stack: list[Res], *names: str) -> list[Res]:
    """The stack without the named resources, and without dependencies on them."""
    kept = [r for r in stack if r.name not in names]
    for resource in kept:
        resource.prop_deps = {k: [d for d in v if d not in names] for k, v in resource.prop_deps.items()}
    return kept


def test_pass_compliant_stack_for_every_stack_rule_in_a_first_preview():
    for rule in (
        trail_exists,
        trail_audit_log_bucket,
        trail_tenant_key,
        audit_compliance_retention,
        audit_versioning,
        audit_deny_delete,
    ):
        assert run_stack(rule, audit_stack()).passed, rule.name
    for rule in (s3_data_events, audit_log_replication):
        assert run_stack(rule, audit_stack(), tenant=GLOBEX).passed, rule.name


# ---------------------------------------------------------------- AUD-01: a tamper-evident trail


def test_fail_stack_without_trail_is_a_stack_level_violation():
    outcome = run_stack(trail_exists, audit_stack(trail=None))
    assert outcome.violations == [
        "the stack has no aws:cloudtrail/trail:Trail; required: a multi-region trail with log file "
        "validation, encrypted with a tenant key, delivering to the tenant's audit-log bucket"
    ]
    assert outcome.urns == [None]


def test_pass_trail_settings():
    for rule in (trail_multi_region, trail_log_file_validation, trail_global_service_events):
        assert run_resource(rule, TRAIL, COMPLIANT_TRAIL).passed, rule.name


def test_fail_single_region_trail():
    props = changed(COMPLIANT_TRAIL, "isMultiRegionTrail", False)
    assert run_resource(trail_multi_region, TRAIL, props).violations == [
        "aws:cloudtrail/trail:Trail 'subject' has isMultiRegionTrail False; required: true"
    ]


def test_fail_trail_without_log_file_validation_means_the_aws_default_false():
    props = changed(COMPLIANT_TRAIL, "enableLogFileValidation", DELETE)
    assert run_resource(trail_log_file_validation, TRAIL, props).violations == [
        "aws:cloudtrail/trail:Trail 'subject' has enableLogFileValidation missing; required: true"
    ]


def test_pass_missing_global_service_events_is_the_provider_default_true_and_fail_false():
    props = changed(COMPLIANT_TRAIL, "includeGlobalServiceEvents", DELETE)
    assert run_resource(trail_global_service_events, TRAIL, props).passed
    props = changed(COMPLIANT_TRAIL, "includeGlobalServiceEvents", "false")
    assert run_resource(trail_global_service_events, TRAIL, props).violations == [
        "aws:cloudtrail/trail:Trail 'subject' has includeGlobalServiceEvents 'false'; required: true"
    ]


def test_undecided_trail_setting_unknown_in_preview():
    outcome = run_resource(trail_multi_region, TRAIL, changed(COMPLIANT_TRAIL, "isMultiRegionTrail", UNKNOWN))
    assert outcome.undecided is not None and outcome.violations == []


def test_pass_trail_bucket_known_by_name_or_by_the_conventional_name():
    stack = audit_stack(trail=changed(COMPLIANT_TRAIL, "s3BucketName", AUDIT_NAME))
    stack[-1].prop_deps.pop("s3BucketName")
    assert run_stack(trail_audit_log_bucket, stack).passed
    in_another_stack = without(stack, *(r.name for r in stack if r.type in {BUCKET, BUCKET_V2}))
    assert run_stack(trail_audit_log_bucket, in_another_stack).passed


def test_fail_trail_delivering_to_a_bucket_of_another_purpose():
    stack = audit_stack()
    stack[-1].prop_deps["s3BucketName"] = ["dataset"]
    assert run_stack(trail_audit_log_bucket, stack).violations == [
        "aws:cloudtrail/trail:Trail 'trail' has s3BucketName referring to aws:s3/bucket:Bucket 'dataset' "
        "(purpose 'dataset'); required: the tenant's audit-log bucket (tagged purpose audit-log)"
    ]


def test_fail_trail_delivering_to_a_foreign_or_missing_bucket():
    stack = audit_stack(trail=changed(COMPLIANT_TRAIL, "s3BucketName", "someone-elses-logs"))
    stack[-1].prop_deps.pop("s3BucketName")
    outcome = run_stack(trail_audit_log_bucket, stack)
    assert (
        "has s3BucketName 'someone-elses-logs', not an audit-log bucket of this stack"
        in outcome.violations[0]
    )
    stack = audit_stack(trail=changed(COMPLIANT_TRAIL, "s3BucketName", DELETE))
    stack[-1].prop_deps.pop("s3BucketName")
    assert "has s3BucketName missing;" in run_stack(trail_audit_log_bucket, stack).violations[0]


def test_undecided_trail_bucket_unknown_without_dependency_information():
    stack = audit_stack()
    stack[-1].prop_deps.pop("s3BucketName")
    outcome = run_stack(trail_audit_log_bucket, stack)
    assert outcome.violations == []
    assert outcome.undecided == (
        "aws:cloudtrail/trail:Trail 'trail': s3BucketName is unknown with no dependency on a bucket"
    )


def test_fail_trail_key_of_another_tenant_or_aws_managed():
    stack = audit_stack()
    stack[0] = Res(KEY, "key", {"tags": {**TAGS, "tenant": "globex"}})
    assert run_stack(trail_tenant_key, stack).violations == [
        "aws:cloudtrail/trail:Trail 'trail' has kmsKeyId aws:kms/key:Key 'key', which is not tagged "
        "tenant=acme; required: a KMS key of this stack tagged tenant=acme"
    ]
    stack = audit_stack(trail=changed(COMPLIANT_TRAIL, "kmsKeyId", "alias/aws/cloudtrail"))
    stack[-1].prop_deps.pop("kmsKeyId")
    assert (
        "kmsKeyId 'alias/aws/cloudtrail' (an AWS-managed key)"
        in run_stack(trail_tenant_key, stack).violations[0]
    )


def test_fail_trail_without_key():
    stack = audit_stack(trail=changed(COMPLIANT_TRAIL, "kmsKeyId", DELETE))
    stack[-1].prop_deps.pop("kmsKeyId")
    assert (
        run_stack(trail_tenant_key, stack)
        .violations[0]
        .startswith("aws:cloudtrail/trail:Trail 'trail' has kmsKeyId missing; required")
    )


def test_undecided_trail_key_unknown_without_dependency_information():
    stack = audit_stack()
    stack[-1].prop_deps.pop("kmsKeyId")
    outcome = run_stack(trail_tenant_key, stack)
    assert outcome.violations == [] and "kmsKeyId is an unknown value" in (outcome.undecided or "")


# ---------------------------------------------------------------- AUD-02: append-only audit buckets


@pytest.mark.parametrize("type_", [BUCKET, BUCKET_V2])
def test_pass_audit_bucket_with_object_lock(type_):
    assert run_resource(audit_bucket_object_lock, type_, bucket_props("audit-log")).passed


def test_fail_audit_bucket_without_object_lock():
    props = changed(bucket_props("audit-log"), "objectLockEnabled", False)
    assert run_resource(audit_bucket_object_lock, BUCKET, props).violations == [
        "aws:s3/bucket:Bucket 'subject' (purpose audit-log) has objectLockEnabled false; required: true"
    ]
    assert run_resource(audit_bucket_object_lock, BUCKET, bucket_props("dataset")).passed


def test_fail_audit_retention_in_governance_mode_or_too_short():
    lock = changed(COMPLIANT_LOCK, "rule.defaultRetention.mode", "GOVERNANCE")
    assert run_stack(audit_compliance_retention, audit_stack(lock=lock)).violations == [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration 'audit-lock' has "
        "rule.defaultRetention.mode 'GOVERNANCE'; required: COMPLIANCE"
    ]
    lock = changed(COMPLIANT_LOCK, "rule.defaultRetention.days", 90)
    assert (
        run_stack(audit_compliance_retention, audit_stack(lock=lock))
        .violations[0]
        .endswith("has rule.defaultRetention.days 90; required: at least 365 days")
    )


def test_pass_audit_retention_of_one_year_and_configurable_minimum():
    lock = changed(
        changed(COMPLIANT_LOCK, "rule.defaultRetention.days", DELETE), "rule.defaultRetention.years", 1
    )
    assert run_stack(audit_compliance_retention, audit_stack(lock=lock)).passed
    config = {"minAuditRetentionDays": 730}
    assert run_stack(audit_compliance_retention, audit_stack(lock=lock), config=config).violations


def test_fail_audit_bucket_without_lock_configuration():
    assert run_stack(audit_compliance_retention, audit_stack(lock=None)).violations == [
        "aws:s3/bucket:Bucket 'audit' (purpose audit-log) has no "
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration; required: a default retention "
        "rule, mode COMPLIANCE, at least 365 days"
    ]


def test_fail_audit_versioning_disabled():
    versioning = {"bucket": UNKNOWN, "versioningConfiguration": {"status": "Disabled"}}
    assert run_stack(audit_versioning, audit_stack(versioning=versioning)).violations == [
        "aws:s3/bucketVersioning:BucketVersioning 'audit-versioning' has versioningConfiguration.status "
        "'Disabled'; required: 'Enabled'"
    ]


def test_fail_audit_bucket_policy_that_does_not_deny_deletes():
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:DeleteObject",
        "Resource": f"arn:aws:s3:::{AUDIT_NAME}/*",
    }
    policy = json.dumps({"Version": "2012-10-17", "Statement": [deny]})
    assert run_stack(audit_deny_delete, audit_stack(policy=policy)).violations == [
        "aws:s3/bucketPolicy:BucketPolicy 'audit-policy' has policy without an unconditional Deny for "
        "Principal '*' of s3:DeleteObjectVersion, s3:PutLifecycleConfiguration; required: Deny "
        "s3:DeleteObject, s3:DeleteObjectVersion, s3:PutLifecycleConfiguration on "
        f"arn:aws:s3:::{AUDIT_NAME}/* and arn:aws:s3:::{AUDIT_NAME}"
    ]


def test_pass_audit_bucket_policy_denying_with_wildcards():
    actions = ["s3:Delete*", "s3:PutLifecycle*"]
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": actions,
        "Resource": "arn:aws:s3:::acme-audit-log-*",
    }
    policy = json.dumps({"Statement": deny})
    assert run_stack(audit_deny_delete, audit_stack(policy=policy)).passed


@pytest.mark.parametrize(
    "change",
    [
        {"Condition": {"StringNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/breakglass"}}},
        {"Principal": {"AWS": "arn:aws:iam::111122223333:root"}},
        {"NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/breakglass"}},
        {"Effect": "Allow"},
    ],
)
def test_fail_audit_deny_that_leaves_someone_allowed(change):
    policy = json.loads(append_only_policy())
    policy["Statement"][1].update(change)
    outcome = run_stack(audit_deny_delete, audit_stack(policy=json.dumps(policy)))
    assert (
        len(outcome.violations) == 1 and "of s3:DeleteObject, s3:DeleteObjectVersion" in outcome.violations[0]
    )


def test_fail_audit_bucket_without_policy_or_with_unparseable_policy():
    stack = [r for r in audit_stack() if r.type != BUCKET_POLICY]
    assert run_stack(audit_deny_delete, stack).violations == [
        "aws:s3/bucket:Bucket 'audit' (purpose audit-log) has no aws:s3/bucketPolicy:BucketPolicy; required: "
        "a bucket policy denying s3:DeleteObject, s3:DeleteObjectVersion and s3:PutLifecycleConfiguration"
    ]
    assert run_stack(audit_deny_delete, audit_stack(policy="{not json")).violations


def test_undecided_audit_bucket_policy_unknown_in_preview():
    outcome = run_stack(audit_deny_delete, audit_stack(policy=UNKNOWN))
    assert outcome.violations == [] and "policy" in (outcome.undecided or "")


# ---------------------------------------------------------------- AUD-03: log groups

COMPLIANT_LOG_GROUP = {
    "name": "/acme/prod/serving",
    "retentionInDays": 365,
    "kmsKeyId": UNKNOWN,
    "tags": TAGS,
}


def log_group_stack(group=COMPLIANT_LOG_GROUP, deps=("key",)):
    return [
        Res(KEY, "key", {"tags": TAGS}),
        Res(LOG_GROUP, "logs", group, prop_deps={"kmsKeyId": list(deps)}),
    ]


@pytest.mark.parametrize("days", [90, 3653, 0, DELETE])
def test_pass_log_group_retained_long_enough_or_forever(days):
    props = changed(COMPLIANT_LOG_GROUP, "retentionInDays", days)
    assert run_resource(log_group_retention, LOG_GROUP, props).passed


def test_fail_log_group_retention_too_short_and_configurable_minimum():
    props = changed(COMPLIANT_LOG_GROUP, "retentionInDays", 30)
    assert run_resource(log_group_retention, LOG_GROUP, props).violations == [
        "aws:cloudwatch/logGroup:LogGroup 'subject' has retentionInDays 30; "
        "required: at least 90, or 0 (never expire)"
    ]
    config = {"minLogRetentionDays": 400}
    assert run_resource(log_group_retention, LOG_GROUP, COMPLIANT_LOG_GROUP, config=config).violations


def test_pass_log_group_key_in_a_first_preview_decided_through_the_dependency():
    assert run_stack(log_group_kms_key, log_group_stack()).passed
    known = changed(COMPLIANT_LOG_GROUP, "kmsKeyId", "arn:aws:kms:us-east-1:111122223333:key/k")
    assert run_stack(log_group_kms_key, log_group_stack(known, deps=())).passed


def test_fail_log_group_without_key():
    outcome = run_stack(
        log_group_kms_key, log_group_stack(changed(COMPLIANT_LOG_GROUP, "kmsKeyId", DELETE), ())
    )
    assert outcome.violations == [
        "aws:cloudwatch/logGroup:LogGroup 'logs' has kmsKeyId missing; required: a KMS key ARN"
    ]


def test_undecided_log_group_key_unknown_without_dependency_information():
    outcome = run_stack(log_group_kms_key, log_group_stack(deps=()))
    assert outcome.violations == [] and outcome.undecided is not None


# ---------------------------------------------------------------- AUD-04: VPC flow logs

COMPLIANT_FLOW_LOG = {"vpcId": UNKNOWN, "trafficType": "ALL", "logDestinationType": "cloud-watch-logs"}


def vpc_stack(flow_log=COMPLIANT_FLOW_LOG, deps=("vpc",)):
    return [
        Res(VPC, "vpc", {"cidrBlock": "10.1.0.0/16", "tags": TAGS}),
        Res(FLOW_LOG, "vpc-flows", flow_log, prop_deps={"vpcId": list(deps)}),
    ]


def test_pass_vpc_with_flow_log_of_all_traffic_in_a_first_preview():
    assert run_stack(vpc_flow_logs, vpc_stack()).passed


def test_fail_vpc_without_flow_log():
    outcome = run_stack(vpc_flow_logs, vpc_stack()[:1])
    assert outcome.violations == [
        "aws:ec2/vpc:Vpc 'vpc' has no aws:ec2/flowLog:FlowLog with vpcId referring to it; "
        "required: a flow log with trafficType 'ALL'"
    ]


def test_fail_vpc_with_flow_log_of_rejected_traffic_only():
    outcome = run_stack(vpc_flow_logs, vpc_stack(changed(COMPLIANT_FLOW_LOG, "trafficType", "REJECT")))
    assert outcome.violations == [
        "aws:ec2/flowLog:FlowLog 'vpc-flows' of aws:ec2/vpc:Vpc 'vpc' has trafficType 'REJECT'; "
        "required: 'ALL' (no flow log of the VPC records all traffic)"
    ]
    assert outcome.urns == ["urn:pulumi:acme::mlops-landing-zone::aws:ec2/flowLog:FlowLog::vpc-flows"]


def test_pass_vpc_with_one_flow_log_of_all_traffic_among_others():
    stack = [
        *vpc_stack(),
        Res(
            FLOW_LOG,
            "rejects",
            changed(COMPLIANT_FLOW_LOG, "trafficType", "REJECT"),
            prop_deps={"vpcId": ["vpc"]},
        ),
    ]
    assert run_stack(vpc_flow_logs, stack).passed


def test_undecided_flow_log_whose_vpc_is_unknown_without_dependency_information():
    outcome = run_stack(vpc_flow_logs, vpc_stack(deps=()))
    assert outcome.violations == [] and outcome.undecided is not None


# ---------------------------------------------------------------- AUD-05: EKS control plane logs

COMPLIANT_CLUSTER = {
    "name": "acme",
    "roleArn": UNKNOWN,
    "enabledClusterLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
}


def test_pass_cluster_with_required_log_types():
    assert run_resource(eks_control_plane_logs, CLUSTER, COMPLIANT_CLUSTER).passed


def test_fail_cluster_without_audit_logs_or_any_logs():
    props = changed(COMPLIANT_CLUSTER, "enabledClusterLogTypes", ["api"])
    assert run_resource(eks_control_plane_logs, CLUSTER, props).violations == [
        "aws:eks/cluster:Cluster 'subject' has enabledClusterLogTypes ['api'] without audit, authenticator; "
        "required: at least api, audit, authenticator"
    ]
    props = changed(COMPLIANT_CLUSTER, "enabledClusterLogTypes", DELETE)
    assert (
        "enabledClusterLogTypes [] without api, audit"
        in run_resource(eks_control_plane_logs, CLUSTER, props).violations[0]
    )


# ---------------------------------------------------------------- AUD-06: S3 data events


def with_trail(trail: dict, deps: dict | None = None) -> list[Res]:
    stack = audit_stack(trail=trail)
    if deps is not None:
        stack[-1].prop_deps = deps
    return stack


def test_fail_data_bucket_not_covered_by_any_selector():
    stack = with_trail(COMPLIANT_TRAIL, {"eventSelectors": ["registry", "dataset"]})
    outcome = run_stack(s3_data_events, stack, tenant=GLOBEX)
    assert outcome.violations == [
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads and writes of "
        "aws:s3/bucketV2:BucketV2 'checkpoint' (purpose checkpoint); required: a data resource {type "
        "'AWS::S3::Object', values ['arn:aws:s3:::acme-checkpoint-111122223333/']} with readWriteType All, "
        "or an equivalent advanced event selector"
    ]
    assert outcome.urns == ["urn:pulumi:acme::mlops-landing-zone::aws:cloudtrail/trail:Trail::trail"]


def test_fail_data_buckets_in_a_stack_without_trail_are_stack_violations():
    outcome = run_stack(s3_data_events, audit_stack(trail=None), tenant=GLOBEX)
    assert outcome.urns == [None, None, None]
    assert outcome.violations[0].startswith(
        "the stack has no aws:cloudtrail/trail:Trail recording S3 data events for reads and writes of "
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry); required:"
    )


def test_pass_known_bucket_values_and_all_bucket_selector():
    values = [f"arn:aws:s3:::acme-{p}-{ACCOUNT}/" for p in ("model-registry", "dataset", "checkpoint")]
    trail = changed(COMPLIANT_TRAIL, "eventSelectors.0.dataResources.0.values", values)
    assert run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).passed
    trail = changed(COMPLIANT_TRAIL, "eventSelectors.0.dataResources.0.values", ["arn:aws:s3"])
    assert run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).passed


def test_fail_write_only_selector_misses_reads():
    trail = changed(COMPLIANT_TRAIL, "eventSelectors.0.readWriteType", "WriteOnly")
    outcome = run_stack(s3_data_events, with_trail(trail), tenant=GLOBEX)
    assert len(outcome.violations) == 3
    assert "records no S3 data events for reads of aws:s3/bucket:Bucket 'registry'" in outcome.violations[0]


def test_fail_prefix_of_a_bucket_is_not_the_whole_bucket():
    values = [f"arn:aws:s3:::acme-{p}-{ACCOUNT}/models/" for p in ("model-registry", "dataset", "checkpoint")]
    trail = changed(COMPLIANT_TRAIL, "eventSelectors.0.dataResources.0.values", values)
    assert len(run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).violations) == 3


ADVANCED = [
    {"name": "s3-data", "fieldSelectors": [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
    ]},
]  # fmt: skip


def test_pass_advanced_selector_for_all_s3_objects_or_bucket_prefixes():
    trail = changed(changed(COMPLIANT_TRAIL, "eventSelectors", DELETE), "advancedEventSelectors", ADVANCED)
    assert run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).passed
    arn_selector = {"field": "resources.ARN", "startsWiths": ["arn:aws:s3:::acme-"]}
    advanced = [{"fieldSelectors": [*ADVANCED[0]["fieldSelectors"], arn_selector]}]
    trail = changed(changed(COMPLIANT_TRAIL, "eventSelectors", DELETE), "advancedEventSelectors", advanced)
    assert run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).passed


def test_pass_advanced_selectors_for_reads_and_writes_separately_and_unknown_arn_from_dependency():
    read = {"field": "readOnly", "equals": ["true"]}
    write = {"field": "readOnly", "equals": ["false"]}
    arn = {"field": "resources.ARN", "startsWiths": [UNKNOWN, UNKNOWN, UNKNOWN]}
    base = ADVANCED[0]["fieldSelectors"]
    advanced = [{"fieldSelectors": [*base, read, arn]}, {"fieldSelectors": [*base, write, arn]}]
    trail = changed(changed(COMPLIANT_TRAIL, "eventSelectors", DELETE), "advancedEventSelectors", advanced)
    deps = {"advancedEventSelectors": ["registry", "dataset", "checkpoint"]}
    assert run_stack(s3_data_events, with_trail(trail, deps), tenant=GLOBEX).passed
    advanced = [{"fieldSelectors": [*base, read, arn]}]
    trail = changed(trail, "advancedEventSelectors", advanced)
    outcome = run_stack(s3_data_events, with_trail(trail, deps), tenant=GLOBEX)
    assert len(outcome.violations) == 3 and "data events for writes" in outcome.violations[0]


def test_fail_advanced_selector_narrowed_to_some_events():
    narrowed = [*ADVANCED[0]["fieldSelectors"], {"field": "eventName", "equals": ["PutObject"]}]
    trail = changed(
        changed(COMPLIANT_TRAIL, "eventSelectors", DELETE),
        "advancedEventSelectors",
        [{"fieldSelectors": narrowed}],
    )
    assert len(run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).violations) == 3


def test_undecided_data_resource_values_unknown_without_dependency_information():
    outcome = run_stack(s3_data_events, with_trail(COMPLIANT_TRAIL, {}), tenant=GLOBEX)
    assert outcome.violations == []
    assert outcome.undecided == "; ".join(
        f"aws:s3/{kind} '{name}': aws:cloudtrail/trail:Trail 'trail' eventSelectors[0] values is unknown "
        "with no dependency on a bucket"
        for kind, name in (
            ("bucket:Bucket", "registry"),
            ("bucket:Bucket", "dataset"),
            ("bucketV2:BucketV2", "checkpoint"),
        )
    )


def test_not_applicable_data_events_for_standard_tenant():
    assert run_stack(s3_data_events, audit_stack(trail=None)).not_applicable is not None


# ---------------------------------------------------------------- AUD-07: evidence leaves the tenant


def test_fail_audit_bucket_without_replication():
    outcome = run_stack(audit_log_replication, audit_stack(replication=None), tenant=GLOBEX)
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'audit' (purpose audit-log) has no "
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig; required: a replication rule with status "
        "'Enabled' and destination.bucket 'arn:aws:s3:::platform-security-archive'"
    ]


def test_fail_replication_to_another_bucket_or_disabled():
    replication = changed(COMPLIANT_REPLICATION, "rules.0.destination.bucket", "arn:aws:s3:::acme-backup")
    outcome = run_stack(audit_log_replication, audit_stack(replication=replication), tenant=GLOBEX)
    assert outcome.violations == [
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig 'audit-replication' has no rule with status "
        "'Enabled' and destination.bucket 'arn:aws:s3:::platform-security-archive' (found: rules[0] status "
        "'Enabled' to 'arn:aws:s3:::acme-backup'); required: replication to the security archive"
    ]
    replication = changed(COMPLIANT_REPLICATION, "rules.0.status", "Disabled")
    assert run_stack(audit_log_replication, audit_stack(replication=replication), tenant=GLOBEX).violations


def test_fail_platform_config_without_security_archive(monkeypatch):
    original = harness.set_tenant
    monkeypatch.setattr(harness, "set_tenant", lambda tenant: original(tenant, {"account_id": ACCOUNT}))
    outcome = run_stack(audit_log_replication, audit_stack(), tenant=GLOBEX)
    assert outcome.violations == [
        "landingzone:platform has security_archive_bucket missing; required: the platform's security archive "
        "bucket, the replication destination of the audit-log bucket"
    ]
    assert outcome.urns == [None]


def test_fail_regulated_stack_without_audit_log_bucket():
    stack = without(audit_stack(), "audit")
    outcome = run_stack(audit_log_replication, stack, tenant=GLOBEX)
    assert outcome.violations[0].startswith("the stack has no bucket with purpose audit-log; required:")


def test_undecided_replication_destination_unknown():
    replication = changed(COMPLIANT_REPLICATION, "rules.0.destination.bucket", UNKNOWN)
    outcome = run_stack(audit_log_replication, audit_stack(replication=replication), tenant=GLOBEX)
    assert outcome.violations == [] and outcome.undecided is not None


def test_not_applicable_replication_for_standard_tenant():
    assert run_stack(audit_log_replication, audit_stack(replication=None)).not_applicable is not None


# ---------------------------------------------------------------- shared helpers: bucket policies


def test_denies_insecure_transport_requires_an_unconditional_everyone_deny_of_all_s3_without_tls():
    document = json.loads(append_only_policy())
    assert buckets.denies_insecure_transport(document, AUDIT_NAME)
    assert not buckets.denies_insecure_transport(document, "another-bucket")
    narrowed = copy.deepcopy(document)
    narrowed["Statement"][0]["Action"] = "s3:GetObject"
    assert not buckets.denies_insecure_transport(narrowed, AUDIT_NAME)
    extra_condition = copy.deepcopy(document)
    extra_condition["Statement"][0]["Condition"]["IpAddress"] = {"aws:SourceIp": "10.0.0.0/8"}
    assert not buckets.denies_insecure_transport(extra_condition, AUDIT_NAME)
    boolean = copy.deepcopy(document)
    boolean["Statement"][0]["Condition"] = {"Bool": {"aws:SecureTransport": [False]}}
    assert buckets.denies_insecure_transport(boolean, AUDIT_NAME)


def test_denies_and_undenied_name_the_actions_left_open():
    document = json.loads(append_only_policy())
    objects, bucket = f"arn:aws:s3:::{AUDIT_NAME}/*", f"arn:aws:s3:::{AUDIT_NAME}"
    assert buckets.denies(document, "s3:DeleteObject", objects)
    assert not buckets.denies(document, "s3:PutObject", objects)
    assert buckets.undenied(document, {"s3:PutObject": objects, "s3:PutLifecycleConfiguration": bucket}) == [
        "s3:PutObject"
    ]
    assert buckets.undenied(None, {"s3:DeleteObject": objects}) == ["s3:DeleteObject"]


# ---------------------------------------------------------------- malformed inputs never raise

AUDIT_PROP_NAMES = [
    "bucket", "tags", "purpose", "tenant", "objectLockEnabled", "rule", "defaultRetention", "mode", "days",
    "versioningConfiguration", "status", "policy", "name", "s3BucketName", "kmsKeyId", "isMultiRegionTrail",
    "enableLogFileValidation", "includeGlobalServiceEvents", "eventSelectors", "readWriteType",
    "dataResources", "type", "values", "advancedEventSelectors", "fieldSelectors", "field", "equals",
    "startsWiths", "notEquals", "rules", "destination", "vpcId", "trafficType", "enabledClusterLogTypes",
    "retentionInDays",
]  # fmt: skip
AUDIT_WORDS = [
    "All", "ReadOnly", "AWS::S3::Object", "Data", "readOnly", "resources.ARN", "eventCategory",
    "resources.type", "arn:aws:s3", "arn:aws:s3:::platform-security-archive", "audit-log", "ALL",
]  # fmt: skip
AUDIT_VALUES = st.recursive(
    SCALARS | st.sampled_from([UNKNOWN, *AUDIT_WORDS]) | POLICY_JSON,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(AUDIT_PROP_NAMES), inner, max_size=4)
    ),
    max_leaves=20,
)
AUDIT_PROPS = st.dictionaries(st.sampled_from(AUDIT_PROP_NAMES), AUDIT_VALUES, max_size=6)
AUDIT_STACKS = [
    audit_stack(),
    log_group_stack(),
    vpc_stack(),
    audit_stack(trail=changed(COMPLIANT_TRAIL, "advancedEventSelectors", ADVANCED)),
]


@st.composite
def mutated_audit_stacks(draw):
    """A compliant fixture stack with a few values replaced by random shapes and some dependencies dropped."""
    stack = copy.deepcopy(draw(st.sampled_from(AUDIT_STACKS)))
    for _ in range(draw(st.integers(1, 3))):
        resource = draw(st.sampled_from(stack))
        path = draw(st.sampled_from(leaf_paths(resource.props) or ["extra"]))
        resource.props = changed(resource.props, path, draw(AUDIT_VALUES))
        if resource.prop_deps and draw(st.booleans()):
            resource.prop_deps.pop(draw(st.sampled_from(sorted(resource.prop_deps))))
    return stack


@st.composite
def random_audit_stacks(draw):
    types = sorted({t for rule in RULES for t in rule.resource_types} | {KEY})
    names = [f"r{i}" for i in range(draw(st.integers(0, 6)))]
    deps = (
        st.dictionaries(st.sampled_from(AUDIT_PROP_NAMES), st.lists(st.sampled_from(names), max_size=2))
        if names
        else st.just({})
    )
    return [
        Res(draw(st.sampled_from(types)), name, draw(AUDIT_PROPS), prop_deps=draw(deps)) for name in names
    ]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=AUDIT_PROPS, tenant=st.sampled_from([GLOBEX, None]))
def test_resource_rules_never_raise_on_malformed_props(props, tenant):
    for rule in (r for r in RULES if r.kind == "resource"):
        for type_ in rule.resource_types:
            run_resource(rule, type_, props, tenant=tenant)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack=random_audit_stacks() | mutated_audit_stacks(), tenant=st.sampled_from([GLOBEX, None]))
def test_stack_rules_never_raise_on_malformed_stacks(stack, tenant):
    for rule in (r for r in RULES if r.kind == "stack"):
        run_stack(rule, stack, tenant=tenant)
