"""Cases for `aud-01-trail-audit-log-bucket`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_01.trail_audit_log_bucket import trail_audit_log_bucket
from tests.policies.audit_fixtures import AUDIT_NAME, BUCKET, BUCKET_V2, COMPLIANT_TRAIL, audit_stack, without
from tests.policies.harness import DELETE, changed, run_stack


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
    result = run_stack(trail_audit_log_bucket, stack)
    assert "has s3BucketName missing;" in result.violations[0]
    assert result.violations == [
        "aws:cloudtrail/trail:Trail 'trail' has s3BucketName missing; required: the tenant's "
        "audit-log bucket (tagged purpose audit-log)",
    ]


def test_undecided_trail_bucket_unknown_without_dependency_information():
    stack = audit_stack()
    stack[-1].prop_deps.pop("s3BucketName")
    outcome = run_stack(trail_audit_log_bucket, stack)
    assert outcome.violations == []
    assert outcome.undecided == (
        "aws:cloudtrail/trail:Trail 'trail': s3BucketName is unknown with no dependency on a bucket"
    )
