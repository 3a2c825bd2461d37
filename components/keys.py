"""TenantKeys: one customer-managed KMS key per purpose, rotated, usable only by the tenant's principals."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pulumi
import pulumi_aws as aws

from components import iam
from components.tags import Tagging

KEY_USAGE_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
]
KEY_ADMIN_ACTIONS = [
    "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
    "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
    "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
]  # fmt: skip


class KeyPurpose(StrEnum):
    DATA = "data"
    LOGS = "logs"
    SECRETS = "secrets"
    REGISTRY = "registry"


@dataclass
class TenantKeysArgs:
    tenant_id: str
    """The tenant; keys are aliased `alias/<tenant>-<purpose>`."""
    account_id: str
    """The AWS account (from config; the program makes no look-ups)."""
    region: str
    """The stack's region, for service principals' conditions."""
    admin_role_arn: str
    """The platform role that administers (but cannot use) the keys."""
    tagging: Tagging
    """The tenant's tag vocabulary."""
    purposes: list[KeyPurpose] = field(default_factory=lambda: list(KeyPurpose))
    """Which keys to create; default all four (data, logs, secrets, registry)."""
    deletion_window_days: int = 30
    """Waiting period before a scheduled deletion; default 30 (SEC-01 requires at least 14)."""

    def __post_init__(self) -> None:
        if not 14 <= self.deletion_window_days <= 30:
            raise ValueError(f"deletion_window_days {self.deletion_window_days}: allowed 14-30 (SEC-01)")


class TenantKeys(pulumi.ComponentResource):
    """Customer-managed keys per purpose: rotation on, 30-day deletion window, explicit key policies."""

    keys: dict[KeyPurpose, aws.kms.Key]

    def __init__(self, name: str, args: TenantKeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops:landingzone:TenantKeys", name, None, opts)
        self.keys = {}
        for purpose in args.purposes:
            key = aws.kms.Key(
                f"{name}-{purpose.value}",
                description=f"{args.tenant_id} {purpose.value} key (mlops-landing-zone)",
                enable_key_rotation=True,
                rotation_period_in_days=365,
                deletion_window_in_days=args.deletion_window_days,
                policy=key_policy(args, purpose),
                tags=args.tagging.tags(purpose=f"{purpose.value}-key"),
                opts=pulumi.ResourceOptions(parent=self),
            )
            aws.kms.Alias(
                f"{name}-{purpose.value}-alias",
                name=f"alias/{args.tenant_id}-{purpose.value}",
                target_key_id=key.key_id,
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.keys[purpose] = key
        self.register_outputs({f"{p.value}_key_arn": k.arn for p, k in self.keys.items()})

    def arn(self, purpose: KeyPurpose) -> pulumi.Output[str]:
        return self.keys[purpose].arn


def key_policy(args: TenantKeysArgs, purpose: KeyPurpose) -> str:
    """Admin for the platform role; use only for principals tagged with this tenant, and named services."""
    account_root = f"arn:aws:iam::{args.account_id}:root"
    statements: list[iam.Statement] = [
        {
            "Sid": "PlatformKeyAdministration",
            "Effect": "Allow",
            "Principal": {"AWS": args.admin_role_arn},
            "Action": KEY_ADMIN_ACTIONS,
            "Resource": "*",
        },
        {
            "Sid": "TenantPrincipalsUseKey",
            "Effect": "Allow",
            "Principal": {"AWS": account_root},
            "Action": [*KEY_USAGE_ACTIONS, "kms:CreateGrant"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/tenant": args.tenant_id}},
        },
    ]
    statements.extend(_service_statements(args, purpose))
    return iam.document(*statements)


def _service_statements(args: TenantKeysArgs, purpose: KeyPurpose) -> list[iam.Statement]:
    if purpose is KeyPurpose.LOGS:
        prefix = f"arn:aws:logs:{args.region}:{args.account_id}:log-group:"
        # Only this tenant's log groups: its audit sink's and its cluster's control-plane group.
        log_groups = [f"{prefix}/mlops/{args.tenant_id}/*", f"{prefix}/aws/eks/{args.tenant_id}-cluster/*"]
        return [
            {
                "Sid": "CloudWatchLogsOfThisTenant",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{args.region}.amazonaws.com"},
                "Action": KEY_USAGE_ACTIONS,
                "Resource": "*",
                "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}},
            },
            {
                "Sid": "CloudTrailOfThisTenant",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        "aws:SourceArn": f"arn:aws:cloudtrail:{args.region}:{args.account_id}:trail/"
                        f"{args.tenant_id}-audit-trail"
                    }
                },
            },
        ]
    if purpose is KeyPurpose.DATA:
        # Auto Scaling launches the GPU nodes and must attach their encrypted volumes.
        autoscaling = (
            f"arn:aws:iam::{args.account_id}:role/aws-service-role/autoscaling.amazonaws.com/"
            "AWSServiceRoleForAutoScaling"
        )
        return [
            {
                "Sid": "AutoScalingUsesKeyForNodeVolumes",
                "Effect": "Allow",
                "Principal": {"AWS": autoscaling},
                "Action": KEY_USAGE_ACTIONS,
                "Resource": "*",
            },
            {
                "Sid": "AutoScalingAttachesEncryptedVolumes",
                "Effect": "Allow",
                "Principal": {"AWS": autoscaling},
                "Action": "kms:CreateGrant",
                "Resource": "*",
                "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
            },
        ]
    return []
