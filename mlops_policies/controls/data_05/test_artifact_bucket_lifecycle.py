"""Cases for `data-05-artifact-bucket-lifecycle`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlops_policies.controls.data_05.artifact_bucket_lifecycle import artifact_bucket_lifecycle
from tests.policies.data_leakage_fixtures import LIFECYCLE, bucket_stack, with_props, without
from tests.policies.harness import DELETE, UNKNOWN, Res, run_stack


def test_fail_artifact_bucket_without_lifecycle():
    outcome = run_stack(artifact_bucket_lifecycle, without(bucket_stack(), "data-lifecycle"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' (purpose 'dataset') has no "
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration; required: an enabled rule "
        "expiring current and noncurrent versions within 365 days"
    ]


def test_pass_model_registry_bucket_needs_no_lifecycle():
    assert run_stack(
        artifact_bucket_lifecycle, without(bucket_stack(purpose="model-registry"), "data-lifecycle")
    ).passed


def test_fail_lifecycle_that_keeps_artifacts_too_long():
    stack = with_props(bucket_stack(purpose="checkpoint"), "data-lifecycle", "rules.0.expiration.days", 400)
    assert run_stack(artifact_bucket_lifecycle, stack).violations == [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration 'data-lifecycle' of "
        "aws:s3/bucket:Bucket 'data' has no enabled whole-bucket rule with expiration.days <= 365 (found: "
        "rules[0].expiration.days 400)"
    ]


NO_WHOLE_BUCKET_RULE = (
    "has no enabled whole-bucket rule with expiration.days <= 365 (found: no enabled whole-bucket rule); "
    "has no enabled whole-bucket rule with noncurrentVersionExpiration.noncurrentDays <= 365 (found: no "
    "enabled whole-bucket rule)"
)
KEEPS_NONCURRENT = (
    "has no enabled whole-bucket rule with noncurrentVersionExpiration.noncurrentDays <= 365 (found: "
    "rules[0].noncurrentVersionExpiration.noncurrentDays missing)"
)


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("rules.0.status", "Disabled", NO_WHOLE_BUCKET_RULE),
        ("rules.0.filter", {"prefix": "tmp/"}, NO_WHOLE_BUCKET_RULE),
        ("rules.0.noncurrentVersionExpiration", DELETE, KEEPS_NONCURRENT),
    ],
)
def test_fail_lifecycle_rule_disabled_narrowed_or_keeping_noncurrent_versions(
    path: str, value: Any, problem: str
):
    stack = with_props(bucket_stack(), "data-lifecycle", path, value)
    outcome = run_stack(artifact_bucket_lifecycle, stack)
    assert len(outcome.violations) == 1 and "has no enabled whole-bucket rule" in outcome.violations[0]
    assert outcome.violations == [
        f"aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration 'data-lifecycle' of "
        f"aws:s3/bucket:Bucket 'data' {problem}"
    ]


def test_fail_lifecycle_longer_than_configured_retention():
    outcome = run_stack(artifact_bucket_lifecycle, bucket_stack(), config={"maxArtifactRetentionDays": 90})
    assert (
        len(outcome.violations) == 1
        and "expiration.days <= 90 (found: rules[0].expiration.days 180)" in (outcome.violations[0])
    )
    assert outcome.violations == [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration 'data-lifecycle' of "
        "aws:s3/bucket:Bucket 'data' has no enabled whole-bucket rule with expiration.days <= 90 "
        "(found: rules[0].expiration.days 180)",
    ]


def test_undecided_lifecycle_when_bucket_purpose_unknown():
    outcome = run_stack(
        artifact_bucket_lifecycle, with_props(bucket_stack(), "data", "tags.purpose", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []


def test_fail_a_second_lifecycle_configuration_without_expiry_replaces_the_first():
    # S3 keeps one lifecycle configuration per bucket, the last applied: a compliant one is no cover.
    transition_only = [{"id": "ia", "status": "Enabled", "filter": {}, "transitions": [{"days": 30}]}]
    second = Res(
        LIFECYCLE,
        "ia-lifecycle",
        {"bucket": UNKNOWN, "rules": transition_only},
        prop_deps={"bucket": ["data"]},
    )
    outcome = run_stack(artifact_bucket_lifecycle, [*bucket_stack(), second])
    assert outcome.violations == [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration 'ia-lifecycle' of "
        "aws:s3/bucket:Bucket 'data' has no enabled whole-bucket rule with expiration.days <= 365 (found: "
        "rules[0].expiration.days missing); has no enabled whole-bucket rule with "
        "noncurrentVersionExpiration.noncurrentDays <= 365 (found: "
        "rules[0].noncurrentVersionExpiration.noncurrentDays missing)"
    ]
