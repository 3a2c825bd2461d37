"""Bucket settings several controls judge (object lock for PROV-01/AUD-02, the policy for DATA-03/AUD-02)."""

from __future__ import annotations

from typing import Any

from mlops_policies.policy_documents import Document, parse
from tenantctl.audit.checks.registry import AuditContext, Outcome, verdict
from tenantctl.audit.inventory import LiveBucket
from tenantctl.audit.reader import Reply


def object_lock(ctx: AuditContext, bucket: LiveBucket) -> tuple[dict[str, Any], Reply]:
    reply = ctx.reader.read(
        "s3",
        "get_object_lock_configuration",
        absent={"ObjectLockConfigurationNotFoundError"},
        Bucket=bucket.name,
    )
    return dict((reply.data or {}).get("ObjectLockConfiguration", {})), reply


def retention_days(retention: dict[str, Any]) -> int:
    # S3 takes Days or Years; a year counts as 365 days, as S3 itself computes retain-until dates.
    return int(retention.get("Days") or 0) + 365 * int(retention.get("Years") or 0)


def judge_object_lock(ctx: AuditContext, bucket: LiveBucket, modes: set[str], minimum_days: int) -> Outcome:
    config, reply = object_lock(ctx, bucket)
    retention = dict(config.get("Rule", {}).get("DefaultRetention", {}))
    evidence = {"ObjectLockEnabled": config.get("ObjectLockEnabled"), "DefaultRetention": retention or None}
    if config.get("ObjectLockEnabled") != "Enabled":
        return verdict(False, "object lock is not enabled", evidence, reply)
    mode, days = retention.get("Mode"), retention_days(retention)
    if mode not in modes:
        return verdict(False, f"default retention mode {mode} is not one of {sorted(modes)}", evidence, reply)
    if days < minimum_days:
        return verdict(False, f"default retention {days} days is below {minimum_days}", evidence, reply)
    return verdict(True, f"object lock {mode}, {days} days by default", evidence, reply)


def judge_versioning(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    reply = ctx.read("s3", "get_bucket_versioning", Bucket=bucket.name)
    status = (reply.data or {}).get("Status")
    evidence = {"Status": status, "MFADelete": (reply.data or {}).get("MFADelete")}
    return verdict(status == "Enabled", f"versioning {status or 'never enabled'}", evidence, reply)


def bucket_policy(ctx: AuditContext, bucket: LiveBucket) -> tuple[Document | None, Reply]:
    reply = ctx.reader.read("s3", "get_bucket_policy", absent={"NoSuchBucketPolicy"}, Bucket=bucket.name)
    return (None if reply.data is None else parse(reply.data.get("Policy"))), reply
