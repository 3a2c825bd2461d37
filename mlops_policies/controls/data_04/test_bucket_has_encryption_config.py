"""Cases for `data-04-bucket-has-encryption-config`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.data_04.bucket_has_encryption_config import bucket_has_encryption_config
from tests.policies.data_leakage_fixtures import BUCKET, BUCKET_V2, bucket_stack, without
from tests.policies.harness import run_stack


def test_fail_bucket_without_encryption_configuration():
    outcome = run_stack(bucket_has_encryption_config, without(bucket_stack(), "data-sse"))
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'data' has no "
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration; required: "
        "one with sseAlgorithm 'aws:kms' and a tenant key (S3 otherwise encrypts with S3-managed AES256 "
        "keys)"
    ]


@pytest.mark.parametrize("bucket_type", [BUCKET, BUCKET_V2])
def test_pass_secure_bucket_decides_in_first_preview(bucket_type: str):
    assert run_stack(bucket_has_encryption_config, bucket_stack(bucket_type)).passed
