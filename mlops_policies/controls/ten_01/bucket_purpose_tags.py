"""The rule `ten-01-bucket-purpose-tags`, one of the TEN-01 rules.

TEN-01: Everything is labelled with its tenant.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.ten_01._tags import tag_value
from mlops_policies.props import as_str, shown
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.tenancy import BUCKET_PURPOSES

BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")


@resource_rule(
    "ten-01-bucket-purpose-tags",
    control="TEN-01",
    types=BUCKETS,
    severity=Severity.MEDIUM,
    description="Every S3 bucket carries tags purpose (one of the landing-zone purposes) and "
    "data-classification.",
    remediation="Add tags={'purpose': '<model-registry|audit-log|dataset|checkpoint|feature-store|"
    "experiment-tracking|artifacts>', 'data-classification': '<internal|confidential|restricted>'} to the "
    "aws.s3.Bucket.",
)
def bucket_purpose_tags(r: ResourceCheck) -> None:
    purpose = tag_value(r.props, "purpose")
    if purpose not in BUCKET_PURPOSES:
        r.fail(f"{r.label} has tags.purpose {shown(purpose)}; required: one of {', '.join(BUCKET_PURPOSES)}")
    classification = tag_value(r.props, "data-classification")
    if not as_str(classification):
        r.fail(f"{r.label} has tags.data-classification {shown(classification)}; required: a non-empty value")
