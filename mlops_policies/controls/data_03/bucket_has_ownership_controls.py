"""The rule `data-03-bucket-has-ownership-controls`, one of the DATA-03 rules.

DATA-03: Buckets are private and TLS-only.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets as s3
from mlops_policies.controls.data_03._bucket_settings import BUCKET_OWNERSHIP_CONTROLS
from mlops_policies.resource_types import BUCKETS
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "data-03-bucket-has-ownership-controls",
    control="DATA-03",
    types=[*BUCKETS, BUCKET_OWNERSHIP_CONTROLS],
    severity=Severity.MEDIUM,
    description="Every bucket has BucketOwnershipControls.",
    remediation="Add aws.s3.BucketOwnershipControls(bucket=bucket.id, rule={'object_ownership': "
    "'BucketOwnerEnforced'}) for the bucket.",
)
def bucket_has_ownership_controls(stack: StackCheck) -> None:
    for bucket in s3.buckets(stack):
        with stack.deciding(bucket):
            if not s3.sub_resources(stack, bucket, BUCKET_OWNERSHIP_CONTROLS):
                stack.fail(
                    bucket,
                    f"{label(bucket)} has no {BUCKET_OWNERSHIP_CONTROLS}; required: one with "
                    "rule.objectOwnership 'BucketOwnerEnforced'",
                )
