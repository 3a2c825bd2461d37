"""Audit trails: a tamper-evident CloudTrail, append-only audit buckets, logged flows and control planes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets, keys
from mlops_policies.core import ResourceCheck, Rule, StackCheck, Undecided, label, resource_rule, stack_rule
from mlops_policies.iam import elements
from mlops_policies.props import UNKNOWN, as_bool, as_int, as_list, get, known

TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
EKS_CLUSTER = "aws:eks/cluster:Cluster"

MIN_AUDIT_RETENTION_DAYS = 365
MIN_LOG_RETENTION_DAYS = 90
REQUIRED_CLUSTER_LOG_TYPES = ("api", "audit", "authenticator")


# ---------------------------------------------------------------- AUD-01: a tamper-evident trail


@stack_rule(
    "aud-01-trail-exists",
    control="AUD-01",
    types=[TRAIL],
    description="The tenant stack has a CloudTrail trail.",
    remediation="Add aws.cloudtrail.Trail(is_multi_region_trail=True, enable_log_file_validation=True, "
    "include_global_service_events=True, kms_key_id=tenant_key.arn, s3_bucket_name=audit_bucket.id).",
)
def trail_exists(stack: StackCheck) -> None:
    if not stack.of_type(TRAIL):
        stack.fail(
            None,
            f"the stack has no {TRAIL}; required: a multi-region trail with log file validation, "
            "encrypted with a tenant key, delivering to the tenant's audit-log bucket",
        )


def _trail_flag(r: ResourceCheck, prop: str, default: bool | None) -> None:
    raw = get(r.props, prop)
    value = default if raw is None else as_bool(raw)
    if value is not True:
        found = "missing" if raw is None else repr(raw)
        r.fail(f"{r.label} has {prop} {found}; required: true")


@resource_rule(
    "aud-01-trail-multi-region",
    control="AUD-01",
    types=[TRAIL],
    description="CloudTrail trails record every region (isMultiRegionTrail true).",
    remediation="Set is_multi_region_trail=True on the trail.",
)
def trail_multi_region(r: ResourceCheck) -> None:
    _trail_flag(r, "isMultiRegionTrail", default=None)  # AWS default false: missing is a violation


@resource_rule(
    "aud-01-trail-log-file-validation",
    control="AUD-01",
    types=[TRAIL],
    description="CloudTrail trails write digest files, so tampering with delivered logs is detectable "
    "(enableLogFileValidation true).",
    remediation="Set enable_log_file_validation=True on the trail.",
)
def trail_log_file_validation(r: ResourceCheck) -> None:
    _trail_flag(r, "enableLogFileValidation", default=None)  # AWS default false


@resource_rule(
    "aud-01-trail-global-service-events",
    control="AUD-01",
    types=[TRAIL],
    severity=Severity.MEDIUM,
    description="CloudTrail trails record global service events such as IAM and STS "
    "(includeGlobalServiceEvents true; missing means the provider default, true).",
    remediation="Remove include_global_service_events=False from the trail (or set it to True).",
)
def trail_global_service_events(r: ResourceCheck) -> None:
    _trail_flag(r, "includeGlobalServiceEvents", default=True)


def _trail_bucket_problem(stack: StackCheck, trail: PolicyResource) -> str | None:
    """What s3BucketName refers to when that is not the tenant's audit-log bucket; None when it is."""
    referenced = [
        b for b in stack.referenced_by(trail, "s3BucketName") if buckets.is_bucket_type(b.resource_type)
    ]
    for bucket in referenced:
        if buckets.purpose(bucket) == buckets.AUDIT_LOG:
            return None
    if referenced:
        return f"referring to {label(referenced[0])} (purpose {buckets.purpose(referenced[0])!r})"
    value = known(trail.props, "s3BucketName")
    if value is UNKNOWN:
        raise Undecided(["s3BucketName is unknown with no dependency on a bucket"])
    if not isinstance(value, str) or not value:
        return "missing"
    for bucket in buckets.buckets(stack):
        if buckets.name(bucket) == value:
            found = buckets.purpose(bucket)
            return None if found == buckets.AUDIT_LOG else f"{value!r}, {label(bucket)} (purpose {found!r})"
    tenant = stack.tenant
    if tenant.id and tenant.account_id and value == f"{tenant.id}-audit-log-{tenant.account_id}":
        return None  # the conventional name of the tenant's audit-log bucket, declared in another stack
    return f"{value!r}, not an audit-log bucket of this stack"


@stack_rule(
    "aud-01-trail-audit-log-bucket",
    control="AUD-01",
    types=[TRAIL, *buckets.BUCKET_TYPES],
    description="CloudTrail trails deliver to the tenant's audit-log bucket: a bucket of the stack tagged "
    "purpose audit-log (or named <tenant>-audit-log-<account_id>).",
    remediation="Set s3_bucket_name=audit_bucket.id on the trail, where audit_bucket is the tenant's bucket "
    "tagged purpose=audit-log.",
)
def trail_audit_log_bucket(stack: StackCheck) -> None:
    for trail in stack.of_type(TRAIL):
        with stack.deciding(trail):
            problem = _trail_bucket_problem(stack, trail)
            if problem:
                stack.fail(
                    trail,
                    f"{label(trail)} has s3BucketName {problem}; "
                    "required: the tenant's audit-log bucket (tagged purpose audit-log)",
                )


@stack_rule(
    "aud-01-trail-tenant-key",
    control="AUD-01",
    types=[TRAIL, keys.KEY],
    description="CloudTrail trails encrypt log files with a tenant key (kmsKeyId names a KMS key of the "
    "stack tagged with the tenant).",
    remediation="Set kms_key_id=tenant_key.arn on the trail, where tenant_key is the tenant's aws.kms.Key "
    "(its key policy must let cloudtrail.amazonaws.com use it).",
)
def trail_tenant_key(stack: StackCheck) -> None:
    for trail in stack.of_type(TRAIL):
        with stack.deciding(trail):
            use = keys.require_decided(keys.key_use(stack, trail, "kmsKeyId"), "kmsKeyId")
            if not use.tenant_key:
                stack.fail(
                    trail,
                    f"{label(trail)} has kmsKeyId {use.found}; "
                    f"required: a KMS key of this stack tagged tenant={stack.tenant.id}",
                )


# ---------------------------------------------------------------- AUD-02: append-only audit buckets
# "Not mine": buckets whose tags.purpose is not audit-log. A missing sub-resource fails the bucket.


@resource_rule(
    "aud-02-audit-bucket-object-lock",
    control="AUD-02",
    types=buckets.BUCKET_TYPES,
    description="Audit-log buckets are created with object lock enabled (objectLockEnabled true).",
    remediation="Create the audit-log bucket with object_lock_enabled=True; then add a "
    "BucketObjectLockConfiguration in COMPLIANCE mode and a BucketVersioning.",
)
def audit_bucket_object_lock(r: ResourceCheck) -> None:
    buckets.require_object_lock(r, buckets.AUDIT_LOG)


@stack_rule(
    "aud-02-audit-compliance-retention",
    control="AUD-02",
    types=[*buckets.BUCKET_TYPES, buckets.OBJECT_LOCK_CONFIGURATION],
    description="Every audit-log bucket has a BucketObjectLockConfiguration whose default retention is "
    "COMPLIANCE mode for at least minAuditRetentionDays days (years count 365 days).",
    remediation="Add aws.s3.BucketObjectLockConfiguration(bucket=audit_bucket.id, rule={'default_retention': "
    "{'mode': 'COMPLIANCE', 'days': 365}}) for the audit-log bucket.",
    config={"minAuditRetentionDays": {"type": "integer", "default": MIN_AUDIT_RETENTION_DAYS, "minimum": 1}},
)
def audit_compliance_retention(stack: StackCheck) -> None:
    min_days = as_int(stack.config.get("minAuditRetentionDays")) or MIN_AUDIT_RETENTION_DAYS
    buckets.check_sub_resources(
        stack,
        [buckets.AUDIT_LOG],
        buckets.OBJECT_LOCK_CONFIGURATION,
        f"a default retention rule, mode COMPLIANCE, at least {min_days} days",
        lambda lock, _bucket: buckets.retention_problems(lock, ["COMPLIANCE"], min_days),
    )


@stack_rule(
    "aud-02-audit-versioning",
    control="AUD-02",
    types=[*buckets.BUCKET_TYPES, buckets.VERSIONING],
    description="Every audit-log bucket has a BucketVersioning with status Enabled.",
    remediation="Add aws.s3.BucketVersioning(bucket=audit_bucket.id, "
    "versioning_configuration={'status': 'Enabled'}) for the audit-log bucket.",
)
def audit_versioning(stack: StackCheck) -> None:
    buckets.check_sub_resources(
        stack,
        [buckets.AUDIT_LOG],
        buckets.VERSIONING,
        "versioningConfiguration.status 'Enabled'",
        buckets.versioning_problems,
    )


def _append_only_problems(policy: PolicyResource, bucket: PolicyResource) -> list[str]:
    name = buckets.name(bucket)
    if name is None:
        raise Undecided([f"the name of {label(bucket)} is unknown"])
    document = buckets.bucket_policy_document(policy)
    required = {
        "s3:DeleteObject": buckets.objects_arn(name),
        "s3:DeleteObjectVersion": buckets.objects_arn(name),
        "s3:PutLifecycleConfiguration": buckets.arn(name),
    }
    missing = buckets.undenied(document, required)
    if not missing:
        return []
    return [
        f"policy without an unconditional Deny for Principal '*' of {', '.join(missing)}; required: "
        f"Deny {', '.join(required)} on {buckets.objects_arn(name)} and {buckets.arn(name)}"
    ]


@stack_rule(
    "aud-02-audit-deny-delete",
    control="AUD-02",
    types=[*buckets.BUCKET_TYPES, buckets.POLICY],
    description="Every audit-log bucket has a bucket policy that denies everyone, without conditions, "
    "s3:DeleteObject and s3:DeleteObjectVersion on its objects and s3:PutLifecycleConfiguration on the "
    "bucket.",
    remediation="Add to the audit-log bucket's aws.s3.BucketPolicy a statement {'Effect': 'Deny', "
    "'Principal': '*', 'Action': ['s3:DeleteObject', 's3:DeleteObjectVersion', "
    "'s3:PutLifecycleConfiguration'], 'Resource': [<bucket arn>, <bucket arn>/*]}.",
)
def audit_deny_delete(stack: StackCheck) -> None:
    buckets.check_sub_resources(
        stack,
        [buckets.AUDIT_LOG],
        buckets.POLICY,
        "a bucket policy denying s3:DeleteObject, s3:DeleteObjectVersion and s3:PutLifecycleConfiguration",
        _append_only_problems,
    )


# ---------------------------------------------------------------- AUD-03: log groups


@resource_rule(
    "aud-03-log-group-retention",
    control="AUD-03",
    types=[LOG_GROUP],
    severity=Severity.MEDIUM,
    description="CloudWatch log groups keep events for at least minLogRetentionDays days; 0 or no "
    "retentionInDays means never expire and passes.",
    remediation="Set retention_in_days to at least 90 (or the configured minimum) on the log group.",
    config={"minLogRetentionDays": {"type": "integer", "default": MIN_LOG_RETENTION_DAYS, "minimum": 1}},
)
def log_group_retention(r: ResourceCheck) -> None:
    raw = get(r.props, "retentionInDays")
    days = as_int(raw)
    minimum = as_int(r.config.get("minLogRetentionDays")) or MIN_LOG_RETENTION_DAYS
    if raw is None or days == 0:
        return  # never expire
    if days is None or days < minimum:
        r.fail(f"{r.label} has retentionInDays {raw!r}; required: at least {minimum}, or 0 (never expire)")


@stack_rule(
    "aud-03-log-group-kms-key",
    control="AUD-03",
    types=[LOG_GROUP],
    description="CloudWatch log groups set a kmsKeyId (a customer-managed KMS key; which key is DATA-04's "
    "concern). An unknown value computed from another resource counts as set.",
    remediation="Set kms_key_id=tenant_key.arn on the log group (the key policy must allow logs.<region>."
    "amazonaws.com).",
)
def log_group_kms_key(stack: StackCheck) -> None:
    for group in stack.of_type(LOG_GROUP):
        with stack.deciding(group):
            value = known(group.props, "kmsKeyId")
            if value is UNKNOWN and not stack.referenced_by(group, "kmsKeyId"):
                raise Undecided(["kmsKeyId is unknown with no dependency information"])
            if value is not UNKNOWN and not (isinstance(value, str) and value):
                stack.fail(group, f"{label(group)} has kmsKeyId missing; required: a KMS key ARN")


# ---------------------------------------------------------------- AUD-04: VPC flow logs


@stack_rule(
    "aud-04-vpc-flow-logs",
    control="AUD-04",
    types=[VPC, FLOW_LOG],
    description="Every VPC has a FlowLog (vpcId referring to it) with trafficType ALL.",
    remediation="Add aws.ec2.FlowLog(vpc_id=vpc.id, traffic_type='ALL', log_destination=...) for the VPC.",
)
def vpc_flow_logs(stack: StackCheck) -> None:
    for vpc in stack.of_type(VPC):
        flow_logs: list[PolicyResource] = []
        with stack.deciding(vpc):
            flow_logs = buckets.sub_resources(stack, vpc, FLOW_LOG, prop="vpcId")
            if not flow_logs:
                stack.fail(
                    vpc,
                    f"{label(vpc)} has no {FLOW_LOG} with vpcId referring to it; "
                    "required: a flow log with trafficType 'ALL'",
                )
        with stack.deciding(vpc):
            if flow_logs and not any(get(f.props, "trafficType") == "ALL" for f in flow_logs):
                # The flow logs are what to fix: report on them, not on the VPC.
                for flow_log in flow_logs:
                    found = get(flow_log.props, "trafficType")
                    stack.fail(
                        flow_log,
                        f"{label(flow_log)} of {label(vpc)} has trafficType "
                        f"{'missing' if found is None else repr(found)}; required: 'ALL' "
                        "(no flow log of the VPC records all traffic)",
                    )


# ---------------------------------------------------------------- AUD-05: EKS control plane logs


@resource_rule(
    "aud-05-eks-control-plane-logs",
    control="AUD-05",
    types=[EKS_CLUSTER],
    description="EKS clusters send at least the api, audit and authenticator control plane logs to "
    "CloudWatch.",
    remediation="Set enabled_cluster_log_types=['api', 'audit', 'authenticator', 'controllerManager', "
    "'scheduler'] on the cluster.",
)
def eks_control_plane_logs(r: ResourceCheck) -> None:
    enabled = {t for t in as_list(get(r.props, "enabledClusterLogTypes")) if isinstance(t, str)}
    missing = [t for t in REQUIRED_CLUSTER_LOG_TYPES if t not in enabled]
    if missing:
        r.fail(
            f"{r.label} has enabledClusterLogTypes {sorted(enabled)!r} without {', '.join(missing)}; "
            f"required: at least {', '.join(REQUIRED_CLUSTER_LOG_TYPES)}"
        )


# ---------------------------------------------------------------- AUD-06: S3 data events
# A data bucket is covered for reads and writes when some trail's event selectors record
# AWS::S3::Object events for all of its objects. An unknown ARN value (`f"{bucket.arn}/"` in a first
# preview) is decided by the selector input's property dependencies: it is that bucket's ARN when they
# include the bucket, not that bucket's when they name other buckets only, and undecided without them.

READ, WRITE = "reads", "writes"
S3_OBJECT = "AWS::S3::Object"
ALL_S3 = ("arn:aws:s3", "arn:aws:s3:::")
RW_MODES = {"All": {READ, WRITE}, "ReadOnly": {READ}, "WriteOnly": {WRITE}}
DATA_PURPOSES = (buckets.MODEL_REGISTRY, buckets.DATASET, buckets.CHECKPOINT)
ADVANCED_FIELDS = {"eventCategory", "resources.type", "readOnly", "resources.ARN"}
OPERATORS = ("equals", "notEquals", "startsWiths", "notStartsWiths", "endsWiths", "notEndsWiths")


@dataclass
class _Coverage:
    modes: set[str] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Target:
    """The bucket being judged, and what a trail input's dependencies say about unknown ARNs in it."""

    name: str | None
    referenced: bool | None  # True: input depends on the bucket; False: on other buckets only; None: no info


def _target(stack: StackCheck, trail: PolicyResource, prop: str, bucket: PolicyResource) -> _Target:
    dependencies = [d for d in stack.referenced_by(trail, prop) if buckets.is_bucket_type(d.resource_type)]
    referenced = any(d.urn == bucket.urn for d in dependencies) or (None if not dependencies else False)
    return _Target(buckets.name(bucket), referenced)


def _covers_value(value: Any, target: _Target, cov: _Coverage, where: str) -> bool:
    if value is UNKNOWN:
        if target.referenced is None:
            cov.unknown.append(f"{where} is unknown with no dependency on a bucket")
        return target.referenced is True
    own = target.name is not None and value == f"arn:aws:s3:::{target.name}/"
    return isinstance(value, str) and (value in ALL_S3 or own)


def _event_selectors(
    stack: StackCheck, trail: PolicyResource, bucket: PolicyResource, cov: _Coverage
) -> None:
    target = _target(stack, trail, "eventSelectors", bucket)
    for index, selector in enumerate(elements(known(trail.props, "eventSelectors"))):
        where = f"{label(trail)} eventSelectors[{index}]"
        read_write = known(selector, "readWriteType", default="All")
        if selector is UNKNOWN or read_write is UNKNOWN:
            cov.unknown.append(f"{where} is unknown")
            continue
        modes = RW_MODES.get(read_write, set()) if isinstance(read_write, str) else set()
        for resource in elements(known(selector, "dataResources")):
            kind = known(resource, "type")
            if resource is UNKNOWN or kind is UNKNOWN:
                cov.unknown.append(f"{where}.dataResources is unknown")
            elif kind == S3_OBJECT and any(
                _covers_value(v, target, cov, f"{where} values") for v in elements(known(resource, "values"))
            ):
                cov.modes |= modes


def _operators(selector: Any) -> dict[str, list[Any]]:
    """The non-empty operators of a field selector and their values (items may be UNKNOWN)."""
    found = {op: elements(known(selector, op)) for op in OPERATORS}
    return {op: values for op, values in found.items() if values}


def _advanced_modes(selector: Any, target: _Target, cov: _Coverage, where: str) -> set[str]:
    """The modes an advanced event selector records for all objects of the bucket."""
    fields: dict[str, dict[str, list[Any]]] = {}
    for field_selector in elements(known(selector, "fieldSelectors")):
        field_name = known(field_selector, "field")
        operators = _operators(field_selector)
        if field_name is UNKNOWN or any(UNKNOWN in v for op, v in operators.items() if op != "startsWiths"):
            cov.unknown.append(f"{where} has unknown field selectors")
            return set()
        if isinstance(field_name, str):
            fields[field_name] = operators
    if set(fields) - ADVANCED_FIELDS:
        return set()  # other fields (eventName, userIdentity.arn, ...) record only part of the events
    if fields.get("eventCategory") != {"equals": ["Data"]} or fields.get("resources.type") != {
        "equals": [S3_OBJECT]
    }:
        return set()
    read_only = fields.get("readOnly")
    modes = {READ, WRITE} if read_only is None else set()
    if read_only is not None and set(read_only) == {"equals"}:
        modes = {READ for v in read_only["equals"] if str(v).lower() == "true"}
        modes |= {WRITE for v in read_only["equals"] if str(v).lower() == "false"}
    arns = fields.get("resources.ARN")
    if arns is None:
        return modes
    if set(arns) != {"startsWiths"}:
        return set()
    object_prefix = f"arn:aws:s3:::{target.name}/" if target.name else None
    for prefix in arns["startsWiths"]:
        if prefix is UNKNOWN and _covers_value(prefix, target, cov, f"{where} resources.ARN"):
            return modes
        covering = isinstance(prefix, str) and prefix.startswith("arn:aws:s3:::")
        if covering and object_prefix and object_prefix.startswith(prefix):
            return modes
    return set()


def _data_event_coverage(stack: StackCheck, bucket: PolicyResource) -> _Coverage:
    cov = _Coverage()
    name = buckets.name(bucket)
    for trail in stack.of_type(TRAIL):
        _event_selectors(stack, trail, bucket, cov)
        target = _target(stack, trail, "advancedEventSelectors", bucket)
        for index, selector in enumerate(elements(known(trail.props, "advancedEventSelectors"))):
            where = f"{label(trail)} advancedEventSelectors[{index}]"
            cov.modes |= _advanced_modes(selector, target, cov, where)
    if name is None and cov.modes != {READ, WRITE}:
        cov.unknown.append("the bucket's name is unknown")
    return cov


@stack_rule(
    "aud-06-s3-data-events",
    control="AUD-06",
    types=[TRAIL, *buckets.BUCKET_TYPES],
    description="For regulated tenants, a trail records S3 data events, reads and writes, for all objects of "
    "every bucket with purpose model-registry, dataset or checkpoint.",
    remediation="Add to the trail event_selectors=[{'read_write_type': 'All', 'include_management_events': "
    "True, 'data_resources': [{'type': 'AWS::S3::Object', "
    "'values': [pulumi.Output.concat(bucket.arn, '/')]}]}]"
    " for each such bucket, or an advanced event selector on eventCategory Data and resources.type "
    "AWS::S3::Object.",
)
def s3_data_events(stack: StackCheck) -> None:
    trails = stack.of_type(TRAIL)
    for bucket in buckets.with_purpose(stack, *DATA_PURPOSES):
        with stack.deciding(bucket):
            cov = _data_event_coverage(stack, bucket)
            missing = " and ".join(m for m in (READ, WRITE) if m not in cov.modes)
            if missing and cov.unknown:
                raise Undecided(list(dict.fromkeys(cov.unknown)))
            if not missing:
                continue
            what = f"S3 data events for {missing} of {label(bucket)} (purpose {buckets.purpose(bucket)})"
            value = f"arn:aws:s3:::{buckets.name(bucket)}/"
            required = (
                f"required: a data resource {{type {S3_OBJECT!r}, values [{value!r}]}} with readWriteType "
                "All, or an equivalent advanced event selector"
            )
            # The trail's selectors are what to fix; with no trail at all, the stack is.
            for trail in trails:
                stack.fail(trail, f"{label(trail)} records no {what}; {required}")
            if not trails:
                stack.fail(None, f"the stack has no {TRAIL} recording {what}; {required}")


# ---------------------------------------------------------------- AUD-07: evidence leaves the tenant


def _replication_problems(archive: str) -> Any:
    destination = buckets.arn(archive)

    def problems(replication: PolicyResource, _bucket: PolicyResource) -> list[str]:
        found, unknown = [], False
        for index, rule in enumerate(elements(known(replication.props, "rules"))):
            status, target = known(rule, "status"), known(rule, "destination", "bucket")
            if status == "Enabled" and target == destination:
                return []
            unknown = unknown or UNKNOWN in (rule, status, target)
            if isinstance(rule, Mapping):
                found.append(f"rules[{index}] status {status!r} to {target!r}")
        if unknown:
            raise Undecided(["a replication rule's status or destination.bucket is unknown"])
        return [
            f"no rule with status 'Enabled' and destination.bucket {destination!r} "
            f"(found: {'; '.join(found) or 'no rules'}); required: replication to the security archive"
        ]

    return problems


@stack_rule(
    "aud-07-audit-log-replication",
    control="AUD-07",
    types=[*buckets.BUCKET_TYPES, buckets.REPLICATION],
    description="For regulated tenants, the audit-log bucket has a BucketReplicationConfig with an enabled "
    "rule whose destination.bucket is the platform's security archive (landingzone:platform "
    "security_archive_bucket), outside the tenant's reach.",
    remediation="Set security_archive_bucket in the landingzone:platform config and add "
    "aws.s3.BucketReplicationConfig(bucket=audit_bucket.id, role=replication_role.arn, rules=[{'status': "
    "'Enabled', 'destination': {'bucket': 'arn:aws:s3:::<security_archive_bucket>'}, ...}]).",
)
def audit_log_replication(stack: StackCheck) -> None:
    archive = stack.tenant.security_archive_bucket
    if not archive:
        stack.fail(
            None,
            "landingzone:platform has security_archive_bucket missing; required: the platform's "
            "security archive bucket, the replication destination of the audit-log bucket",
        )
        return
    purposes = [known(bucket.props, "tags", "purpose") for bucket in buckets.buckets(stack)]
    if buckets.AUDIT_LOG not in purposes and UNKNOWN not in purposes:
        stack.fail(
            None,
            f"the stack has no bucket with purpose audit-log; required: an audit-log bucket "
            f"replicating to {buckets.arn(archive)!r}",
        )
    buckets.check_sub_resources(
        stack,
        [buckets.AUDIT_LOG],
        buckets.REPLICATION,
        f"a replication rule with status 'Enabled' and destination.bucket {buckets.arn(archive)!r}",
        _replication_problems(archive),
    )


RULES: list[Rule] = [
    trail_exists,
    trail_multi_region,
    trail_log_file_validation,
    trail_global_service_events,
    trail_audit_log_bucket,
    trail_tenant_key,
    audit_bucket_object_lock,
    audit_compliance_retention,
    audit_versioning,
    audit_deny_delete,
    log_group_retention,
    log_group_kms_key,
    vpc_flow_logs,
    eks_control_plane_logs,
    s3_data_events,
    audit_log_replication,
]
