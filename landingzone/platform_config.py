"""`landingzone:platform`: what the hosting platform provides to every tenant stack."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from landingzone.config_fields import AccountId, StrictModel
from landingzone.kubernetes import supported_versions_problem


class PlatformConfig(StrictModel):
    account_id: AccountId = Field(description="The AWS account the tenant lands in (12 digits).")
    admin_role_arn: str = Field(
        description="The platform's break-glass admin role: key admin, cluster admin."
    )
    rotation_lambda_arn: str | None = Field(
        default=None, description="The platform's Secrets Manager rotation Lambda (needed with secrets)."
    )
    security_archive_bucket: str | None = Field(
        default=None,
        description="Bucket name of the platform security archive, outside tenant reach (regulated).",
    )
    security_archive_kms_key_arn: str | None = Field(
        default=None, description="The archive's KMS key that replicas are encrypted with (regulated)."
    )
    kubernetes_version: str = Field(
        default="1.33",
        description="EKS version (default 1.33): one of landingzone/data/kubernetes-versions.yaml.",
    )

    @field_validator("kubernetes_version")
    @classmethod
    def _supported_version(cls, value: str) -> str:
        problem = supported_versions_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("admin_role_arn")
    @classmethod
    def _role_arn(cls, value: str) -> str:
        if not re.fullmatch(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+", value):
            raise ValueError(f"'{value}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
        return value

    @field_validator("rotation_lambda_arn")
    @classmethod
    def _lambda_arn(cls, value: str | None) -> str | None:
        pattern = r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[\w-]+(:[\w-]+)?"
        if value is not None and not re.fullmatch(pattern, value):
            raise ValueError(f"'{value}' is not a Lambda function ARN")
        return value

    @field_validator("security_archive_kms_key_arn")
    @classmethod
    def _kms_arn(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(
            r"arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[\w-]+", value
        ):
            raise ValueError(f"'{value}' is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)")
        return value

    @field_validator("security_archive_bucket")
    @classmethod
    def _bucket_name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", value):
            raise ValueError(f"'{value}' is not an S3 bucket name")
        return value
