"""The rule `data-05-artifact-bucket-lifecycle`, one of the DATA-05 rules.

DATA-05: Intermediate artifacts expire.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies import buckets as s3
from mlops_policies.messages import as_shown, prop_path
from mlops_policies.props import as_int, as_list, get
from mlops_policies.resource_types import BUCKETS
from mlops_policies.rule import StackCheck, label, stack_rule

BUCKET_LIFECYCLE = s3.LIFECYCLE
ARTIFACT_PURPOSES = (s3.DATASET, s3.CHECKPOINT, s3.FEATURE_STORE, s3.EXPERIMENT_TRACKING, s3.ARTIFACTS)


def _lifecycle_problems(props: Mapping[str, Any], max_days: int) -> list[str]:
    rules = [(i, rule) for i, rule in enumerate(as_list(get(props, "rules"))) if isinstance(rule, Mapping)]
    usable = [
        (i, rule) for i, rule in rules if get(rule, "status") == "Enabled" and s3.narrowing(rule) is None
    ]
    problems = []
    for path in (("expiration", "days"), ("noncurrentVersionExpiration", "noncurrentDays")):
        # newerNoncurrentVersions keeps that many noncurrent versions whatever their age: not an expiry.
        noncurrent = path[0] == "noncurrentVersionExpiration"
        days = [(i, get(rule, *path)) for i, rule in usable if not (noncurrent and s3.keeps_noncurrent(rule))]
        if any((value := as_int(d)) is not None and 0 < value <= max_days for _, d in days):
            continue
        kept_path = ("noncurrentVersionExpiration", "newerNoncurrentVersions")
        kept = [
            f"{prop_path('rules', i, *kept_path)} {s3.keeps_noncurrent(rule)}"
            for i, rule in usable
            if noncurrent and s3.keeps_noncurrent(rule)
        ]
        found = (
            ", ".join([*(f"{prop_path('rules', i, *path)} {as_shown(d)}" for i, d in days), *kept])
            or "no enabled whole-bucket rule"
        )
        problems.append(
            f"has no enabled whole-bucket rule with {'.'.join(path)} <= {max_days} (found: {found})"
        )
    return problems


@stack_rule(
    "data-05-artifact-bucket-lifecycle",
    control="DATA-05",
    types=[*BUCKETS, *s3.LIFECYCLE_TYPES],
    severity=Severity.LOW,
    description="Buckets with purpose dataset, checkpoint, feature-store, experiment-tracking or artifacts "
    "expire current and noncurrent object versions within maxArtifactRetentionDays through an enabled "
    "lifecycle rule that covers the whole bucket, in every lifecycle configuration of the bucket (S3 keeps "
    "only the last one applied).",
    remediation="Add aws.s3.BucketLifecycleConfiguration(bucket=bucket.id, rules=[{'id': 'expire', "
    "'status': 'Enabled', 'filter': {}, 'expiration': {'days': N}, 'noncurrent_version_expiration': "
    "{'noncurrent_days': N}}]) with N at most maxArtifactRetentionDays. Rules narrowed by prefix, tag "
    "or object size do not count.",
    config={
        "maxArtifactRetentionDays": {
            "type": "integer",
            "default": 365,
            "description": "Longest time current or noncurrent artifact versions may be kept.",
        }
    },
)
def artifact_bucket_lifecycle(stack: StackCheck) -> None:
    max_days = as_int(stack.config.get("maxArtifactRetentionDays")) or 365
    for bucket in s3.with_purpose(stack, *ARTIFACT_PURPOSES):
        with stack.deciding(bucket):
            configs = s3.sub_resources(stack, bucket, BUCKET_LIFECYCLE)
            if not configs:
                stack.fail(
                    bucket,
                    f"{label(bucket)} (purpose {s3.purpose(bucket)!r}) has no {BUCKET_LIFECYCLE}; required: "
                    f"an enabled rule expiring current and noncurrent versions within {max_days} days",
                )
                continue
            # S3 keeps one lifecycle configuration per bucket: each resource replaces the others when it
            # is applied, so every one of them must expire the artifacts, not just one.
            for config in configs:
                problems = _lifecycle_problems(config.props, max_days)
                if problems:
                    stack.fail(config, f"{label(config)} of {label(bucket)} {'; '.join(problems)}")
