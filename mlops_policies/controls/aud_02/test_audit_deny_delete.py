"""Cases for `aud-02-audit-deny-delete`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import json

import pytest

from mlops_policies.controls.aud_02.audit_deny_delete import audit_deny_delete
from tests.policies.audit_fixtures import AUDIT_NAME, BUCKET_POLICY, append_only_policy, audit_stack
from tests.policies.harness import UNKNOWN, run_stack


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
    assert outcome.violations == [
        "aws:s3/bucketPolicy:BucketPolicy 'audit-policy' has policy without an unconditional Deny "
        "for Principal '*' of s3:DeleteObject, s3:DeleteObjectVersion, "
        "s3:PutLifecycleConfiguration; required: Deny s3:DeleteObject, s3:DeleteObjectVersion, "
        "s3:PutLifecycleConfiguration on arn:aws:s3:::acme-audit-log-111122223333/* and "
        "arn:aws:s3:::acme-audit-log-111122223333",
    ]


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
