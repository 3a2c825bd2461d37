"""The rule `data-03-bucket-has-public-access-block`, one of the DATA-03 rules.

DATA-03: Buckets are private and TLS-only.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets as s3
from mlops_policies.controls.data_03._bucket_settings import BUCKET_PUBLIC_ACCESS_BLOCK, PUBLIC_ACCESS_FLAGS
from mlops_policies.resource_types import BUCKETS
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "data-03-bucket-has-public-access-block",
    control="DATA-03",
    types=[*BUCKETS, *s3.PUBLIC_ACCESS_BLOCK_TYPES],
    severity=Severity.HIGH,
    description="Every bucket has a BucketPublicAccessBlock.",
    remediation="Add aws.s3.BucketPublicAccessBlock(bucket=bucket.id, block_public_acls=True, "
    "block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True) for the bucket.",
)
def bucket_has_public_access_block(stack: StackCheck) -> None:
    for bucket in s3.buckets(stack):
        with stack.deciding(bucket):
            if not s3.sub_resources(stack, bucket, BUCKET_PUBLIC_ACCESS_BLOCK):
                stack.fail(
                    bucket,
                    f"{label(bucket)} has no {BUCKET_PUBLIC_ACCESS_BLOCK}; required: one with "
                    f"{', '.join(PUBLIC_ACCESS_FLAGS)} true",
                )
