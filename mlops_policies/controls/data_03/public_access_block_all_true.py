"""The rule `data-03-public-access-block-all-true`, one of the DATA-03 rules.

DATA-03: Buckets are private and TLS-only.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.data_03._bucket_settings import BUCKET_PUBLIC_ACCESS_BLOCK, PUBLIC_ACCESS_FLAGS
from mlops_policies.messages import as_shown
from mlops_policies.props import as_bool, get
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-03-public-access-block-all-true",
    control="DATA-03",
    types=[BUCKET_PUBLIC_ACCESS_BLOCK],
    severity=Severity.HIGH,
    description="Bucket public access blocks set all four flags to true.",
    remediation="Set block_public_acls, block_public_policy, ignore_public_acls and "
    "restrict_public_buckets to True on the aws.s3.BucketPublicAccessBlock (a missing flag means false).",
)
def public_access_block_all_true(r: ResourceCheck) -> None:
    values = {flag: get(r.props, flag) for flag in PUBLIC_ACCESS_FLAGS}
    off = [f"{flag} {as_shown(value)}" for flag, value in values.items() if as_bool(value) is not True]
    if off:
        r.fail(f"{r.label} has {', '.join(off)}; required: {', '.join(PUBLIC_ACCESS_FLAGS)} all true")
