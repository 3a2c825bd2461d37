"""The rule `data-03-bucket-tls-only-policy`, one of the DATA-03 rules.

DATA-03: Buckets are private and TLS-only.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets as s3
from mlops_policies.policy_predicates import denies_insecure_transport
from mlops_policies.props import get
from mlops_policies.resource_types import BUCKETS
from mlops_policies.rule import StackCheck, label, stack_rule

BUCKET_POLICY = s3.POLICY


@stack_rule(
    "data-03-bucket-tls-only-policy",
    control="DATA-03",
    types=[*BUCKETS, *s3.POLICY_TYPES],
    severity=Severity.MEDIUM,
    description="Every bucket has a bucket policy denying all principals every S3 action on the bucket and "
    "its objects when aws:SecureTransport is false; with several BucketPolicy resources for one bucket "
    "(AWS keeps the last one written), each of them.",
    remediation="Attach aws.s3.BucketPolicy(bucket=bucket.id, policy=...) with the statement {'Effect': "
    "'Deny', 'Principal': '*', 'Action': 's3:*', 'Resource': ['arn:aws:s3:::<bucket>', "
    "'arn:aws:s3:::<bucket>/*'], 'Condition': {'Bool': {'aws:SecureTransport': 'false'}}} (no other "
    "condition in that statement). The deprecated inline Bucket policy argument is not accepted.",
)
def bucket_tls_only_policy(stack: StackCheck) -> None:
    for bucket in s3.buckets(stack):
        with stack.deciding(bucket):
            policies = s3.sub_resources(stack, bucket, BUCKET_POLICY)
            if not policies:
                stack.fail(
                    bucket, f"{label(bucket)} has no {BUCKET_POLICY}; required: one denying non-TLS requests"
                )
                continue
            get(bucket.props, "bucket")  # an unknown name defers the bucket
            name = s3.name(bucket)
            if name is None:
                stack.fail(
                    bucket,
                    f"{label(bucket)} has bucket missing, so no policy can be shown to cover it; required: "
                    "an explicit bucket name",
                )
                continue
            # AWS keeps one policy per bucket, the last one written, and which BucketPolicy is written
            # last is not ordered by the program: every policy of the bucket must carry the TLS deny.
            for policy in policies:
                with stack.deciding(policy):
                    if not denies_insecure_transport(s3.bucket_policy_document(policy), name):
                        replaces = (
                            f" (it replaces the bucket's other {len(policies) - 1})"
                            if len(policies) > 1
                            else ""
                        )
                        stack.fail(
                            policy,
                            f"{label(policy)} of {label(bucket)} has no statement denying every principal "
                            "s3:* on the bucket and its objects under Condition Bool aws:SecureTransport "
                            f"'false'{replaces}; required: one",
                        )
