"""An honest audit: the account comes from STS, the tenant's tag finds its resources whatever their names,
declared-but-absent resources fail as missing, and a check without evidence never counts as a pass."""

from __future__ import annotations

import json
from typing import Any

import pytest
from audit_world import ACCOUNT, REGION, STACK, TenantWorld, as_list, audit, project, tags_for

from landingzone.config import parse_settings
from tenantctl.audit import Status, run_audit
from tenantctl.audit.model import Declared
from tenantctl.audit.runner import AccountError

SCRATCH = "ml-scratch-space"  # a bucket outside the landing zone's names, tagged with the tenant


def declared(tier: str = "standard") -> Declared:
    import yaml

    config = yaml.safe_load(STACK.format(tier=tier))["config"]
    return Declared.from_settings(parse_settings("acme", config, "stacks/Pulumi.acme.yaml"))


def tenant_tagged_strays(world: TenantWorld) -> str:
    """A key with no alias and rotation off, and a bucket with no TLS policy: both tagged tenant=acme."""
    key = world.client("kms").create_key(
        Description="made by hand", Tags=as_list(tags_for("acme"), "TagKey", "TagValue")
    )["KeyMetadata"]
    s3 = world.client("s3")
    s3.create_bucket(Bucket=SCRATCH)
    s3.put_bucket_tagging(Bucket=SCRATCH, Tagging={"TagSet": as_list(tags_for("acme"))})
    return str(key["Arn"])


def test_credentials_for_another_account_are_refused(world: TenantWorld) -> None:
    with pytest.raises(AccountError) as refused:
        audit(world, account_id="111122223333")

    assert str(refused.value) == (
        f"the credentials are for account {ACCOUNT} (arn:aws:sts::{ACCOUNT}:user/moto), not 111122223333: "
        "refusing to audit the wrong account"
    )


def test_the_report_names_the_account_and_caller_sts_returned(world: TenantWorld) -> None:
    report = run_audit(world.audit_clients(), "acme", "standard", REGION)

    assert (report.target.account_id, report.target.caller_arn) == (
        ACCOUNT,
        f"arn:aws:sts::{ACCOUNT}:user/moto",
    )


def _stack_for_account(tmp_path: Any, account: str) -> Any:
    directory = project(tmp_path)
    path = directory / "stacks" / "Pulumi.acme.yaml"
    path.write_text(path.read_text().replace('account_id: "123456789012"', f'account_id: "{account}"'))
    return directory


def test_cli_exits_2_when_the_credentials_are_not_for_the_stacks_account(
    world: TenantWorld, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from tenantctl.audit.cli import main

    directory = _stack_for_account(tmp_path, "111122223333")
    code = main(
        ["audit", "--stack", "acme", "--project-dir", str(directory), "--endpoint-url", world.endpoint]
    )

    assert code == 2
    out = " ".join(capsys.readouterr().out.split())
    assert (
        f"error: the credentials are for account {ACCOUNT} (arn:aws:sts::{ACCOUNT}:user/moto), not "
        "111122223333: refusing to audit the wrong account; the stack's account_id is 111122223333 "
        "(pass --account ID if auditing another account is intended)"
    ) in out


def test_cli_audits_another_account_when_account_says_it_is_intended(
    world: TenantWorld, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from tenantctl.audit.cli import main

    directory = _stack_for_account(tmp_path, "111122223333")
    report_path = tmp_path / "audit.json"
    code = main(
        [
            "audit",
            "--stack",
            "acme",
            "--project-dir",
            str(directory),
            "--endpoint-url",
            world.endpoint,
            "--account",
            ACCOUNT,
            "--json",
            str(report_path),
        ]
    )

    assert code in (0, 1)
    assert f"note: auditing account {ACCOUNT}, not the stack's 111122223333 (--account)" in " ".join(
        capsys.readouterr().out.split()
    )
    assert json.loads(report_path.read_text())["account_id"] == ACCOUNT


def test_a_tenant_tagged_key_and_bucket_outside_the_landing_zones_names_are_found_and_judged(
    world: TenantWorld,
) -> None:
    key_arn = tenant_tagged_strays(world)

    report = audit(world)

    rotation = report.result("kms_rotation_enabled", key_arn)
    assert (rotation.status, rotation.detail) == (Status.FAIL, "rotation disabled")
    tls = report.result("bucket_tls_only_policy", f"arn:aws:s3:::{SCRATCH}")
    assert tls.status is Status.FAIL


def test_a_declared_secret_that_is_missing_fails_sec_03(world: TenantWorld) -> None:
    world.client("secretsmanager").delete_secret(SecretId="acme/hf-token", ForceDeleteWithoutRecovery=True)

    report = audit(world, declared=declared())

    result = report.result("secret_rotation_schedule", "acme/hf-token")
    assert (result.control, result.status, result.detail) == (
        "SEC-03",
        Status.FAIL,
        "missing: the stack declares it, the account does not hold it",
    )
    assert result.evidence == {"found": False, "missing": True}


def test_an_account_holding_one_bucket_and_one_key_passes_only_what_it_has_evidence_for(
    session: Any, endpoint: str
) -> None:
    from audit_world import _audit_clients, _client

    key = _client(session, endpoint, "kms").create_key(
        Tags=as_list(tags_for("acme", purpose="data"), "TagKey", "TagValue")
    )["KeyMetadata"]
    _client(session, endpoint, "kms").create_alias(AliasName="alias/acme-data", TargetKeyId=key["KeyId"])
    _client(session, endpoint, "s3").create_bucket(Bucket=f"acme-dataset-{ACCOUNT}")
    _client(session, endpoint, "s3").put_bucket_tagging(
        Bucket=f"acme-dataset-{ACCOUNT}", Tagging={"TagSet": as_list(tags_for("acme", purpose="dataset"))}
    )

    report = run_audit(
        _audit_clients(session, endpoint), "acme", "standard", REGION, account_id=ACCOUNT, declared=declared()
    )

    passed = {r.resource for r in report.with_status(Status.PASS)}
    assert passed <= {"alias/acme-data", f"arn:aws:s3:::acme-dataset-{ACCOUNT}", "tenant/acme"}
    missing = {r.resource for r in report.results if r.evidence.get("missing")}
    assert missing >= {
        "acme/hf-token",
        "acme/models",
        "acme/serving",
        "acme-dev-workload",
        "acme-prod-workload",
        "acme-audit-trail",
        "acme-cluster",
        f"arn:aws:s3:::acme-checkpoint-{ACCOUNT}",
        f"arn:aws:s3:::acme-audit-log-{ACCOUNT}",
        "alias/acme-logs",
    }
    assert report.counts()["fail"] > report.counts()["pass"]
    assert report.exit_code() == 1


def test_unmanaged_tenant_tagged_resources_appear_in_drift(world: TenantWorld) -> None:
    key_arn = tenant_tagged_strays(world)
    intended = [
        {"type": "aws:s3/bucketV2:BucketV2", "name": p, "urn": p, "inputs": {"bucket": name}}
        for p, name in world.buckets.items()
    ]

    report = audit(world, intended=intended)

    unexpected = {(d.type, d.name) for d in report.drift if d.kind == "unexpected"}
    assert ("aws:s3/bucket:Bucket", SCRATCH) in unexpected
    assert ("aws:kms/key:Key", key_arn) in unexpected
    # The world's tenant-tagged EBS volume: no launch template is intended, so nothing accounts for it.
    assert any(kind == "ec2:volume" for kind, _ in unexpected)


def test_the_evidence_manifest_records_account_caller_versions_and_hashes(
    compliant_world: TenantWorld, tmp_path: Any
) -> None:
    import hashlib

    from tenantctl.audit.cli import main

    directory = project(tmp_path)
    bundle = tmp_path / "evidence"
    main(
        [
            "audit",
            "--stack",
            "acme",
            "--project-dir",
            str(directory),
            "--endpoint-url",
            compliant_world.endpoint,
            "--evidence",
            str(bundle),
        ]
    )

    manifest = json.loads((bundle / "manifest.json").read_text())
    assert (manifest["account_id"], manifest["region"], manifest["caller_arn"]) == (
        ACCOUNT,
        REGION,
        f"arn:aws:sts::{ACCOUNT}:user/moto",
    )
    provenance = manifest["provenance"]
    assert provenance["catalog_version"] == "1"
    assert (
        provenance["stack_file_sha256"]
        == hashlib.sha256((directory / "stacks" / "Pulumi.acme.yaml").read_bytes()).hexdigest()
    )
    assert set(provenance["pack_versions"]) == {"mlops-baseline", "mlops-regulated"}
    assert len(provenance["program_sha256"]) == 64
    assert provenance["tool"]["name"] == "tenantctl"


def test_the_audit_reports_the_versions_stamped_on_the_live_resources(world: TenantWorld) -> None:
    stamp = {"landingzone/version": "0.1.0", "landingzone/catalog-version": "1"}
    registry = world.buckets["model-registry"]
    world.client("s3").put_bucket_tagging(
        Bucket=registry, Tagging={"TagSet": as_list({**tags_for("acme", purpose="model-registry"), **stamp})}
    )
    world.client("kms").tag_resource(KeyId=world.keys["data"], Tags=as_list(stamp, "TagKey", "TagValue"))

    report = audit(world)

    assert report.stamped_versions == {
        "landingzone/catalog-version": {"1": 2},
        "landingzone/version": {"0.1.0": 2},
    }
    assert report.as_dict()["stamped_versions"] == report.stamped_versions
