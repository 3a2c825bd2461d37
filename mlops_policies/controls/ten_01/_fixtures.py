"""Fixtures shared by the tests of several TEN-01 rules."""

from __future__ import annotations

from tests.policies.tenancy_fixtures import TAGS

BUCKET_V2 = "aws:s3/bucketV2:BucketV2"


COMPLIANT_BUCKET = {
    "bucket": "acme-dataset-111122223333",
    "objectLockEnabled": False,
    "tags": {**TAGS, "purpose": "dataset", "data-classification": "confidential"},
}
