"""AuditLogSink: append-only audit evidence: object-locked log bucket, CloudTrail, encrypted log groups."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components import iam
from components.context import TenantContext
from components.secure_bucket import ObjectLock, SecureBucket, SecureBucketArgs
from components.validation import problem, refuse_invalid
from landingzone.config import ObjectLockMode

APPEND_ONLY_DENIED_ACTIONS = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"]


@dataclass
class AuditLogSinkArgs:
    tenant: TenantContext
    """The tenant, its account and region; no default. Names the bucket `<tenant>-audit-log-<account>` and
    the trail `<tenant>-audit-trail`."""
    logs_key_arn: pulumi.Input[str]
    """The tenant's logs key: encrypts the bucket, the trail and the log groups; no default."""
    retention_days: int = 365
    """COMPLIANCE-mode object lock on every audit object; default 365 (AUD-02 minimum)."""
    log_retention_days: int = 90
    """CloudWatch log retention; default 90 (AUD-03 minimum)."""
    data_event_bucket_arns: list[str] = field(default_factory=list)
    """Buckets whose object-level reads and writes the trail records; default none (regulated: all data)."""
    archive_bucket: str | None = None
    """Platform security archive bucket to replicate to; default None (required for regulated, AUD-07)."""
    archive_kms_key_arn: str | None = None
    """The archive's KMS key, which replicas are re-encrypted with; default None (required with
    `archive_bucket`)."""


def _problems(args: AuditLogSinkArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    if args.retention_days < 365:
        problems.append(problem("retention_days", f"{args.retention_days} is below 365 (AUD-02)"))
    if args.log_retention_days < 90:
        problems.append(problem("log_retention_days", f"{args.log_retention_days} is below 90 (AUD-03)"))
    if args.archive_bucket is not None and args.archive_kms_key_arn is None:
        problems.append(problem("archive_kms_key_arn", "required with archive_bucket"))
    if args.archive_bucket is None and args.archive_kms_key_arn is not None:
        problems.append(problem("archive_bucket", "required with archive_kms_key_arn"))
    return problems


class AuditLogSink(pulumi.ComponentResource):
    """Where the tenant's audit evidence goes, and where no one can delete it from."""

    bucket: SecureBucket
    trail: aws.cloudtrail.Trail
    audit_log_group: aws.cloudwatch.LogGroup
    flow_log_group: aws.cloudwatch.LogGroup

    def __init__(self, name: str, args: AuditLogSinkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        refuse_invalid("AuditLogSink", name, _problems(args))
        super().__init__("mlops:landingzone:AuditLogSink", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        bucket_name = f"{args.tenant.id}-audit-log-{args.tenant.account_id}"
        trail_name = f"{args.tenant.id}-audit-trail"
        trail_arn = f"arn:aws:cloudtrail:{args.tenant.region}:{args.tenant.account_id}:trail/{trail_name}"
        arn = iam.bucket_arn(bucket_name)
        self.bucket = SecureBucket(
            f"{name}-logs",
            SecureBucketArgs(
                bucket_name=bucket_name,
                purpose="audit-log",
                kms_key_arn=args.logs_key_arn,
                tenant=args.tenant,
                object_lock=ObjectLock(ObjectLockMode.COMPLIANCE, args.retention_days),
                extra_statements=[
                    {
                        "Sid": "AppendOnly",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": APPEND_ONLY_DENIED_ACTIONS,
                        "Resource": [arn, f"{arn}/*"],
                    },
                    {
                        "Sid": "CloudTrailAclCheck",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudtrail.amazonaws.com"},
                        "Action": "s3:GetBucketAcl",
                        "Resource": arn,
                        "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
                    },
                    {
                        "Sid": "CloudTrailWrite",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudtrail.amazonaws.com"},
                        "Action": "s3:PutObject",
                        "Resource": f"{arn}/AWSLogs/{args.tenant.account_id}/*",
                        "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
                    },
                ],
            ),
            opts=child,
        )
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=trail_name,
            s3_bucket_name=bucket_name,
            kms_key_id=args.logs_key_arn,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            event_selectors=_data_event_selectors(args.data_event_bucket_arns),
            tags=args.tenant.tagging.tags(),
            # CloudTrail verifies it may write to the bucket at creation time.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.bucket.policy]),
        )
        self.audit_log_group = self._log_group(f"{name}-audit", f"/mlops/{args.tenant.id}/audit", args)
        self.flow_log_group_name = f"/mlops/{args.tenant.id}/vpc-flow-logs"
        self.flow_log_group = self._log_group(f"{name}-flow", self.flow_log_group_name, args)
        if args.archive_bucket is not None and args.archive_kms_key_arn is not None:
            self._replicate(name, args, self.bucket, args.archive_bucket, args.archive_kms_key_arn)
        self.register_outputs(
            {
                "bucket_name": bucket_name,
                "trail_arn": self.trail.arn,
                "audit_log_group": self.audit_log_group.name,
                "flow_log_group": self.flow_log_group.name,
            }
        )

    def _log_group(self, name: str, log_group_name: str, args: AuditLogSinkArgs) -> aws.cloudwatch.LogGroup:
        return aws.cloudwatch.LogGroup(
            name,
            name=log_group_name,
            retention_in_days=args.log_retention_days,
            kms_key_id=args.logs_key_arn,
            tags=args.tenant.tagging.tags(),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _replicate(
        self,
        name: str,
        args: AuditLogSinkArgs,
        source: SecureBucket,
        archive_bucket: str,
        archive_key_arn: str,
    ) -> None:
        source_arn = source.arn
        role_name = f"{args.tenant.id}-audit-replication"
        archive_arn = iam.bucket_arn(archive_bucket)
        role = aws.iam.Role(
            f"{name}-replication-role",
            name=role_name,
            assume_role_policy=iam.service_trust("s3.amazonaws.com", args.tenant.account_id),
            max_session_duration=3600,
            tags=args.tenant.tagging.tags(),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.iam.RolePolicy(
            f"{name}-replication-policy",
            role=role.name,
            policy=iam.document(
                {
                    "Sid": "ReadSourceForReplication",
                    "Effect": "Allow",
                    "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                    "Resource": source_arn,
                },
                {
                    "Sid": "ReadSourceVersions",
                    "Effect": "Allow",
                    "Action": [
                        "s3:GetObjectVersionForReplication",
                        "s3:GetObjectVersionAcl",
                        "s3:GetObjectVersionTagging",
                        "s3:GetObjectRetention",
                        "s3:GetObjectLegalHold",
                    ],
                    "Resource": f"{source_arn}/*",
                },
                {
                    "Sid": "WriteArchive",
                    "Effect": "Allow",
                    "Action": [
                        "s3:ReplicateObject",
                        "s3:ReplicateTags",
                        "s3:ObjectOwnerOverrideToBucketOwner",
                    ],
                    "Resource": f"{archive_arn}/*",
                },
                {
                    "Sid": "EncryptReplicasWithArchiveKey",
                    "Effect": "Allow",
                    "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
                    "Resource": archive_key_arn,
                },
                {
                    "Sid": "DecryptSourceObjects",
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:ResourceTag/tenant": args.tenant.id}},
                },
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.s3.BucketReplicationConfig(
            f"{name}-replication",
            bucket=source.bucket.id,
            role=role.arn,
            rules=[
                {
                    "id": "to-platform-security-archive",
                    "status": "Enabled",
                    "priority": 1,
                    "filter": {},
                    "delete_marker_replication": {"status": "Disabled"},
                    "source_selection_criteria": {"sse_kms_encrypted_objects": {"status": "Enabled"}},
                    "destination": {
                        "bucket": archive_arn,
                        "storage_class": "STANDARD",
                        "encryption_configuration": {"replica_kms_key_id": archive_key_arn},
                    },
                }
            ],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[source]),
        )


def _data_event_selectors(bucket_arns: list[str]) -> list[aws.cloudtrail.TrailEventSelectorArgsDict] | None:
    if not bucket_arns:
        return None
    return [
        {
            "read_write_type": "All",
            "include_management_events": True,
            "data_resources": [{"type": "AWS::S3::Object", "values": [f"{arn}/" for arn in bucket_arns]}],
        }
    ]
