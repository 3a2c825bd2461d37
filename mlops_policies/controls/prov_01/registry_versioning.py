"""The rule `prov-01-registry-versioning`, one of the PROV-01 rules.

PROV-01: Model-registry buckets are immutable.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets
from mlops_policies.rule import StackCheck, stack_rule


@stack_rule(
    "prov-01-registry-versioning",
    control="PROV-01",
    types=[*buckets.BUCKET_TYPES, buckets.VERSIONING],
    severity=Severity.MEDIUM,
    description="Every model-registry bucket has a BucketVersioning with status Enabled.",
    remediation="Add aws.s3.BucketVersioning(bucket=registry.id, "
    "versioning_configuration={'status': 'Enabled'}) for the model-registry bucket.",
)
def registry_versioning(stack: StackCheck) -> None:
    buckets.check_sub_resources(
        stack,
        [buckets.MODEL_REGISTRY],
        buckets.VERSIONING,
        "versioningConfiguration.status 'Enabled'",
        buckets.versioning_problems,
    )
