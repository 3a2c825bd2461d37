from __future__ import annotations

from typing import Any

from mlops_policies.controls.aud_02.quarantine_keeps_evidence import quarantine_keeps_evidence as rule
from tests.policies.harness import Res, changed, run_stack
from tests.policies.incident import quarantined

BUCKET = "aws:s3/bucket:Bucket"
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
AUDIT = {
    "bucket": "acme-audit-log-111122223333",
    "objectLockEnabled": True,
    "forceDestroy": False,
    "tags": {"purpose": "audit-log"},
}
CHECKPOINT = {
    "bucket": "acme-checkpoint-111122223333",
    "forceDestroy": False,
    "tags": {"purpose": "checkpoint"},
}
AUDIT_LOCK = {
    "bucket": "acme-audit-log-111122223333",
    "rule": {"defaultRetention": {"mode": "COMPLIANCE", "days": 365}},
}
EXPIRY = {
    "bucket": "acme-checkpoint-111122223333",
    "rules": [{"status": "Enabled", "expiration": {"days": 180}}],
}


def stack(**overrides: dict[str, Any] | None) -> list[Res]:
    base: dict[str, tuple[str, dict[str, Any] | None]] = {
        "audit": (BUCKET, AUDIT),
        "audit_lock": (LOCK, AUDIT_LOCK),
        "checkpoint": (BUCKET, CHECKPOINT),
        "expiry": (LIFECYCLE, EXPIRY),
        "log_group": (
            "aws:cloudwatch/logGroup:LogGroup",
            {"name": "/mlops/acme/audit", "retentionInDays": 90},
        ),
        "repository": ("aws:ecr/repository:Repository", {"name": "acme/models"}),
        "trail": ("aws:cloudtrail/trail:Trail", {"name": "acme-audit-trail"}),
        "alias": ("aws:kms/alias:Alias", {"name": "alias/acme-logs"}),
    }
    resources = []
    for name, (type_, props) in base.items():
        props = overrides.get(name, props)
        if props is not None:
            resources.append(Res(type_, f"acme-{name}", props))
    return resources


def test_pass_everything_recorded_at_quarantine_is_kept_as_it_was() -> None:
    with quarantined():
        assert run_stack(rule, stack()).passed


def test_pass_is_not_applicable_to_a_stack_that_is_not_quarantined() -> None:
    with quarantined(None):
        assert (
            run_stack(rule, stack()).not_applicable
            == "the stack is not quarantined (no landingzone:incident)"
        )


def test_fail_a_deleted_trail() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(trail=None))

    assert outcome.violations == [
        "aws:cloudtrail/trail:Trail 'acme-audit-trail' held evidence when the tenant was quarantined "
        "(ticket INC-42) and is missing from the stack; required: kept until release"
    ]


def test_fail_a_shortened_audit_lock() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(audit_lock=changed(AUDIT_LOCK, "rule.defaultRetention.days", 30)))

    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'acme-audit' object lock default retention is 30 days while quarantined "
        "(ticket INC-42); required: at least 365 days, as at quarantine"
    ]


def test_fail_a_removed_audit_lock() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(audit_lock=None))

    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'acme-audit' object lock default retention is missing while quarantined "
        "(ticket INC-42); required: at least 365 days, as at quarantine"
    ]


def test_fail_a_force_destroyable_evidence_bucket() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(checkpoint=changed(CHECKPOINT, "forceDestroy", True)))

    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'acme-checkpoint' has forceDestroy true while quarantined (ticket INC-42); "
        "required: false (deleting the stack must not empty an evidence bucket)"
    ]


def test_fail_a_shortened_checkpoint_expiry() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(expiry=changed(EXPIRY, "rules.0.expiration.days", 7)))

    assert outcome.violations == [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration 'acme-expiry' expires objects "
        "after 7 days while quarantined (ticket INC-42); required: at least 180 days, as at quarantine"
    ]


def test_fail_a_shortened_log_retention() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(log_group={"name": "/mlops/acme/audit", "retentionInDays": 30}))

    assert outcome.violations == [
        "aws:cloudwatch/logGroup:LogGroup 'acme-log_group' has retentionInDays 30 while quarantined "
        "(ticket INC-42); required: at least 90, as at quarantine"
    ]


def test_fail_a_force_deletable_repository() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(repository={"name": "acme/models", "forceDelete": True}))

    assert outcome.violations == [
        "aws:ecr/repository:Repository 'acme-repository' has forceDelete true while quarantined "
        "(ticket INC-42); required: false"
    ]


def test_fail_a_deleted_key_alias_even_if_the_config_no_longer_names_it() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(alias=None))

    assert outcome.violations == [
        "aws:kms/alias:Alias 'alias/acme-logs' held evidence when the tenant was quarantined (ticket INC-42) "
        "and is missing from the stack; required: kept until release"
    ]
