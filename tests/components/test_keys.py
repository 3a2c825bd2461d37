"""TenantKeys: one rotated customer-managed key per purpose, usable only by tenant principals (SEC-01/08)."""

from __future__ import annotations

from typing import Any

import pytest

from components import KeyPurpose, TenantKeys
from tests.components.recording import (
    ACCOUNT_ID,
    ADMIN_ROLE_ARN,
    REGION,
    TENANT,
    Recording,
    as_list,
    depends_on,
    property_errors,
    record,
    refused,
    statements,
)
from tests.components.scenarios import keys_args

PURPOSES = ["data", "logs", "secrets", "registry"]
ACCOUNT_ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"
AUTOSCALING_ROLE = (
    f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
)
USAGE_ACTIONS = {"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"}


@pytest.fixture(scope="module")
def keys(recorded) -> Recording:
    return recorded("keys")


def _policy(keys: Recording, purpose: str) -> list[dict[str, Any]]:
    return statements(keys.named(f"keys-{purpose}"), "policy")


def _principals(stmts: list[dict[str, Any]], kind: str) -> set[str]:
    found: set[str] = set()
    for s in stmts:
        principal = s["Principal"]
        if isinstance(principal, dict) and kind in principal:
            found.update(as_list(principal[kind]))
    return found


def test_keys_create_one_key_per_purpose(keys):
    assert sorted(r.name for r in keys.of_type("aws:kms/key:Key")) == sorted(
        f"acme-keys-{p}" for p in PURPOSES
    )


def test_every_key_rotates_yearly_and_waits_thirty_days_before_deletion(keys):
    for key in keys.of_type("aws:kms/key:Key"):
        assert key.inputs["enableKeyRotation"] is True, key.name
        assert key.inputs["rotationPeriodInDays"] == 365, key.name
        assert key.inputs["deletionWindowInDays"] == 30, key.name


def test_every_key_is_tagged_with_its_purpose(keys):
    for purpose in PURPOSES:
        assert keys.named(f"keys-{purpose}").inputs["tags"]["purpose"] == f"{purpose}-key"


def test_aliases_are_named_after_tenant_and_purpose_and_target_their_key(keys):
    aliases = keys.of_type("aws:kms/alias:Alias")
    assert sorted(a.inputs["name"] for a in aliases) == sorted(f"alias/acme-{p}" for p in PURPOSES)
    for purpose in PURPOSES:
        alias = keys.named(f"keys-{purpose}-alias")
        key = keys.named(f"keys-{purpose}")
        assert alias.inputs["name"] == f"alias/{TENANT}-{purpose}"
        assert alias.inputs["targetKeyId"] == f"{key.name}-key-id"
        assert depends_on(alias, key, "targetKeyId")


def test_key_policies_name_only_the_admin_role_and_the_tenant_tagged_account_root(keys):
    for purpose in ["logs", "secrets", "registry"]:
        assert _principals(_policy(keys, purpose), "AWS") == {ADMIN_ROLE_ARN, ACCOUNT_ROOT}, purpose
    # The data key also lets Auto Scaling attach the GPU nodes' encrypted volumes.
    assert _principals(_policy(keys, "data"), "AWS") == {ADMIN_ROLE_ARN, ACCOUNT_ROOT, AUTOSCALING_ROLE}


def test_no_key_policy_statement_has_a_wildcard_principal(keys):
    for purpose in PURPOSES:
        for s in _policy(keys, purpose):
            assert s["Principal"] != "*", (purpose, s["Sid"])
            assert "*" not in _principals([s], "AWS"), (purpose, s["Sid"])
            assert s["Effect"] == "Allow", (purpose, s["Sid"])


def test_the_admin_role_administers_the_keys_but_cannot_use_them(keys):
    for purpose in PURPOSES:
        admin = [s for s in _policy(keys, purpose) if _principals([s], "AWS") == {ADMIN_ROLE_ARN}]
        assert len(admin) == 1, purpose
        actions = set(as_list(admin[0]["Action"]))
        assert "kms:ScheduleKeyDeletion" in actions
        assert "kms:*" not in actions
        assert not actions & USAGE_ACTIONS, purpose
        assert "Condition" not in admin[0]


def test_the_account_root_may_use_the_key_only_for_principals_tagged_with_the_tenant(keys):
    for purpose in PURPOSES:
        root = [s for s in _policy(keys, purpose) if ACCOUNT_ROOT in _principals([s], "AWS")]
        assert len(root) == 1, purpose
        assert root[0]["Condition"] == {"StringEquals": {"aws:PrincipalTag/tenant": TENANT}}
        assert set(as_list(root[0]["Action"])) >= USAGE_ACTIONS
        assert "kms:*" not in as_list(root[0]["Action"])


def test_only_the_logs_key_names_service_principals_and_each_is_conditioned(keys):
    for purpose in ["data", "secrets", "registry"]:
        assert _principals(_policy(keys, purpose), "Service") == set(), purpose
    logs = _policy(keys, "logs")
    assert _principals(logs, "Service") == {f"logs.{REGION}.amazonaws.com", "cloudtrail.amazonaws.com"}
    by_service = {s["Principal"]["Service"]: s for s in logs if "Service" in s["Principal"]}
    assert by_service[f"logs.{REGION}.amazonaws.com"]["Condition"] == {
        "ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": [
                f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/mlops/acme/*",
                f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws/eks/acme-cluster/*",
            ]
        }
    }
    assert by_service["cloudtrail.amazonaws.com"]["Condition"] == {
        "StringEquals": {
            "aws:SourceArn": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT_ID}:trail/{TENANT}-audit-trail"
        }
    }
    assert set(as_list(by_service["cloudtrail.amazonaws.com"]["Action"])) == {
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
    }


def test_the_autoscaling_role_may_create_grants_only_for_aws_resources(keys):
    grants = [
        s
        for s in _policy(keys, "data")
        if AUTOSCALING_ROLE in _principals([s], "AWS") and "kms:CreateGrant" in as_list(s["Action"])
    ]
    assert len(grants) == 1
    assert grants[0]["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_keys_can_be_limited_to_some_purposes():
    created: dict[KeyPurpose, object] = {}

    def build() -> None:
        created.update(
            TenantKeys("acme-keys", keys_args(purposes=[KeyPurpose.SECRETS, KeyPurpose.LOGS])).keys
        )

    recording = record(build)
    assert sorted(r.name for r in recording.of_type("aws:kms/key:Key")) == [
        "acme-keys-logs",
        "acme-keys-secrets",
    ]
    assert sorted(a.inputs["name"] for a in recording.of_type("aws:kms/alias:Alias")) == [
        "alias/acme-logs",
        "alias/acme-secrets",
    ]
    assert set(created) == {KeyPurpose.SECRETS, KeyPurpose.LOGS}


def test_a_fourteen_day_deletion_window_is_the_shortest_allowed():
    recording = record(lambda: TenantKeys("acme-keys", keys_args(deletion_window_days=14)))
    assert {k.inputs["deletionWindowInDays"] for k in recording.of_type("aws:kms/key:Key")} == {14}


# ---------------------------------------------------------------- args validation (at construction)


def _refused(**overrides) -> list[tuple[str, str]]:
    return property_errors(refused(lambda: TenantKeys("acme-keys", keys_args(**overrides))))


@pytest.mark.parametrize("days", [7, 13, 31])
def test_a_deletion_window_outside_fourteen_to_thirty_days_is_refused_naming_sec_01(days):
    assert _refused(deletion_window_days=days) == [
        ("deletion_window_days", f"{days}: allowed 14-30 (SEC-01)")
    ]


def test_every_keys_args_problem_is_named_at_once_with_its_property_path():
    repeated = [KeyPurpose.DATA, KeyPurpose.LOGS, KeyPurpose.DATA]
    assert _refused(purposes=repeated, deletion_window_days=60) == [
        ("purposes", "['data'] given more than once; each purpose is one key"),
        ("deletion_window_days", "60: allowed 14-30 (SEC-01)"),
    ]
