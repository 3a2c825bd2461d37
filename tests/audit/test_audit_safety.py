"""What the audit must never do (write, read secrets) and what AWS itself must enforce (object lock)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from audit_world import ACCOUNT, REGION, project
from botocore.exceptions import ClientError

from tenantctl.audit import ClientFactory, ReadOnlyViolation
from tenantctl.audit.clients import is_allowed


def counting_session() -> tuple[boto3.Session, list[str]]:
    session = boto3.Session(region_name=REGION)
    sent: list[str] = []

    def record(request: Any, **_: Any) -> None:
        sent.append(request.url)

    session.events.register("before-send", record)
    return session, sent


def test_the_read_only_guard_blocks_mutating_calls_before_anything_is_sent(endpoint: str) -> None:
    session, sent = counting_session()
    clients = ClientFactory(session, REGION, endpoint, max_attempts=1)

    with pytest.raises(ReadOnlyViolation, match="refused s3:PutObject before sending"):
        clients.client("s3").put_object(Bucket="acme-audit-log", Key="k", Body=b"x")
    with pytest.raises(ReadOnlyViolation, match="refused kms:DisableKeyRotation"):
        clients.client("kms").disable_key_rotation(KeyId="1234abcd-12ab-34cd-56ef-1234567890ab")
    with pytest.raises(ReadOnlyViolation, match="refused secretsmanager:GetSecretValue"):
        clients.client("secretsmanager").get_secret_value(SecretId="acme/hf-token")

    assert sent == []
    clients.client("s3").list_buckets()
    assert len(sent) == 1  # reads still go through


@pytest.mark.parametrize(
    ("operation", "allowed"),
    [
        ("DescribeTrails", True),
        ("GetBucketPolicy", True),
        ("ListRoles", True),
        ("HeadBucket", True),
        ("LookupEvents", True),
        ("PutObject", False),
        ("DeleteBucket", False),
        ("CreateAccessKey", False),
        ("GetSecretValue", False),
        ("GetObject", False),
        ("GetAuthorizationToken", False),
    ],
)
def test_only_configuration_reads_are_allowed(operation: str, allowed: bool) -> None:
    assert is_allowed(operation) is allowed


def test_object_lock_refuses_deleting_a_locked_audit_object_version(endpoint: str) -> None:
    s3 = boto3.Session(region_name=REGION).client(
        "s3", endpoint_url=endpoint, config=boto3.session.Config(s3={"addressing_style": "path"})
    )
    bucket = f"acme-audit-log-{ACCOUNT}"
    s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket=bucket,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 365}},
        },
    )
    version = s3.put_object(Bucket=bucket, Key="AWSLogs/trail.json.gz", Body=b"{}")["VersionId"]

    with pytest.raises(ClientError) as refused:
        s3.delete_object(Bucket=bucket, Key="AWSLogs/trail.json.gz", VersionId=version)
    with pytest.raises(ClientError):
        s3.delete_object(
            Bucket=bucket, Key="AWSLogs/trail.json.gz", VersionId=version, BypassGovernanceRetention=True
        )

    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    versions = s3.list_object_versions(Bucket=bucket)["Versions"]
    assert [v["VersionId"] for v in versions] == [version]


def test_no_credentials_exits_2_with_a_clear_message(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], endpoint: str
) -> None:
    from tenantctl.audit.cli import main

    unset = (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    )
    for name in unset:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-role lookup (and its timeouts)

    code = main(
        ["audit", "--stack", "acme", "--project-dir", str(project(tmp_path)), "--endpoint-url", endpoint]
    )

    assert code == 2
    assert "no AWS credentials found" in capsys.readouterr().out


def test_a_bad_stack_exits_2(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from tenantctl.audit.cli import main

    assert main(["audit", "--stack", "nope", "--project-dir", str(tmp_path)]) == 2
    assert "stack file not found" in capsys.readouterr().out


def test_an_existing_evidence_directory_is_never_overwritten(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from tenantctl.audit.cli import main

    evidence = tmp_path / "evidence"
    evidence.mkdir()
    (evidence / "old.json").write_text("{}")

    assert (
        main(
            ["audit", "--stack", "acme", "--project-dir", str(project(tmp_path)), "--evidence", str(evidence)]
        )
        == 2
    )
    assert "is not an empty directory" in " ".join(capsys.readouterr().out.split())
    assert [p.name for p in evidence.iterdir()] == ["old.json"]
