"""Cases for `data-03-bucket-has-ownership-controls`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.data_03.bucket_has_ownership_controls import bucket_has_ownership_controls
from tests.policies.data_leakage_fixtures import BUCKET, BUCKET_V2, bucket_stack, without
from tests.policies.harness import run_stack


def test_fail_bucket_without_ownership_controls():
    outcome = run_stack(bucket_has_ownership_controls, without(bucket_stack(), "data-ownership"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' has no aws:s3/bucketOwnershipControls:BucketOwnershipControls; "
        "required: one with rule.objectOwnership 'BucketOwnerEnforced'"
    ]


@pytest.mark.parametrize("bucket_type", [BUCKET, BUCKET_V2])
def test_pass_secure_bucket_decides_in_first_preview(bucket_type: str):
    assert run_stack(bucket_has_ownership_controls, bucket_stack(bucket_type)).passed
