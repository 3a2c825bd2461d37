"""Audit trails: the tenant's CloudTrail (AUD-01/06), append-only audit logs (AUD-02/07), retained and
encrypted log groups (AUD-03), flow logs (AUD-04) and control-plane logs (AUD-05)."""

from __future__ import annotations

from typing import Any

from mlops_policies.iam_match import effect
from mlops_policies.policy_documents import statements
from mlops_policies.policy_predicates import append_only_actions, undenied
from tenantctl.audit.checks.buckets import bucket_policy, judge_object_lock, judge_versioning
from tenantctl.audit.checks.registry import AuditContext, Outcome, check, verdict
from tenantctl.audit.checks.scopes import AUDIT_BUCKETS, CLUSTER, LOG_GROUPS, TRAIL, VPCS
from tenantctl.audit.inventory import LiveBucket, LiveCluster, LiveLogGroup, LiveTrail, LiveVpc

REQUIRED_CONTROL_PLANE_LOGS = ("api", "audit", "authenticator")
DATA_EVENT_PURPOSES = ("model-registry", "dataset", "checkpoint")


def _trail_flag(ctx: AuditContext, trail: LiveTrail, field: str, meaning: str) -> Outcome:
    value = trail.data.get(field)
    return verdict(
        value is True, f"{meaning}: {value}", {field: value}, ctx.listed("cloudtrail", "DescribeTrails")
    )


@check("AUD-01", "trail_logging", TRAIL)
def trail_logging(ctx: AuditContext, trail: LiveTrail) -> Outcome:
    """The tenant trail is logging."""
    reply = ctx.read("cloudtrail", "get_trail_status", Name=trail.arn)
    data = reply.data or {}
    evidence = {
        k: data.get(k) for k in ("IsLogging", "StartLoggingTime", "StopLoggingTime", "LatestDeliveryError")
    }
    return verdict(data.get("IsLogging") is True, f"IsLogging {data.get('IsLogging')}", evidence, reply)


@check("AUD-01", "trail_multi_region", TRAIL)
def trail_multi_region(ctx: AuditContext, trail: LiveTrail) -> Outcome:
    """The tenant trail records every region."""
    return _trail_flag(ctx, trail, "IsMultiRegionTrail", "multi-region")


@check("AUD-01", "trail_log_file_validation", TRAIL)
def trail_log_file_validation(ctx: AuditContext, trail: LiveTrail) -> Outcome:
    """The tenant trail writes digest files, so tampering with a log file is detectable."""
    return _trail_flag(ctx, trail, "LogFileValidationEnabled", "log file validation")


@check("AUD-01", "trail_global_service_events", TRAIL)
def trail_global_service_events(ctx: AuditContext, trail: LiveTrail) -> Outcome:
    """The tenant trail includes global service events (IAM, STS)."""
    return _trail_flag(ctx, trail, "IncludeGlobalServiceEvents", "global service events")


@check("AUD-01", "trail_tenant_kms_key", TRAIL)
def trail_tenant_kms_key(ctx: AuditContext, trail: LiveTrail) -> Outcome:
    """The tenant trail encrypts its log files with a tenant key."""
    key = trail.data.get("KmsKeyId")
    ok = ctx.inventory.is_tenant_key(key)
    return verdict(ok, f"KmsKeyId {key}", {"KmsKeyId": key}, ctx.listed("cloudtrail", "DescribeTrails"))


@check("AUD-01", "trail_audit_bucket", TRAIL)
def trail_audit_bucket(ctx: AuditContext, trail: LiveTrail) -> Outcome:
    """The tenant trail delivers to the tenant's audit-log bucket."""
    bucket = trail.data.get("S3BucketName")
    audit = [b.name for b in ctx.inventory.buckets_with("audit-log")]
    expected = audit or [ctx.inventory.expected_bucket_name("audit-log")]
    evidence = {"S3BucketName": bucket, "audit_buckets": expected}
    return verdict(
        bucket in expected, f"delivers to {bucket}", evidence, ctx.listed("cloudtrail", "DescribeTrails")
    )


def _selected_buckets(selectors: dict[str, Any]) -> tuple[set[str], bool]:
    """Buckets whose object-level reads and writes the trail records, and whether it records all buckets."""
    buckets: set[str] = set()
    everything = False
    for selector in selectors.get("EventSelectors") or []:
        if selector.get("ReadWriteType", "All") != "All":
            continue
        for resource in selector.get("DataResources") or []:
            if resource.get("Type") != "AWS::S3::Object":
                continue
            for value in resource.get("Values") or []:
                name = str(value).removeprefix("arn:aws:s3:::").split("/", 1)[0]
                everything |= name == ""
                buckets.add(name)
    for advanced in selectors.get("AdvancedEventSelectors") or []:
        fields = {f.get("Field"): f for f in advanced.get("FieldSelectors") or []}
        if (fields.get("eventCategory") or {}).get("Equals") != ["Data"]:
            continue
        if (fields.get("resources.type") or {}).get("Equals") != ["AWS::S3::Object"] or "readOnly" in fields:
            continue
        arn_field = fields.get("resources.ARN")
        if arn_field is None:
            everything = True
            continue
        for value in (arn_field.get("StartsWith") or []) + (arn_field.get("Equals") or []):
            buckets.add(str(value).removeprefix("arn:aws:s3:::").split("/", 1)[0])
    return buckets, everything


@check("AUD-06", "trail_s3_data_events", TRAIL, regulated=True)
def trail_s3_data_events(ctx: AuditContext, trail: LiveTrail) -> Outcome:
    """The regulated tenant's trail records S3 data events (read and write) on its data buckets."""
    reply = ctx.read("cloudtrail", "get_event_selectors", TrailName=trail.arn)
    recorded, everything = _selected_buckets(reply.data or {})
    wanted = sorted(b.name for b in ctx.inventory.buckets_with(*DATA_EVENT_PURPOSES))
    missing = [] if everything else [b for b in wanted if b not in recorded]
    evidence = {
        "EventSelectors": (reply.data or {}).get("EventSelectors"),
        "AdvancedEventSelectors": (reply.data or {}).get("AdvancedEventSelectors"),
        "unrecorded_buckets": missing,
    }
    return verdict(
        not missing, f"no data events for {missing}" if missing else "data events recorded", evidence, reply
    )


@check("AUD-02", "audit_object_lock_compliance", AUDIT_BUCKETS)
def audit_object_lock_compliance(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Audit-log buckets lock objects in COMPLIANCE mode for at least minAuditRetentionDays."""
    return judge_object_lock(ctx, bucket, {"COMPLIANCE"}, ctx.target.thresholds.min_audit_retention_days)


@check("AUD-02", "audit_versioning_enabled", AUDIT_BUCKETS)
def audit_versioning_enabled(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Audit-log buckets keep every version."""
    return judge_versioning(ctx, bucket)


@check("AUD-02", "audit_bucket_deny_delete", AUDIT_BUCKETS)
def audit_bucket_deny_delete(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Audit-log bucket policies deny deleting objects and versions and changing the lifecycle."""
    document, reply = bucket_policy(ctx, bucket)
    # The gate's aud-02-audit-deny-delete asks the same: denied to everyone, unconditionally (a deny of
    # plain-HTTP requests only does not make logs append-only).
    missing = undenied(document, append_only_actions(bucket.name))
    evidence = {
        "undenied_actions": missing,
        "deny_statements": [s for s in statements(document) if effect(s) == "deny"],
    }
    return verdict(
        not missing,
        f"not denied: {missing}" if missing else "deletes and lifecycle changes denied",
        evidence,
        reply,
    )


@check("AUD-07", "audit_bucket_replication", AUDIT_BUCKETS, regulated=True)
def audit_bucket_replication(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Regulated audit-log buckets replicate to the platform's security archive."""
    reply = ctx.reader.read(
        "s3", "get_bucket_replication", absent={"ReplicationConfigurationNotFoundError"}, Bucket=bucket.name
    )
    rules = (reply.data or {}).get("ReplicationConfiguration", {}).get("Rules", [])
    archive = ctx.target.security_archive_bucket
    destinations = [
        str(r.get("Destination", {}).get("Bucket", "")).removeprefix("arn:aws:s3:::")
        for r in rules
        if r.get("Status") == "Enabled"
    ]
    evidence = {"destinations": destinations, "security_archive_bucket": archive}
    ok = archive is not None and archive in destinations
    return verdict(ok, f"replicates to {destinations or 'nothing'}", evidence, reply)


@check("AUD-03", "log_group_retention", LOG_GROUPS)
def log_group_retention(ctx: AuditContext, group: LiveLogGroup) -> Outcome:
    """Log groups keep events at least minLogRetentionDays (no retention setting means forever)."""
    days = group.data.get("retentionInDays")
    minimum = ctx.target.thresholds.min_log_retention_days
    # The API omits retentionInDays for "never expire"; an explicit 0 means the same in Pulumi's inputs.
    ok = days in (None, 0) or int(days) >= minimum
    detail = "never expires" if days in (None, 0) else f"{days} days (minimum {minimum})"
    return verdict(ok, detail, {"retentionInDays": days}, ctx.listed("logs", "DescribeLogGroups"))


@check("AUD-03", "log_group_kms_key", LOG_GROUPS)
def log_group_kms_key(ctx: AuditContext, group: LiveLogGroup) -> Outcome:
    """Log groups are encrypted with a customer-managed KMS key."""
    key = group.data.get("kmsKeyId")
    return verdict(bool(key), f"kmsKeyId {key}", {"kmsKeyId": key}, ctx.listed("logs", "DescribeLogGroups"))


@check("AUD-04", "vpc_flow_log_all", VPCS)
def vpc_flow_log_all(ctx: AuditContext, vpc: LiveVpc) -> Outcome:
    """The tenant VPC has an active flow log recording ALL traffic."""
    logs, refs = ctx.reader.listing(
        "ec2", "describe_flow_logs", "FlowLogs", Filters=[{"Name": "resource-id", "Values": [vpc.vpc_id]}]
    )
    summary = [
        {k: f.get(k) for k in ("FlowLogId", "TrafficType", "FlowLogStatus", "LogDestinationType")}
        for f in logs
    ]
    ok = any(f.get("TrafficType") == "ALL" and f.get("FlowLogStatus", "ACTIVE") == "ACTIVE" for f in logs)
    return verdict(
        ok,
        f"{len(logs)} flow log(s), traffic {[f.get('TrafficType') for f in logs]}",
        {"FlowLogs": summary},
        *refs,
    )


@check("AUD-05", "eks_control_plane_logging", CLUSTER)
def eks_control_plane_logging(ctx: AuditContext, cluster: LiveCluster) -> Outcome:
    """The EKS control plane logs api, audit and authenticator events."""
    setups = (cluster.data.get("logging") or {}).get("clusterLogging") or []
    enabled = {t for s in setups if s.get("enabled") for t in s.get("types") or []}
    missing = [t for t in REQUIRED_CONTROL_PLANE_LOGS if t not in enabled]
    source = ctx.read("eks", "describe_cluster", name=cluster.name)
    return verdict(
        not missing,
        f"missing {missing}" if missing else "api, audit, authenticator on",
        {"clusterLogging": setups},
        source,
    )
