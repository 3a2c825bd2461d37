"""Cases for `data-03-bucket-has-public-access-block`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.data_03.bucket_has_public_access_block import bucket_has_public_access_block
from tests.policies.data_leakage_fixtures import BUCKET, BUCKET_V2, PAB, bucket_stack, without
from tests.policies.harness import UNKNOWN, Res, run_stack


def test_fail_bucket_without_public_access_block():
    outcome = run_stack(bucket_has_public_access_block, without(bucket_stack(), "data-pab"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' has no aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock; "
        "required: one with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets "
        "true"
    ]


def test_undecided_bucket_whose_only_candidate_sub_resource_has_an_unknown_bucket_without_dependency():
    stack = [
        *without(bucket_stack(), "data-pab"),
        Res(PAB, "data-pab", {"bucket": UNKNOWN, "blockPublicAcls": True}),
    ]
    outcome = run_stack(bucket_has_public_access_block, stack)
    assert outcome.undecided is not None and outcome.violations == []


@pytest.mark.parametrize("bucket_type", [BUCKET, BUCKET_V2])
def test_pass_secure_bucket_decides_in_first_preview(bucket_type: str):
    assert run_stack(bucket_has_public_access_block, bucket_stack(bucket_type)).passed
