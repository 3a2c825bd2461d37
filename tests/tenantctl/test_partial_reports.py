"""One bad stack keeps the others' reports; exemptions and fleet invariants are in every report."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from rich.console import Console

from tenantctl.gate_inputs import (
    FLEET_CIDR_POLICY,
    FLEET_ID_POLICY,
    PolicyConfig,
    add_findings,
    fleet_findings,
)
from tenantctl.model import CONFIG_ERROR, OK, ExemptionUse, StackResult, exit_code
from tenantctl.reports import json_report, junit, markdown, sarif, terminal
from tests.tenantctl.conftest import REPO, run_cli
from tests.tenantctl.test_model_and_reports import VIOLATION, demo_result, finding, repo

EXEMPTION = ExemptionUse(
    "mlops-baseline",
    "prov-03-ecr-scan-on-push",
    "urn:pulumi:demo::mlops-landing-zone::aws:ecr/repository:Repository::demo-registry-models",
    "exempted by ciso@example.com until 2027-02-01: vendor images",
    approver="ciso@example.com",
    expires="2027-02-01",
    justification="vendor images",
)


def project(tmp_path: Path) -> Path:
    (tmp_path / "stacks").mkdir()
    shutil.copy(REPO / "stacks" / "Pulumi.acme.yaml", tmp_path / "stacks" / "Pulumi.demo.yaml")
    (tmp_path / "stacks" / "Pulumi.typo.yaml").write_text("config:\n  aws:region: [\n")
    return tmp_path


def results() -> list[StackResult]:
    good = demo_result(finding(VIOLATION, "prov-03-ecr-immutable-tags", repo()))
    good.exemptions.append(EXEMPTION)
    broken = StackResult(
        stack="typo",
        status=CONFIG_ERROR,
        error="stacks/Pulumi.typo.yaml: invalid stack config (1 problem(s))",
    )
    return [good, broken]


def test_a_stack_with_a_config_error_is_its_own_row_in_every_report_beside_the_checked_ones(
    tmp_path: Path, sarif_validator
) -> None:
    root, checked = project(tmp_path), results()
    code = exit_code(checked, strict=False)
    assert code == 2  # the worst outcome: unusable input outranks the violation

    report = json_report.build(checked, False, code, "test")
    assert {s["stack"]: s["verdict"] for s in report["stacks"]} == {"demo": "blocked", "typo": CONFIG_ERROR}

    suites = {s.get("name"): s for s in junit.build(checked, False).iter("testsuite")}
    error = suites["typo"].find("testcase/error")
    assert (
        error is not None
        and error.get("type") == CONFIG_ERROR
        and "invalid stack config" in (error.text or "")
    )
    assert suites["demo"].find("testcase[@name='prov-03-ecr-immutable-tags']/failure") is not None

    document = sarif.build(checked, root, False, "test")
    sarif_validator.validate(document)
    run = document["runs"][0]
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "error" and notification["properties"] == {
        "stack": "typo",
        "status": CONFIG_ERROR,
    }
    assert run["invocations"][0]["executionSuccessful"] is False
    assert [r["ruleId"] for r in run["results"] if "suppressions" not in r] == ["prov-03-ecr-immutable-tags"]

    comment = markdown.build(checked, False, code)
    assert "### Stacks that could not be checked" in comment and "`typo`" in comment
    assert "| `demo` |" in comment

    out = io.StringIO()
    terminal.render(Console(file=out, width=200), checked, False, code)
    assert "typo" in out.getvalue() and "CONFIG ERROR" in out.getvalue() and "demo" in out.getvalue()


def test_an_exemption_used_is_in_every_report_and_a_sarif_suppression(
    tmp_path: Path, sarif_validator
) -> None:
    root, checked = project(tmp_path), results()[:1]
    document = sarif.build(checked, root, False, "test")
    sarif_validator.validate(document)
    (suppressed,) = [r for r in document["runs"][0]["results"] if "suppressions" in r]
    assert suppressed["ruleId"] == "prov-03-ecr-scan-on-push"
    assert suppressed["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "vendor images (approved by ciso@example.com until 2027-02-01)",
        }
    ]
    assert suppressed["locations"][0]["logicalLocations"][0]["name"] == "demo-registry-models"

    assert (
        json_report.build(checked, False, 1, "test")["stacks"][0]["exemptions"][0]["approver"]
        == "ciso@example.com"
    )
    case = next(
        c for c in junit.build(checked, False).iter("testcase") if c.get("name") == "prov-03-ecr-scan-on-push"
    )
    assert "exempted: demo-registry-models: exempted by ciso@example.com" in (
        case.findtext("system-out") or ""
    )
    assert "| `demo` | `prov-03-ecr-scan-on-push` | `demo-registry-models` |" in markdown.build(
        checked, False, 1
    )
    out = io.StringIO()
    terminal.render(Console(file=out, width=200), checked, False, 1)
    assert "exemptions used" in out.getvalue() and "vendor images" in out.getvalue()


def test_fleet_invariants_are_findings_on_the_offending_stacks(tmp_path: Path) -> None:
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    acme = (REPO / "stacks" / "Pulumi.acme.yaml").read_text()
    (stacks / "Pulumi.acme.yaml").write_text(acme)
    (stacks / "Pulumi.copy.yaml").write_text(acme)  # same id, same CIDR, wrong file name
    found = fleet_findings(tmp_path)
    assert sorted(found) == ["acme", "copy"]
    assert sorted(policy for policy, _ in found["copy"]) == [
        FLEET_CIDR_POLICY,
        FLEET_ID_POLICY,
        FLEET_ID_POLICY,
    ]
    assert (
        FLEET_ID_POLICY,
        "landingzone:tenant.id: tenant id 'acme' is also used by stacks/Pulumi.acme.yaml",
    ) in found["copy"]
    checked = [StackResult(stack="acme", tier="standard"), StackResult(stack="copy", tier="standard")]
    add_findings(checked, PolicyConfig(), found)
    assert all(r.verdict(strict=False) == "blocked" for r in checked)
    assert {f.control for f in checked[1].findings} == {"TEN-02", "DATA-10"}
    assert all(f.kind == VIOLATION and f.enforcement == "mandatory" for f in checked[1].findings)


def test_unwritable_report_path_is_refused_before_any_stack_is_checked(tmp_path: Path) -> None:
    run = run_cli("check", "--all", "--project-dir", REPO, "--json", tmp_path / "missing" / "r.json")
    assert run.code == 2, run.output
    assert f"cannot write a report to {tmp_path / 'missing' / 'r.json'}: the folder" in run.stderr
    assert "checking" not in run.stdout and "stack" not in run.stdout


def test_the_json_report_round_trips_exemption_details() -> None:
    result = results()[0]
    again = StackResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again.exemptions == [EXEMPTION] and again.status == OK
