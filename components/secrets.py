"""TenantSecrets: Secrets Manager secrets encrypted with the tenant key, each rotated."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.tags import Tagging
from landingzone.config import MAX_SECRET_ROTATION_DAYS


@dataclass(frozen=True)
class SecretSpec:
    name: str
    """Stored as `<tenant>/<name>`."""
    description: str = ""
    """Free text; default empty."""
    rotation_days: int = 30
    """Rotation interval; default 30, at most 90 (SEC-03)."""


@dataclass
class TenantSecretsArgs:
    tenant_id: str
    """The tenant; secrets are named `<tenant>/<name>`."""
    secrets_key_arn: pulumi.Input[str]
    """The tenant's secrets key (SEC-02)."""
    rotation_lambda_arn: str
    """The platform's rotation Lambda (from platform config)."""
    tagging: Tagging
    """The tenant's tag vocabulary."""
    secrets: list[SecretSpec] = field(default_factory=list)
    """Secrets to create; default none. Values are set by the rotation Lambda, never by this program."""

    def __post_init__(self) -> None:
        too_slow = [s.name for s in self.secrets if not 1 <= s.rotation_days <= MAX_SECRET_ROTATION_DAYS]
        if too_slow:
            raise ValueError(
                f"secrets {too_slow}: rotation_days must be 1-{MAX_SECRET_ROTATION_DAYS} (SEC-03)"
            )


class TenantSecrets(pulumi.ComponentResource):
    secrets: dict[str, aws.secretsmanager.Secret]

    def __init__(
        self, name: str, args: TenantSecretsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops:landingzone:TenantSecrets", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.secrets = {}
        for spec in args.secrets:
            secret = aws.secretsmanager.Secret(
                f"{name}-{spec.name}",
                name=f"{args.tenant_id}/{spec.name}",
                description=spec.description,
                kms_key_id=args.secrets_key_arn,
                recovery_window_in_days=30,
                tags=args.tagging.tags(),
                opts=child,
            )
            aws.secretsmanager.SecretRotation(
                f"{name}-{spec.name}-rotation",
                secret_id=secret.id,
                rotation_lambda_arn=args.rotation_lambda_arn,
                rotation_rules={"automatically_after_days": spec.rotation_days},
                opts=child,
            )
            self.secrets[spec.name] = secret
        self.register_outputs({"secret_arns": {k: s.arn for k, s in self.secrets.items()}})
