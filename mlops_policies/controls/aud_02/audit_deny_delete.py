"""The rule `aud-02-audit-deny-delete`, one of the AUD-02 rules.

AUD-02: Audit logs are append-only.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets
from mlops_policies.policy_predicates import append_only_actions, bucket_arn, objects_arn, undenied
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule


def _append_only_problems(policy: PolicyResource, bucket: PolicyResource) -> list[str]:
    name = buckets.name(bucket)
    if name is None:
        raise Undecided([f"the name of {label(bucket)} is unknown"])
    document = buckets.bucket_policy_document(policy)
    required = append_only_actions(name)
    missing = undenied(document, required)
    if not missing:
        return []
    return [
        f"policy without an unconditional Deny for Principal '*' of {', '.join(missing)}; required: "
        f"Deny {', '.join(required)} on {objects_arn(name)} and {bucket_arn(name)}"
    ]


@stack_rule(
    "aud-02-audit-deny-delete",
    control="AUD-02",
    types=[*buckets.BUCKET_TYPES, buckets.POLICY],
    severity=Severity.HIGH,
    description="Every audit-log bucket has a bucket policy that denies everyone, without conditions, "
    "s3:DeleteObject and s3:DeleteObjectVersion on its objects and s3:PutLifecycleConfiguration on the "
    "bucket.",
    remediation="Add to the audit-log bucket's aws.s3.BucketPolicy a statement {'Effect': 'Deny', "
    "'Principal': '*', 'Action': ['s3:DeleteObject', 's3:DeleteObjectVersion', "
    "'s3:PutLifecycleConfiguration'], 'Resource': [<bucket arn>, <bucket arn>/*]}.",
)
def audit_deny_delete(stack: StackCheck) -> None:
    buckets.check_sub_resources(
        stack,
        [buckets.AUDIT_LOG],
        buckets.POLICY,
        "a bucket policy denying s3:DeleteObject, s3:DeleteObjectVersion and s3:PutLifecycleConfiguration",
        _append_only_problems,
    )
