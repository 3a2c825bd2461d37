"""The rule `aud-07-audit-log-replication`, one of the AUD-07 rules.

AUD-07: Audit evidence leaves the tenant's reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets
from mlops_policies.iam import elements
from mlops_policies.policy_predicates import bucket_arn
from mlops_policies.props import UNKNOWN, known, shown
from mlops_policies.rule import StackCheck, Undecided, stack_rule

KMS_OBJECTS = ("sourceSelectionCriteria", "sseKmsEncryptedObjects", "status")


def _skips_kms_objects(rule: Any) -> str | None:
    """Why a rule copies no SSE-KMS object, or None. S3 replicates objects encrypted with KMS keys only
    when the rule opts in (sourceSelectionCriteria.sseKmsEncryptedObjects Enabled) and names the key to
    encrypt the replicas with (destination.encryptionConfiguration.replicaKmsKeyId). Every object in the
    audit-log bucket is one: the bucket uses a tenant key (DATA-04) and CloudTrail the trail's (AUD-01)."""
    status = known(rule, *KMS_OBJECTS)
    if status is not UNKNOWN and status != "Enabled":
        return f"sourceSelectionCriteria.sseKmsEncryptedObjects.status {shown(status)}"
    if known(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId") in (None, ""):
        return "destination.encryptionConfiguration.replicaKmsKeyId missing"
    return None


def _replication_problems(archive: str) -> Any:
    destination = bucket_arn(archive)

    def problems(replication: PolicyResource, _bucket: PolicyResource) -> list[str]:
        found, unknown = [], False
        for index, rule in enumerate(elements(known(replication.props, "rules"))):
            status, target = known(rule, "status"), known(rule, "destination", "bucket")
            kms_status = known(rule, *KMS_OBJECTS)
            # A rule narrowed by a filter replicates only part of the audit log: it does not count; nor
            # does one that skips the KMS-encrypted objects, which is all of them.
            narrowed = buckets.narrowing(rule) if isinstance(rule, Mapping) else None
            skipped = _skips_kms_objects(rule) if isinstance(rule, Mapping) else None
            if status == "Enabled" and target == destination and narrowed is None and skipped is None:
                if kms_status is UNKNOWN:
                    unknown = True
                    continue
                return []
            unknown = unknown or UNKNOWN in (rule, status, target)
            if isinstance(rule, Mapping):
                found.append(
                    f"rules[{index}] status {shown(status)} to {shown(target)}"
                    + (f" narrowed by {narrowed}" if narrowed else "")
                    + (f" with {skipped}" if skipped else "")
                )
        if unknown:
            raise Undecided(
                ["a replication rule's status, destination.bucket or sseKmsEncryptedObjects is unknown"]
            )
        return [
            f"no rule with status 'Enabled' and destination.bucket {shown(destination)} "
            f"(found: {'; '.join(found) or 'no rules'}); required: replication to the security archive "
            "of the KMS-encrypted objects (sourceSelectionCriteria.sseKmsEncryptedObjects.status 'Enabled' "
            "and a destination.encryptionConfiguration.replicaKmsKeyId)"
        ]

    return problems


@stack_rule(
    "aud-07-audit-log-replication",
    control="AUD-07",
    types=[*buckets.BUCKET_TYPES, *buckets.REPLICATION_TYPES],
    severity=Severity.MEDIUM,
    description="For regulated tenants, the audit-log bucket has a BucketReplicationConfig with an enabled "
    "rule covering the whole bucket (no prefix, tag or and filter) whose destination.bucket is the "
    "platform's security archive (landingzone:platform "
    "security_archive_bucket), outside the tenant's reach, and which replicates the KMS-encrypted objects "
    "(sourceSelectionCriteria.sseKmsEncryptedObjects Enabled, a replicaKmsKeyId).",
    remediation="Set security_archive_bucket in the landingzone:platform config and add "
    "aws.s3.BucketReplicationConfig(bucket=audit_bucket.id, role=replication_role.arn, rules=[{'status': "
    "'Enabled', 'destination': {'bucket': 'arn:aws:s3:::<security_archive_bucket>', "
    "'encryption_configuration': {'replica_kms_key_id': archive_key_arn}}, 'source_selection_criteria': "
    "{'sse_kms_encrypted_objects': {'status': 'Enabled'}}, ...}]).",
)
def audit_log_replication(stack: StackCheck) -> None:
    archive = stack.tenant.security_archive_bucket
    if not archive:
        stack.fail(
            None,
            "landingzone:platform has security_archive_bucket missing; required: the platform's "
            "security archive bucket, the replication destination of the audit-log bucket",
        )
        return
    purposes = [known(bucket.props, "tags", "purpose") for bucket in buckets.buckets(stack)]
    if buckets.AUDIT_LOG not in purposes and UNKNOWN not in purposes:
        stack.fail(
            None,
            f"the stack has no bucket with purpose audit-log; required: an audit-log bucket "
            f"replicating to {bucket_arn(archive)!r}",
        )
    buckets.check_sub_resources(
        stack,
        [buckets.AUDIT_LOG],
        buckets.REPLICATION,
        f"a replication rule with status 'Enabled' and destination.bucket {bucket_arn(archive)!r}",
        _replication_problems(archive),
    )
