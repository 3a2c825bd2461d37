"""Places in the project's code: where resources are constructed (SARIF locations) and where a program
or a pack crashed. Fast: synthetic results and tracebacks, no program run, no pack process."""

from __future__ import annotations

from pathlib import Path

from tenantctl.analyzer import crash_from_stderr
from tenantctl.model import VIOLATION, Finding, SourceLine, StackResult
from tenantctl.program import _crash
from tenantctl.reports import sarif
from tenantctl.sources import exception_source, summarize_traceback
from tests.tenantctl.conftest import tenant_stack

KEYS = (SourceLine("components/keys.py", 41), SourceLine("components/landing_zone.py", 44))
MAIN = SourceLine("__main__.py", 19)


def key_finding(tenant: str, source: tuple[SourceLine, ...]) -> Finding:
    name = f"{tenant}-keys-data"
    return Finding(
        kind=VIOLATION, pack="mlops-baseline", policy="sec-01-kms-key-rotation", control="SEC-01",
        area="secrets", enforcement="mandatory", severity="high",
        urn=f"urn:pulumi:{tenant}::mlops-landing-zone::aws:kms/key:Key::{name}",
        resource_type="aws:kms/key:Key", resource_name=name,
        message=f"KMS key {name}: enableKeyRotation is not set; required: true",
        remediation="Set enable_key_rotation=True.", source=source,
    )  # fmt: skip


def fleet(tmp_path: Path, source: tuple[SourceLine, ...], tenants: tuple[str, ...]) -> list[StackResult]:
    for tenant in tenants:
        path = tmp_path / "stacks" / f"Pulumi.{tenant}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tenant_stack(tenant))
    return [StackResult(stack=t, tenant=t, findings=[key_finding(t, source)]) for t in tenants]


def only_result(document: dict) -> dict:
    (result,) = document["runs"][0]["results"]
    return result


def test_a_component_resource_is_located_at_its_constructor_line_with_program_and_config_related(
    tmp_path: Path, sarif_validator
) -> None:
    document = sarif.build(fleet(tmp_path, (*KEYS, MAIN), ("acme", "globex")), tmp_path, False, "1")
    sarif_validator.validate(document)
    result = only_result(document)
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "components/keys.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 41},
    }
    assert result["properties"]["stacks"] == ["acme", "globex"]
    assert result["message"]["text"].startswith(
        "[acme, globex] aws:kms/key:Key 'acme-keys-data' (and the same in 1 more stack): "
        "KMS key acme-keys-data"
    )
    tenant_id_line = tenant_stack("acme").splitlines().index("    id: acme") + 1
    related = [
        (r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"],
         r["message"]["text"])
        for r in result["relatedLocations"]
    ]  # fmt: skip
    assert related == [
        ("__main__.py", 19, "the program creates the component here"),
        ("stacks/Pulumi.acme.yaml", tenant_id_line, "[acme] configured by landingzone:tenant.id"),
        ("stacks/Pulumi.globex.yaml", tenant_id_line, "[globex] configured by landingzone:tenant.id"),
    ]
    assert [r["id"] for r in result["relatedLocations"]] == [1, 2, 3]
    names = [loc["name"] for loc in result["locations"][0]["logicalLocations"]]
    assert names == ["acme-keys-data", "globex-keys-data"]


def test_a_resource_of_the_tenants_own_program_is_located_at_its_main_line_without_config(
    tmp_path: Path,
) -> None:
    result = only_result(sarif.build(fleet(tmp_path, (MAIN,), ("acme", "initech")), tmp_path, False, "1"))
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "__main__.py"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 19
    assert "relatedLocations" not in result
    assert result["properties"]["stacks"] == ["acme", "initech"]


def test_fingerprints_are_stable_across_runs_and_moved_lines_but_not_across_policies(tmp_path: Path) -> None:
    def fingerprint(source: tuple[SourceLine, ...], tenants: tuple[str, ...]) -> dict:
        return only_result(sarif.build(fleet(tmp_path, source, tenants), tmp_path, False, "1"))[
            "partialFingerprints"
        ]

    first = fingerprint((*KEYS, MAIN), ("acme", "globex"))
    assert first == fingerprint((*KEYS, MAIN), ("acme", "globex"))
    moved = (SourceLine("components/keys.py", 57), *KEYS[1:], MAIN)
    assert fingerprint(moved, ("acme", "globex")) == first
    assert fingerprint((*KEYS, MAIN), ("globex",)) == first  # one stack fewer: the same alert
    assert fingerprint((MAIN,), ("acme",)) != first  # another file: another alert
    assert list(first) == ["tenantctlFinding/v2"] and len(first["tenantctlFinding/v2"]) == 32


def test_findings_that_differ_between_stacks_stay_separate_results(tmp_path: Path) -> None:
    results = fleet(tmp_path, (*KEYS, MAIN), ("acme", "globex"))
    other = results[1].findings[0]
    results[1].findings = [Finding(**{**other.__dict__, "message": other.message + " (and more)"})]
    document = sarif.build(results, tmp_path, False, "1")
    assert [r["properties"]["stacks"] for r in document["runs"][0]["results"]] == [["acme"], ["globex"]]


def test_a_finding_without_a_recorded_position_points_at_the_stack_file(tmp_path: Path) -> None:
    result = only_result(sarif.build(fleet(tmp_path, (), ("acme",)), tmp_path, False, "1"))
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "stacks/Pulumi.acme.yaml"


def test_a_crash_notification_carries_its_place_in_the_project(tmp_path: Path, sarif_validator) -> None:
    crashed = StackResult(
        stack="acme",
        status="crash",
        error="the program crashed at components/keys.py:12: ValueError: bad",
        error_source=SourceLine("components/keys.py", 12),
    )
    document = sarif.build([crashed], tmp_path, False, "1")
    sarif_validator.validate(document)
    (notification,) = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "components/keys.py"
    assert StackResult.from_dict(crashed.to_dict()).error_source == SourceLine("components/keys.py", 12)


def test_a_program_crash_names_the_exception_and_the_deepest_project_line(tmp_path: Path) -> None:
    module = tmp_path / "components" / "broken.py"
    module.parent.mkdir()
    module.write_text("def build(cidr):\n    raise ValueError(f'cidr {cidr} overlaps')\n")
    namespace: dict = {}
    exec(compile(module.read_text(), str(module), "exec"), namespace)
    try:
        try:
            namespace["build"]("10.0.0.0/16")
        except ValueError as inner:
            raise RuntimeError("wrapped by the SDK") from inner
    except RuntimeError as outer:
        assert exception_source(outer, tmp_path) == SourceLine("components/broken.py", 2)
        crash = _crash(outer, tmp_path)
    assert (
        str(crash) == "the program crashed at components/broken.py:2: ValueError: cidr 10.0.0.0/16 overlaps"
    )
    assert crash.source == SourceLine("components/broken.py", 2)


PACK_TRACEBACK = """\
Traceback (most recent call last):
  File "/usr/lib/python3.11/runpy.py", line 198, in _run_module_as_main
    return _run_code(code, main_globals, None,
  File "/venv/lib/python3.11/site-packages/pulumi/policy/__main__.py", line 61, in main
    runpy.run_path(program, run_name="__main__")
  File "./__main__.py", line 3, in <module>
    from mlops_policies.nosuch import RULES
ModuleNotFoundError: No module named 'mlops_policies.nosuch'
"""


def test_a_pack_that_cannot_start_reports_the_exception_and_its_line_not_the_traceback(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "policy_packs" / "mlops-baseline"
    pack.mkdir(parents=True)
    (pack / "__main__.py").write_text("# pack\n\nfrom mlops_policies.nosuch import RULES\n")
    assert summarize_traceback(PACK_TRACEBACK, tmp_path, cwd=pack) == (
        "ModuleNotFoundError: No module named 'mlops_policies.nosuch'",
        SourceLine("policy_packs/mlops-baseline/__main__.py", 3),
    )
    crash = crash_from_stderr("policy pack mlops-baseline did not start", PACK_TRACEBACK, pack)
    assert str(crash) == (
        "policy pack mlops-baseline did not start at policy_packs/mlops-baseline/__main__.py:3: "
        "ModuleNotFoundError: No module named 'mlops_policies.nosuch'"
    )
    assert "Traceback" not in str(crash) and "site-packages" not in str(crash)


def test_text_that_is_no_traceback_is_kept_as_it_is(tmp_path: Path) -> None:
    assert summarize_traceback("grpc: address in use\n", tmp_path) == ("grpc: address in use", None)


def test_audit_sarif_locates_the_live_resource_by_arn_and_at_the_program_line_drift_ties_it_to(
    sarif_validator,
) -> None:
    import datetime as dt

    from tenantctl.audit.model import AuditReport, AuditTarget, CheckResult, Drift, Status
    from tenantctl.audit.report import to_sarif

    arn = "arn:aws:s3:::acme-model-registry-111122223333"
    failed = CheckResult(
        "PROV-02", "registry_compliance_mode", Status.FAIL, arn, "object lock mode GOVERNANCE", {}
    )
    unrelated = CheckResult(
        "SEC-01", "kms_rotation_enabled", Status.FAIL, "arn:aws:kms:eu:1:key/k-1", "off", {}
    )
    drift = Drift(
        "changed", "aws:s3/bucket:Bucket", "acme-model-registry-111122223333", "objectLockConfiguration",
        "COMPLIANCE", "GOVERNANCE", "PROV-02", "components/registry.py:88",
    )  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    target = AuditTarget("acme", "regulated", "eu-central-1", "111122223333")
    document = to_sarif(AuditReport(target, [failed, unrelated], "1", now, now, drift=[drift]))
    sarif_validator.validate(document)
    registry, key = document["runs"][0]["results"]
    assert registry["locations"][0]["logicalLocations"] == [
        {"name": "acme-model-registry-111122223333", "fullyQualifiedName": arn, "kind": "resource"}
    ]
    assert registry["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "components/registry.py"
    assert registry["locations"][0]["physicalLocation"]["region"]["startLine"] == 88
    assert "physicalLocation" not in key["locations"][0]
    assert key["locations"][0]["logicalLocations"][0]["name"] == "k-1"
    assert registry["partialFingerprints"] != key["partialFingerprints"]
    # Without a drift tie a result still has a file for code scanning: the audited stack's file.
    located = to_sarif(
        AuditReport(target, [failed, unrelated], "1", now, now, drift=[drift]), ("stacks/Pulumi.acme.yaml", 9)
    )
    registry, key = located["runs"][0]["results"]
    assert registry["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "components/registry.py"
    assert key["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "stacks/Pulumi.acme.yaml"
    assert key["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
