"""Cases for `ten-01-bucket-purpose-tags`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.ten_01._fixtures import BUCKET_V2, COMPLIANT_BUCKET
from mlops_policies.controls.ten_01.bucket_purpose_tags import bucket_purpose_tags
from tests.policies.harness import DELETE, changed, run_resource
from tests.policies.tenancy_fixtures import BUCKET


def test_fail_bucket_without_purpose_vocabulary_or_classification():
    outcome = run_resource(
        bucket_purpose_tags, BUCKET_V2, changed(COMPLIANT_BUCKET, "tags.purpose", "scratch")
    )
    assert outcome.violations == [
        "aws:s3/bucketV2:BucketV2 'subject' has tags.purpose 'scratch'; required: one of model-registry, "
        "audit-log, dataset, checkpoint, feature-store, experiment-tracking, artifacts"
    ]
    missing = changed(COMPLIANT_BUCKET, "tags.data-classification", DELETE)
    assert run_resource(bucket_purpose_tags, BUCKET, missing).violations == [
        "aws:s3/bucket:Bucket 'subject' has tags.data-classification missing; required: a non-empty value"
    ]


def test_pass_bucket_tagged_with_purpose_and_classification():
    for type_ in (BUCKET, BUCKET_V2):
        assert run_resource(bucket_purpose_tags, type_, COMPLIANT_BUCKET).passed
