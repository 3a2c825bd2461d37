"""TenantSecrets: secrets in the store, encrypted with the tenant's secrets key (SEC-02), rotated (SEC-03)."""

from __future__ import annotations

import pytest

from components.secrets import SecretSpec, TenantSecrets
from tests.components.recording import Recording, depends_on, mock_id, mock_key_arn, property_errors, refused
from tests.components.scenarios import ROTATION_LAMBDA_ARN, SECRETS, secrets_args

SECRETS_KEY_ARN = mock_key_arn("fixture-secrets-key")


@pytest.fixture(scope="module")
def secrets(recorded) -> Recording:
    """hf-token rotated every 30 days, wandb-api-key every 90."""
    return recorded("secrets")


def test_each_secret_is_stored_as_tenant_slash_name(secrets):
    names = [s.inputs["name"] for s in secrets.of_type("aws:secretsmanager/secret:Secret")]
    assert sorted(names) == ["acme/hf-token", "acme/wandb-api-key"]


def test_each_secret_is_encrypted_with_the_secrets_key(secrets):
    for secret in secrets.of_type("aws:secretsmanager/secret:Secret"):
        assert secret.inputs["kmsKeyId"] == SECRETS_KEY_ARN
        assert depends_on(secret, secrets.named("fixture-secrets-key"), "kmsKeyId")
        assert secret.inputs["recoveryWindowInDays"] == 30


def test_the_program_never_sets_a_secret_value(secrets):
    assert secrets.of_type("aws:secretsmanager/secretVersion:SecretVersion") == []
    for secret in secrets.of_type("aws:secretsmanager/secret:Secret"):
        assert "secretString" not in secret.inputs


def test_each_secret_rotates_through_the_platform_lambda_at_its_interval(secrets):
    rotations = secrets.of_type("aws:secretsmanager/secretRotation:SecretRotation")
    assert len(rotations) == len(SECRETS)
    for spec in SECRETS:
        rotation = secrets.named(f"secrets-{spec.name}-rotation")
        secret = secrets.named(f"secrets-{spec.name}")
        assert rotation.inputs["secretId"] == mock_id(secret.name)
        assert depends_on(rotation, secret, "secretId")
        assert rotation.inputs["rotationLambdaArn"] == ROTATION_LAMBDA_ARN
        assert rotation.inputs["rotationRules"] == {"automaticallyAfterDays": spec.rotation_days}


def test_descriptions_are_carried_over(secrets):
    assert secrets.named("secrets-hf-token").inputs["description"] == "Hugging Face read token"


# ---------------------------------------------------------------- args validation (at construction)


def _refused(secrets: list[SecretSpec]) -> list[tuple[str, str]]:
    return property_errors(refused(lambda: TenantSecrets("acme-secrets", secrets_args(secrets=secrets))))


@pytest.mark.parametrize("days", [0, 91, 120])
def test_rotation_outside_one_to_ninety_days_is_refused_naming_sec_03(days):
    assert _refused([SecretSpec("ok", rotation_days=30), SecretSpec("slow", rotation_days=days)]) == [
        ("secrets[1].rotation_days", f"{days}: allowed 1-90 (SEC-03)")
    ]


def test_every_secret_problem_is_named_at_once_with_its_property_path():
    specs = [SecretSpec("a", rotation_days=120), SecretSpec("b", rotation_days=365), SecretSpec("a")]
    assert _refused(specs) == [
        ("secrets[0].rotation_days", "120: allowed 1-90 (SEC-03)"),
        ("secrets[1].rotation_days", "365: allowed 1-90 (SEC-03)"),
        ("secrets[2].name", "'a' is given more than once"),
    ]
