"""A compliant landing zone, audited several ways. Every test here only reads, so one world serves all."""

from __future__ import annotations

import json
from typing import Any

import pytest
from audit_world import ACCOUNT, REGION, TenantWorld, audit, project

from tenantctl.audit import AuditReport, ClientFactory, Status, run_audit


@pytest.fixture(scope="module")
def report(compliant_world: TenantWorld) -> AuditReport:
    return audit(compliant_world)


def not_passing(report: AuditReport) -> list[tuple[str, str, str, str]]:
    return [
        (r.control, r.check, r.status.value, r.resource)
        for r in report.results
        if r.status is not Status.PASS
    ]


def test_compliant_standard_tenant_passes_every_check_it_has_evidence_for(report: AuditReport) -> None:
    # The tenant has no IAM users: no evidence for SEC-05's user checks, so not applicable, not passed.
    assert not_passing(report) == [
        ("SEC-05", "iam_user_no_access_keys", "not_applicable", "(IAM users)"),
        ("SEC-05", "iam_user_no_login_profile", "not_applicable", "(IAM users)"),
    ]
    assert report.exit_code() == 0


def test_pass_results_carry_the_api_fields_that_show_it(report: AuditReport) -> None:
    assert report.result("registry_object_lock_retention").evidence == {
        "ObjectLockEnabled": "Enabled",
        "DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30, "Years": 0},
    }
    assert report.result("kms_rotation_enabled", "alias/acme-data").evidence["KeyRotationEnabled"] is True
    assert report.result("trail_logging").evidence["IsLogging"] is True
    sources = report.result("audit_versioning_enabled").sources
    assert len(sources) == 1 and sources[0].endswith("-s3-GetBucketVersioning")


def test_standard_tenants_are_not_held_to_regulated_checks(report: AuditReport) -> None:
    checks = {r.check for r in report.results}

    assert "registry_compliance_mode" not in checks
    assert "trail_s3_data_events" not in checks
    assert {"kms_rotation_enabled", "trail_logging", "gpu_nodegroup_tenant_taint"} <= checks


def test_each_landing_zone_resource_is_judged_by_its_name(report: AuditReport) -> None:
    assert (
        report.result("audit_object_lock_compliance", f"arn:aws:s3:::acme-audit-log-{ACCOUNT}").status
        is Status.PASS
    )
    assert (
        report.result("artifact_bucket_expiry", f"arn:aws:s3:::acme-dataset-{ACCOUNT}").status is Status.PASS
    )
    assert (
        report.result("trail_logging").resource
        == f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/acme-audit-trail"
    )
    assert report.inventory_summary == {
        "keys": 4,
        "buckets": 4,
        "repositories": 2,
        "trails": 1,
        "log_groups": 2,
        "vpcs": 1,
        "clusters": 1,
        "secrets": 1,
        "node_groups": 1,
        "roles": 3,
        "users": 0,
        "other_tagged": 1,  # the tenant-tagged EBS volume, found by the tagging API
    }


def test_a_tenant_without_users_is_not_applicable_to_sec_05_never_a_vacuous_pass(report: AuditReport) -> None:
    result = report.result("iam_user_no_access_keys")

    assert (result.status, result.resource, result.detail) == (
        Status.NOT_APPLICABLE,
        "(IAM users)",
        "no IAM users declared by the stack or found live: nothing to judge",
    )


def test_other_tenants_resources_are_not_audited(compliant_world: TenantWorld) -> None:
    # acme-labs shares acme's name prefix; its tag says it belongs to someone else.
    s3 = compliant_world.client("s3")
    s3.create_bucket(Bucket=f"acme-labs-dataset-{ACCOUNT}")
    s3.put_bucket_tagging(
        Bucket=f"acme-labs-dataset-{ACCOUNT}", Tagging={"TagSet": [{"Key": "tenant", "Value": "acme-labs"}]}
    )
    try:
        buckets = {r.resource for r in audit(compliant_world).results if r.check == "bucket_tls_only_policy"}
    finally:
        s3.delete_bucket(Bucket=f"acme-labs-dataset-{ACCOUNT}")

    assert f"arn:aws:s3:::acme-labs-dataset-{ACCOUNT}" not in buckets
    assert len(buckets) == 4


def test_a_region_without_the_tenant_reports_nothing_found(compliant_world: TenantWorld) -> None:
    clients = ClientFactory(compliant_world.session, "eu-west-1", compliant_world.endpoint, max_attempts=2)

    report = run_audit(clients, "acme", "standard", "eu-west-1", account_id=ACCOUNT)

    assert report.nothing_found
    assert {r.status for r in report.results} == {Status.NOT_OBSERVABLE}
    assert (
        report.result("kms_rotation_enabled").detail == f"nothing of tenant acme found in {ACCOUNT}/eu-west-1"
    )
    assert report.exit_code() == 2


def _inject(world: TenantWorld, operation: str, body: dict[str, Any], status: int, times: int) -> list[int]:
    """A session whose clients get `body` back for `operation` the first `times` sends (before-send runs
    inside botocore's retry loop, so this is what a real throttled or denied call looks like)."""
    from botocore.awsrequest import AWSResponse

    seen: list[int] = []

    class Raw:
        def stream(self, **_: Any) -> Any:
            yield json.dumps(body).encode()

    def respond(request: Any, **_: Any) -> Any:
        seen.append(1)
        if len(seen) > times:
            return None
        headers = {"x-amzn-requestid": "injected", "Content-Type": "application/x-amz-json-1.1"}
        return AWSResponse(request.url, status, headers, Raw())

    world.session.events.register(f"before-send.*.{operation}", respond, unique_id=f"inject-{operation}")
    return seen


@pytest.fixture
def fresh_session(compliant_world: TenantWorld) -> Any:
    import boto3

    return TenantWorld(boto3.Session(region_name=REGION), compliant_world.endpoint, "acme", "standard")


def test_access_denied_makes_the_check_not_observable_and_the_audit_carries_on(
    fresh_session: TenantWorld,
) -> None:
    body = {
        "__type": "AccessDeniedException",
        "message": "not authorized to perform kms:GetKeyRotationStatus",
    }
    _inject(fresh_session, "GetKeyRotationStatus", body, 400, times=1000)
    clients = ClientFactory(fresh_session.session, REGION, fresh_session.endpoint, max_attempts=2)

    report = run_audit(clients, "acme", "standard", REGION, account_id=ACCOUNT)

    rotation = report.result("kms_rotation_enabled", "alias/acme-data")
    assert rotation.status is Status.NOT_OBSERVABLE
    assert rotation.evidence == {
        "error_code": "AccessDeniedException",
        "operation": "kms:GetKeyRotationStatus",
    }
    assert report.result("trail_logging").status is Status.PASS
    assert report.exit_code() == 0


def test_a_throttled_call_is_retried_and_the_check_still_decides(fresh_session: TenantWorld) -> None:
    body = {"__type": "ThrottlingException", "message": "Rate exceeded"}
    seen = _inject(fresh_session, "GetTrailStatus", body, 400, times=1)
    clients = ClientFactory(fresh_session.session, REGION, fresh_session.endpoint, max_attempts=3)

    report = run_audit(clients, "acme", "standard", REGION, account_id=ACCOUNT)

    assert report.result("trail_logging").status is Status.PASS
    assert len(seen) >= 2  # throttled once, then answered by moto


# ------------------------------------------------------------------ the CLI and its outputs


def test_cli_writes_every_output_and_exits_0_for_a_compliant_tenant(
    compliant_world: TenantWorld, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from tenantctl.audit.cli import main

    out = tmp_path / "out"
    code = main(
        [
            "audit",
            "--stack",
            "acme",
            "--project-dir",
            str(project(tmp_path)),
            "--endpoint-url",
            compliant_world.endpoint,
            "--json",
            str(out / "audit.json"),
            "--markdown",
            str(out / "audit.md"),
            "--sarif",
            str(out / "audit.sarif"),
            "--evidence",
            str(out / "evidence"),
        ]
    )

    assert code == 0
    terminal = capsys.readouterr().out
    assert "provenance" in terminal and "PROV-01" in terminal and "0 fail" in terminal
    document = json.loads((out / "audit.json").read_text())
    assert (document["tenant"], document["summary"]["fail"], document["catalog_version"]) == ("acme", 0, "1")
    assert "| PROV-01 | `registry_object_lock_retention` | pass |" in (out / "audit.md").read_text()
    sarif = json.loads((out / "audit.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []


def test_evidence_bundle_hashes_every_response_and_never_holds_a_secret(
    compliant_world: TenantWorld, tmp_path: Any
) -> None:
    import hashlib

    from audit_world import SECRET_VALUE

    from tenantctl.audit.cli import main

    bundle = tmp_path / "evidence"
    assert (
        main(
            [
                "audit",
                "--stack",
                "acme",
                "--project-dir",
                str(project(tmp_path)),
                "--endpoint-url",
                compliant_world.endpoint,
                "--evidence",
                str(bundle),
            ]
        )
        == 0
    )

    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["tool"] == {"name": "tenantctl", "version": "0.1.0"}
    assert (manifest["catalog_version"], manifest["tenant"], manifest["region"]) == ("1", "acme", REGION)
    files = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    on_disk = {str(p.relative_to(bundle)) for p in bundle.rglob("*.json")} - {"manifest.json"}
    assert set(files) == on_disk
    for path, digest in files.items():
        assert hashlib.sha256((bundle / path).read_bytes()).hexdigest() == digest
    assert any(path.endswith("-secretsmanager-ListSecrets.json") for path in files)
    assert not any("GetSecretValue" in path for path in files)
    assert all(SECRET_VALUE not in (bundle / path).read_text() for path in files)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".evidence")] == []  # no staging left


def test_cli_exits_1_and_writes_sarif_results_when_a_check_fails(
    compliant_world: TenantWorld, tmp_path: Any
) -> None:
    from tenantctl.audit.cli import main

    # The same live tenant, declared regulated: its GOVERNANCE-mode registry now fails PROV-02.
    sarif_path = tmp_path / "audit.sarif"
    code = main(
        [
            "audit",
            "--stack",
            "acme",
            "--project-dir",
            str(project(tmp_path, "regulated")),
            "--endpoint-url",
            compliant_world.endpoint,
            "--sarif",
            str(sarif_path),
        ]
    )

    assert code == 1
    run = json.loads(sarif_path.read_text())["runs"][0]
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert "PROV-02/registry_compliance_mode" in rule_ids
    assert {r["ruleId"] for r in run["results"]} >= {"PROV-02/registry_compliance_mode"}
    registry = next(r for r in run["results"] if r["ruleId"] == "PROV-02/registry_compliance_mode")
    assert registry["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        f"arn:aws:s3:::acme-model-registry-{ACCOUNT}"
    )


def test_cli_in_a_region_without_the_tenant_exits_2_with_a_clear_message(
    compliant_world: TenantWorld, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from tenantctl.audit.cli import main

    code = main(
        [
            "audit",
            "--stack",
            "acme",
            "--project-dir",
            str(project(tmp_path)),
            "--region",
            "eu-west-1",
            "--endpoint-url",
            compliant_world.endpoint,
        ]
    )

    assert code == 2
    assert "Nothing of tenant acme was found in region eu-west-1" in " ".join(capsys.readouterr().out.split())


def test_drift_against_the_stack_reports_missing_unexpected_and_changed(compliant_world: TenantWorld) -> None:
    intended = [
        {
            "type": "aws:s3/bucketV2:BucketV2",
            "name": "registry",
            "urn": "u1",
            "inputs": {"bucket": f"acme-model-registry-{ACCOUNT}", "objectLockEnabled": True},
        },
        {
            "type": "aws:s3/bucketVersioningV2:BucketVersioningV2",
            "name": "registry-versioning",
            "urn": "u2",
            "inputs": {
                "bucket": f"acme-model-registry-{ACCOUNT}",
                "versioningConfiguration": {"status": "Enabled"},
            },
        },
        {
            "type": "aws:ecr/repository:Repository",
            "name": "models",
            "urn": "u3",
            "inputs": {
                "name": "acme/models",
                "imageTagMutability": "IMMUTABLE",
                "imageScanningConfiguration": {"scanOnPush": True},
                "encryptionConfigurations": [
                    {"encryptionType": "KMS", "kmsKey": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}
                ],
            },
        },
        {
            "type": "aws:eks/cluster:Cluster",
            "name": "cluster",
            "urn": "u4",
            "inputs": {"name": "acme-cluster", "vpcConfig": {"endpointPublicAccess": True}},
        },
        {"type": "aws:kms/key:Key", "name": "acme-data", "urn": "u5", "inputs": {"enableKeyRotation": True}},
        {
            "type": "aws:kms/alias:Alias",
            "name": "acme-data-alias",
            "urn": "u8",
            "inputs": {"name": "alias/acme-data"},
        },
        {
            "type": "aws:cloudtrail/trail:Trail",
            "name": "trail",
            "urn": "u6",
            "inputs": {
                "name": "acme-audit-trail",
                "isMultiRegionTrail": True,
                "enableLogFileValidation": True,
            },
        },
        {
            "type": "aws:secretsmanager/secret:Secret",
            "name": "wandb",
            "urn": "u7",
            "inputs": {"name": "acme/wandb"},
        },
    ]

    report = audit(compliant_world, intended=intended)

    drift = {(d.kind, d.name, d.property) for d in report.drift}
    assert ("changed", "acme-cluster", "vpcConfig.endpointPublicAccess") in drift
    assert ("missing", "acme/wandb", None) in drift
    assert ("unexpected", "acme/serving", None) in drift
    assert ("unexpected", "acme/hf-token", None) in drift
    assert not {
        d for d in drift if d[1] in {f"acme-model-registry-{ACCOUNT}", "acme/models", "alias/acme-data"}
    }
    changed = next(d for d in report.drift if d.kind == "changed")
    assert (changed.control, changed.intended, changed.live) == ("DATA-08", True, False)
    assert report.exit_code() == 1
