"""The rule `data-03-ownership-bucket-owner-enforced`, one of the DATA-03 rules.

DATA-03: Buckets are private and TLS-only.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.data_03._bucket_settings import BUCKET_OWNERSHIP_CONTROLS
from mlops_policies.messages import as_shown
from mlops_policies.props import get
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-03-ownership-bucket-owner-enforced",
    control="DATA-03",
    types=[BUCKET_OWNERSHIP_CONTROLS],
    severity=Severity.MEDIUM,
    description="Bucket ownership controls enforce bucket-owner ownership, which disables ACLs.",
    remediation="Set rule={'object_ownership': 'BucketOwnerEnforced'} on the aws.s3.BucketOwnershipControls.",
)
def ownership_bucket_owner_enforced(r: ResourceCheck) -> None:
    ownership = get(r.props, "rule", "objectOwnership")
    if ownership != "BucketOwnerEnforced":
        r.fail(f"{r.label} has rule.objectOwnership {as_shown(ownership)}; required: 'BucketOwnerEnforced'")
