"""Cases for `data-03-bucket-tls-only-policy`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_policies.controls.data_03.bucket_tls_only_policy import bucket_tls_only_policy
from tests.policies.data_leakage_fixtures import BUCKET_NAME, TLS_POLICY, bucket_stack, with_props, without
from tests.policies.harness import UNKNOWN, changed, run_stack


def test_fail_bucket_without_policy():
    outcome = run_stack(bucket_tls_only_policy, without(bucket_stack(), "data-policy"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' has no aws:s3/bucketPolicy:BucketPolicy; required: one denying "
        "non-TLS requests"
    ]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("Statement.0.Effect", "Allow"),
        (
            "Statement.0.Condition",
            {"Bool": {"aws:SecureTransport": "false"}, "IpAddress": {"aws:SourceIp": "1.2.3.4"}},
        ),
        ("Statement.0.Resource", [f"arn:aws:s3:::{BUCKET_NAME}"]),
        ("Statement.0.Resource", ["arn:aws:s3:::another-bucket", "arn:aws:s3:::another-bucket/*"]),
        ("Statement.0.Action", "s3:GetObject"),
        ("Statement.0.Principal", {"AWS": "arn:aws:iam::111122223333:root"}),
    ],
)
def test_fail_bucket_policy_that_does_not_deny_insecure_transport(path: str, value: Any):
    stack = with_props(bucket_stack(), "data-policy", "policy", json.dumps(changed(TLS_POLICY, path, value)))
    assert run_stack(bucket_tls_only_policy, stack).violations == [
        "aws:s3/bucketPolicy:BucketPolicy 'data-policy' of aws:s3/bucket:Bucket 'data' has no statement "
        "denying every principal s3:* on the bucket and its objects under Condition Bool "
        "aws:SecureTransport 'false'; required: one"
    ]


def test_pass_bucket_policy_as_object_with_wildcard_resource():
    policy = changed(TLS_POLICY, "Statement.0.Resource", "*")
    assert run_stack(
        bucket_tls_only_policy, with_props(bucket_stack(), "data-policy", "policy", policy)
    ).passed


def test_undecided_bucket_policy_unknown_in_preview():
    outcome = run_stack(bucket_tls_only_policy, with_props(bucket_stack(), "data-policy", "policy", UNKNOWN))
    assert outcome.undecided is not None and outcome.violations == []
