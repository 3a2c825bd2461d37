"""`tenantctl check` and `plan` end to end, as separate processes, on projects whose verdict we control.

Each test is one scenario (one or two CLI runs): with pytest-xdist, a module fixture would run once
per worker, and a run costs seconds (program recording, pack processes), so scenarios are not split.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.tenantctl.conftest import (
    CIPHERTEXT,
    CRASHING_PACK,
    LANDING_ZONE_PROGRAM,
    PLAINTEXT,
    PROV03_PACK,
    REGULATED_PACK,
    REPO,
    SMALL_PROGRAM,
    UNKNOWN_PACK,
    make_project,
    run_cli,
    tenant_stack,
)

pytestmark = pytest.mark.slow

SECURE_TOKEN = f"  tenantctl-test:api-token:\n    secure: {CIPHERTEXT}\n"


def load_json(path: Path) -> dict:
    return json.loads(path.read_text())


def stack_of(report: dict, name: str) -> dict:
    return next(s for s in report["stacks"] if s["stack"] == name)


def test_example_stack_acme_end_to_end(tmp_path: Path, sarif_validator) -> None:
    """The real program, stack file and packs: a verdict (whichever) with every report usable."""
    out = {kind: tmp_path / f"acme.{kind}" for kind in ("json", "sarif", "xml", "md")}
    run = run_cli(
        "check", "--stack", "acme", "--no-cache", "--project-dir", REPO,
        "--json", out["json"], "--sarif", out["sarif"], "--junit", out["xml"], "--markdown", out["md"],
    )  # fmt: skip
    assert run.code in (0, 1), run.output
    assert "acme" in run.stdout and ("PASSED" in run.stdout or "BLOCKED" in run.stdout)
    report = load_json(out["json"])
    acme = stack_of(report, "acme")
    assert acme["status"] == "ok" and acme["tier"] == "standard"
    assert set(acme["packs"]) == {"mlops-baseline"}
    assert acme["counts"]["resources"] > 50 and acme["counts"]["policies"] > 0
    sarif_validator.validate(load_json(out["sarif"]))
    suite = ET.parse(out["xml"]).getroot().find("testsuite")
    assert suite is not None and len(suite.findall("testcase")) == acme["counts"]["policies"]
    markdown = out["md"].read_text()
    assert "```mermaid" in markdown and "EKS cluster" in markdown and "VPC" in markdown


def test_fleet_blocks_the_violation_reports_it_and_caches_clean_stacks(
    tmp_path: Path, sarif_validator
) -> None:
    project = make_project(tmp_path / "project", LANDING_ZONE_PROGRAM)
    project.pack("mlops-baseline", PROV03_PACK)
    project.pack("mlops-regulated", REGULATED_PACK)
    project.stack("good", tenant_stack("good"))
    bad_extra = "  tenantctl-test:mutable-repo: true\n  tenantctl-test:secret-input: true\n" + SECURE_TOKEN
    project.stack("bad", tenant_stack("bad", repositories="[models, legacy]", extra=bad_extra))
    project.stack("reg", tenant_stack("reg", tier="regulated"))

    # A clean stack passes, and its clean result is cached.
    first = run_cli("check", "--stack", "good", "--project-dir", project.root)
    assert first.code == 0, first.output
    assert "good  PASSED" in first.stdout

    # The fleet: the violating stack blocks it; the unchanged clean stack is not checked again.
    out = {kind: tmp_path / f"fleet.{kind}" for kind in ("json", "sarif", "xml", "md")}
    fleet = run_cli(
        "check", "--all", "--jobs", "2", "--project-dir", project.root,
        "--json", out["json"], "--sarif", out["sarif"], "--junit", out["xml"], "--markdown", out["md"],
    )  # fmt: skip
    assert fleet.code == 1, fleet.output
    report = load_json(out["json"])
    assert {s["stack"]: s["verdict"] for s in report["stacks"]} == {
        "bad": "blocked",
        "good": "passed",
        "reg": "passed",
    }
    assert stack_of(report, "good")["cached"] is True
    assert stack_of(report, "bad")["cached"] is False
    assert set(stack_of(report, "reg")["packs"]) == {"mlops-baseline", "mlops-regulated"}
    assert stack_of(report, "reg")["packs"]["mlops-regulated"] == "9.9.9-test"  # from PulumiPolicy.yaml

    violations = [f for f in stack_of(report, "bad")["findings"] if f["kind"] == "violation"]
    assert [(f["control"], f["policy"], f["resource_name"]) for f in violations] == [
        ("PROV-03", "prov-03-ecr-immutable-tags", "bad-registry-legacy")
    ]
    assert "BLOCKED" in fleet.stdout and "prov-03-ecr-immutable-tags" in fleet.stdout
    assert "provenance" in fleet.stdout and "bad-registry-legacy" in fleet.stdout

    # SARIF: valid, the rule carries the control, the result points at the line of the project's
    # __main__.py that constructs the violating repository (a resource the program itself adds: no
    # config field is related to it), with the repository's URN as its logical location.
    sarif = load_json(out["sarif"])
    sarif_validator.validate(sarif)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "prov-03-ecr-immutable-tags"]
    assert len(results) == 1 and results[0]["level"] == "error"
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "__main__.py", "uriBaseId": "%SRCROOT%"}
    program_lines = (project.root / "__main__.py").read_text().splitlines()
    repository_line = next(i for i, line in enumerate(program_lines, 1) if "aws.ecr.Repository(" in line)
    assert location["region"]["startLine"] == repository_line
    assert results[0]["properties"]["stacks"] == ["bad"] and "relatedLocations" not in results[0]
    assert [
        loc["fullyQualifiedName"].split("::")[-1] for loc in results[0]["locations"][0]["logicalLocations"]
    ] == ["bad-registry-legacy"]
    rule = next(
        r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "prov-03-ecr-immutable-tags"
    )
    assert rule["properties"]["control"] == "PROV-03" and rule["help"]["text"]

    # JUnit: one case per policy per stack; the violated policy fails on `bad` only.
    root = ET.parse(out["xml"]).getroot()
    failed = {
        (s.get("name"), c.get("name"))
        for s in root.iter("testsuite")
        for c in s.iter("testcase")
        if c.find("failure") is not None
    }
    assert failed == {("bad", "prov-03-ecr-immutable-tags")}
    reg_suite = root.find("testsuite[@name='reg']")
    assert reg_suite is not None
    assert len(reg_suite.findall("testcase")) == len(stack_of(report, "reg")["policies"])

    # Markdown: verdict, per-area counts, the table, and the diagram with the repository highlighted.
    markdown = out["md"].read_text()
    assert "❌ tenantctl check: blocked (exit 1)" in markdown
    assert "| provenance | 1 |" in markdown and "bad-registry-legacy" in markdown
    diagram = markdown.split("### Landing zone `bad`")[1].split("```mermaid\n")[1].split("```")[0]
    legacy_box = next(
        line.split("[")[0].strip() for line in diagram.splitlines() if "bad-registry-legacy" in line
    )
    assert any(
        line.strip().startswith("class ")
        and legacy_box in line.split()[1].split(",")
        and line.endswith("violation")
        for line in diagram.splitlines()
    )

    # Secrets: the test policy repeated the secret input, and no output shows it or the ciphertext.
    echoed = [f for f in stack_of(report, "bad")["findings"] if f["policy"] == "test-echo-secret"]
    assert echoed and all("[secret]" in f["message"] for f in echoed)
    outputs = [first.output, fleet.output, *(p.read_text() for p in out.values())]
    outputs += [p.read_text() for p in (project.root / ".tenantctl-cache").glob("*.json")]
    for text in outputs:
        assert PLAINTEXT not in text and CIPHERTEXT not in text

    # An exemption in the policy-pack config (the CLI's flat shape) lets the stack pass, and is listed.
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    exemption = {
        "prov-03-ecr-immutable-tags": {
            "exemptions": [
                {"urn": "*Stack$aws:ecr/repository:Repository::bad-registry-legacy",
                 "reason": "legacy images, moving", "approver": "security-team", "expires": expires}
            ]
        }
    }  # fmt: skip
    (project.root / "platform.yaml").write_text("exemptions:\n  approvers: [security-team]\n")
    (tmp_path / "exempt.json").write_text(json.dumps(exemption))
    exempted = run_cli(
        "check", "--stack", "bad", "--project-dir", project.root, "--json", out["json"],
        "--policy-pack-config", tmp_path / "exempt.json",
    )  # fmt: skip
    assert exempted.code == 0, exempted.output
    bad = stack_of(load_json(out["json"]), "bad")
    assert bad["cached"] is False  # the config file is part of the cache key
    assert [(e["policy"], e["urn"].split("::")[-1]) for e in bad["exemptions"]] == [
        ("prov-03-ecr-immutable-tags", "bad-registry-legacy")
    ]
    assert f"exempted by security-team until {expires}" in bad["exemptions"][0]["reason"]
    assert "exemptions used" in exempted.stdout and "legacy images, moving" in exempted.stdout

    # plan answers from the cache for the clean stack: the tree by component, counts, the verdict.
    plan = run_cli("plan", "--stack", "good", "--project-dir", project.root)
    assert plan.code == 0, plan.output
    for expected in (
        "TenantLandingZone good",
        "TenantNetwork good-network",
        "aws:ec2/vpc:Vpc",
        "resources by type",
        "PASSED",
    ):
        assert expected in plan.stdout


def test_bad_stack_config_exits_2_with_the_message_and_an_error_row_in_every_report(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", LANDING_ZONE_PROGRAM)
    project.pack("mlops-baseline", PROV03_PACK)
    project.stack("gold", tenant_stack("gold").replace("tier: standard", "tier: gold"))
    project.stack("broken", "config:\n  aws:region: [unclosed\n")
    report = tmp_path / "r.json"
    run = run_cli(
        "check", "--all", "--project-dir", project.root, "--json", report, "--sarif", tmp_path / "r.sarif"
    )
    assert run.code == 2, run.output
    assert "stacks/Pulumi.gold.yaml: invalid stack config" in run.stdout
    assert "landingzone:tenant.tier" in run.stdout and "'standard' or 'regulated'" in run.stdout.replace(
        '"', "'"
    )
    assert "Pulumi.broken.yaml" in run.stdout and "not valid YAML" in run.stdout
    assert {s["stack"]: s["verdict"] for s in load_json(report)["stacks"]} == {
        "broken": "config-error",
        "gold": "config-error",
    }
    notifications = load_json(tmp_path / "r.sarif")["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert sorted(n["properties"]["stack"] for n in notifications) == ["broken", "gold"]


def test_crashing_program_policy_and_pack_all_exit_3(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", SMALL_PROGRAM)
    project.pack("mlops-baseline", CRASHING_PACK)  # no mlops-regulated folder at all
    project.stack("prog", tenant_stack("prog", extra="  tenantctl-test:crash: true\n"))
    project.stack("policy", tenant_stack("policy"))
    project.stack("nopack", tenant_stack("nopack", tier="regulated"))
    report = tmp_path / "r.json"
    run = run_cli("check", "--all", "--project-dir", project.root, "--json", report)
    assert run.code == 3, run.output
    stacks = {s["stack"]: s for s in load_json(report)["stacks"]}
    assert {name: s["status"] for name, s in stacks.items()} == {
        "nopack": "crash",
        "policy": "crash",
        "prog": "crash",
    }
    # Where: the program's exception with its line in the project, never the SDK frames it crossed.
    raise_line = next(
        i for i, line in enumerate(SMALL_PROGRAM.splitlines(), 1) if "raise RuntimeError" in line
    )
    assert stacks["prog"]["error"] == (
        f"the program crashed at __main__.py:{raise_line}: RuntimeError: the program crashed on purpose"
    )
    assert stacks["prog"]["error_source"] == {"path": "__main__.py", "line": raise_line}
    assert stacks["policy"]["error"] == (
        "policy pack mlops-baseline failed on aws:ecr/repository:Repository small-repo: this policy has a bug"
    )
    assert "Traceback" not in run.output and "site-packages" not in run.output
    assert "mlops-regulated" in stacks["nopack"]["error"]
    assert run.stdout.count("CRASHED") == 3


def test_strict_fails_on_mandatory_policies_undecided_in_preview(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", SMALL_PROGRAM)
    project.pack("mlops-baseline", UNKNOWN_PACK)
    project.stack("small", tenant_stack("small", extra="  tenantctl-test:unknown-policy: true\n"))
    report = tmp_path / "r.json"
    # `--json -`: stdout is the JSON report alone, the human report goes to stderr.
    lenient = run_cli("check", "--stack", "small", "--project-dir", project.root, "--json", "-")
    assert lenient.code == 0, lenient.output
    report.write_text(lenient.stdout)
    assert "small  PASSED" in lenient.stderr
    undecided = [f for f in stack_of(load_json(report), "small")["findings"] if f["kind"] == "undecided"]
    # The SDK reports "cannot decide" as advisory; the policy is mandatory, and that is what counts.
    assert [(f["policy"], f["enforcement"]) for f in undecided] == [("test-repository-policy", "mandatory")]
    # The clean result is cached, but not reused under --strict, which fails on it.
    strict = run_cli("check", "--stack", "small", "--strict", "--project-dir", project.root, "--json", report)
    assert strict.code == 1, strict.output
    assert stack_of(load_json(report), "small")["cached"] is False
    assert "fail under --strict" in strict.stdout
    plan = run_cli("plan", "--stack", "small", "--project-dir", project.root, "--json", "-")
    assert plan.code == 0, plan.output
    assert stack_of(json.loads(plan.stdout), "small")["verdict"] == "passed"
    assert "small-repo" in plan.stderr


def test_usage_errors_exit_2_before_any_check(tmp_path: Path) -> None:
    unknown = run_cli("check", "--stack", "nosuch", "--project-dir", REPO)
    assert unknown.code == 2 and "no such stack: nosuch" in unknown.stderr
    (tmp_path / "bad.json").write_text("{")
    config = run_cli(
        "check", "--stack", "acme", "--project-dir", REPO, "--policy-pack-config", tmp_path / "bad.json"
    )
    assert config.code == 2 and "not valid JSON" in config.stderr
    neither = run_cli("check", "--project-dir", REPO)
    assert neither.code == 2 and "one of the arguments --stack --all is required" in neither.stderr


def test_one_worker_checking_several_stacks_agrees_with_one_process_per_stack(tmp_path: Path) -> None:
    """Recording mutates process-wide SDK state; a process checking a second stack must not leak it."""
    project = make_project(tmp_path / "project", LANDING_ZONE_PROGRAM)
    project.pack("mlops-baseline", PROV03_PACK)
    project.pack("mlops-regulated", REGULATED_PACK)
    project.stack(
        "aaa",
        tenant_stack("aaa", tier="regulated", extra="  tenantctl-test:secret-input: true\n" + SECURE_TOKEN),
    )
    project.stack("bbb", tenant_stack("bbb", extra="  tenantctl-test:mutable-repo: true\n"))

    def bbb(*args: str) -> tuple[list[str], list[tuple[str, str, str]]]:
        report = tmp_path / "r.json"
        run = run_cli("check", *args, "--no-cache", "--project-dir", project.root, "--json", report)
        assert run.code == 1, run.output
        stack = stack_of(load_json(report), "bbb")
        findings = sorted((f["policy"], f["urn"], f["message"]) for f in stack["findings"])
        return sorted(r["urn"] for r in stack["resources"]), findings

    after_another_stack = bbb("--all", "--jobs", "1")  # aaa, then bbb, in one process
    alone = bbb("--stack", "bbb")
    assert after_another_stack == alone
    assert any(policy == "prov-03-ecr-immutable-tags" for policy, _, _ in alone[1])


def test_module_and_console_script_entry_points() -> None:
    run = run_cli("check", "--help")
    assert run.code == 0 and "--policy-pack-config" in run.stdout
    script = Path(REPO / ".venv" / "bin" / "tenantctl")
    if script.exists():
        import subprocess

        completed = subprocess.run(
            [str(script), "plan", "--help"], capture_output=True, text=True, check=False
        )
        assert completed.returncode == 0 and "--stack" in completed.stdout
