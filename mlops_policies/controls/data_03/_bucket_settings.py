"""Bucket sub-resources the DATA-03 rules require: public access block and ownership controls."""

from __future__ import annotations

from mlops_policies import buckets as s3

BUCKET_PUBLIC_ACCESS_BLOCK = s3.PUBLIC_ACCESS_BLOCK
BUCKET_OWNERSHIP_CONTROLS = s3.OWNERSHIP_CONTROLS
PUBLIC_ACCESS_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
