"""TenantSecrets: Secrets Manager secrets encrypted with the tenant key, each rotated."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.context import TenantContext
from components.validation import problem, refuse_invalid
from landingzone.config import MAX_SECRET_ROTATION_DAYS


@dataclass(frozen=True)
class SecretSpec:
    name: str
    """Stored as `<tenant>/<name>`; no default."""
    description: str = ""
    """Free text; default empty."""
    rotation_days: int = 30
    """Rotation interval; default 30, at most 90 (SEC-03)."""


@dataclass
class TenantSecretsArgs:
    tenant: TenantContext
    """The tenant; secrets are named `<tenant>/<name>`. No default."""
    secrets_key_arn: pulumi.Input[str]
    """The tenant's secrets key (SEC-02); no default."""
    rotation_lambda_arn: str
    """The platform's rotation Lambda (from platform config); no default."""
    secrets: list[SecretSpec] = field(default_factory=list)
    """Secrets to create; default none. Values are set by the rotation Lambda, never by this program."""


def _problems(args: TenantSecretsArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    seen: set[str] = set()
    for index, spec in enumerate(args.secrets):
        if spec.name in seen:
            # The name is the secret's and its resources' name: a repeat would collide at registration.
            problems.append(problem(f"secrets[{index}].name", f"{spec.name!r} is given more than once"))
        seen.add(spec.name)
        if not 1 <= spec.rotation_days <= MAX_SECRET_ROTATION_DAYS:
            problems.append(
                problem(
                    f"secrets[{index}].rotation_days",
                    f"{spec.rotation_days}: allowed 1-{MAX_SECRET_ROTATION_DAYS} (SEC-03)",
                )
            )
    return problems


class TenantSecrets(pulumi.ComponentResource):
    secrets: dict[str, aws.secretsmanager.Secret]

    def __init__(
        self, name: str, args: TenantSecretsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        refuse_invalid("TenantSecrets", name, _problems(args))
        super().__init__("mlops:landingzone:TenantSecrets", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.secrets = {}
        for spec in args.secrets:
            secret = aws.secretsmanager.Secret(
                f"{name}-{spec.name}",
                name=f"{args.tenant.id}/{spec.name}",
                description=spec.description,
                kms_key_id=args.secrets_key_arn,
                recovery_window_in_days=30,
                tags=args.tenant.tagging.tags(),
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
