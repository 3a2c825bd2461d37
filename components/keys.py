"""TenantKeys: one customer-managed KMS key per purpose, rotated, usable only by the tenant's principals."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pulumi
import pulumi_aws as aws

from components import iam
from components.context import TenantContext
from components.validation import problem, refuse_invalid

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
    tenant: TenantContext
    """The tenant, its account and region (service principals' conditions); no default. Keys are aliased
    `alias/<tenant>-<purpose>`."""
    admin_role_arn: str
    """The platform role that administers (but cannot use) the keys; no default."""
    purposes: list[KeyPurpose] = field(default_factory=lambda: list(KeyPurpose))
    """Which keys to create; default all four (data, logs, secrets, registry)."""
    deletion_window_days: int = 30
    """Waiting period before a scheduled deletion; default 30 (SEC-01 requires at least 14)."""


def _problems(args: TenantKeysArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    repeated = sorted({p.value for p in args.purposes if args.purposes.count(p) > 1})
    if repeated:
        # Each purpose is one key and one alias of that name: a repeat would collide at registration.
        problems.append(problem("purposes", f"{repeated} given more than once; each purpose is one key"))
    if not 14 <= args.deletion_window_days <= 30:
        problems.append(
            problem("deletion_window_days", f"{args.deletion_window_days}: allowed 14-30 (SEC-01)")
        )
    return problems


class TenantKeys(pulumi.ComponentResource):
    """Customer-managed keys per purpose: rotation on, 30-day deletion window, explicit key policies."""

    keys: dict[KeyPurpose, aws.kms.Key]

    def __init__(self, name: str, args: TenantKeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        refuse_invalid("TenantKeys", name, _problems(args))
        super().__init__("mlops:landingzone:TenantKeys", name, None, opts)
        self.keys = {}
        for purpose in args.purposes:
            key = aws.kms.Key(
                f"{name}-{purpose.value}",
                description=f"{args.tenant.id} {purpose.value} key (mlops-landing-zone)",
                enable_key_rotation=True,
                rotation_period_in_days=365,
                deletion_window_in_days=args.deletion_window_days,
                policy=key_policy(args, purpose),
                tags=args.tenant.tagging.tags(purpose=f"{purpose.value}-key"),
                opts=pulumi.ResourceOptions(parent=self),
            )
            aws.kms.Alias(
                f"{name}-{purpose.value}-alias",
                name=f"alias/{args.tenant.id}-{purpose.value}",
                target_key_id=key.key_id,
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.keys[purpose] = key
        self.register_outputs({f"{p.value}_key_arn": k.arn for p, k in self.keys.items()})

    def arn(self, purpose: KeyPurpose) -> pulumi.Output[str]:
        return self.keys[purpose].arn


def key_policy(args: TenantKeysArgs, purpose: KeyPurpose) -> str:
    """Admin for the platform role; use only for principals tagged with this tenant, and named services."""
    account_root = f"arn:aws:iam::{args.tenant.account_id}:root"
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
            "Condition": {"StringEquals": {"aws:PrincipalTag/tenant": args.tenant.id}},
        },
    ]
    statements.extend(_service_statements(args.tenant, purpose))
    return iam.document(*statements)


def _service_statements(tenant: TenantContext, purpose: KeyPurpose) -> list[iam.Statement]:
    if purpose is KeyPurpose.LOGS:
        prefix = f"arn:aws:logs:{tenant.region}:{tenant.account_id}:log-group:"
        # Only this tenant's log groups: its audit sink's and its cluster's control-plane group.
        log_groups = [f"{prefix}/mlops/{tenant.id}/*", f"{prefix}/aws/eks/{tenant.id}-cluster/*"]
        return [
            {
                "Sid": "CloudWatchLogsOfThisTenant",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{tenant.region}.amazonaws.com"},
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
                        "aws:SourceArn": f"arn:aws:cloudtrail:{tenant.region}:{tenant.account_id}:trail/"
                        f"{tenant.id}-audit-trail"
                    }
                },
            },
        ]
    if purpose is KeyPurpose.DATA:
        # Auto Scaling launches the GPU nodes and must attach their encrypted volumes.
        autoscaling = (
            f"arn:aws:iam::{tenant.account_id}:role/aws-service-role/autoscaling.amazonaws.com/"
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
