"""The rule `data-04-bucket-has-encryption-config`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets as s3
from mlops_policies.controls.data_04._tenant_key import BUCKET_ENCRYPTION
from mlops_policies.resource_types import BUCKETS
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "data-04-bucket-has-encryption-config",
    control="DATA-04",
    types=[*BUCKETS, *s3.ENCRYPTION_TYPES],
    severity=Severity.MEDIUM,
    description="Every bucket has a BucketServerSideEncryptionConfiguration (without one S3 uses "
    "S3-managed keys).",
    remediation="Add aws.s3.BucketServerSideEncryptionConfiguration(bucket=bucket.id, "
    "rules=[{'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms', "
    "'kms_master_key_id': tenant_key.arn}, 'bucket_key_enabled': True}]). The deprecated inline Bucket "
    "argument is not accepted.",
)
def bucket_has_encryption_config(stack: StackCheck) -> None:
    for bucket in s3.buckets(stack):
        with stack.deciding(bucket):
            if not s3.sub_resources(stack, bucket, BUCKET_ENCRYPTION):
                stack.fail(
                    bucket,
                    f"{label(bucket)} has no {BUCKET_ENCRYPTION}; required: one with sseAlgorithm 'aws:kms' "
                    "and a tenant key (S3 otherwise encrypts with S3-managed AES256 keys)",
                )
