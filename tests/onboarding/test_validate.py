"""`validate`: the model per stack plus the fleet invariants, terminal and JSON output, exit 0 / 2."""

from __future__ import annotations

import json
from pathlib import Path

from tenantctl.onboarding import validate_fleet
from tests.onboarding.conftest import Run, copy_project
from tests.onboarding.fleetgen import write_fleet


def _edit(project: Path, stack: str, old: str, new: str) -> None:
    path = project / "stacks" / f"Pulumi.{stack}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _problems(project: Path) -> dict[str, list[str]]:
    return {r.stack: r.problems for r in validate_fleet(project).stacks}


def test_the_example_fleet_is_valid(run: Run) -> None:
    code, out = run("validate", "--all")

    assert code == 0
    assert "3 stack(s): 3 ok, 0 with problems" in out


def test_overlapping_cidrs_name_both_stacks(run: Run, project: Path) -> None:
    _edit(project, "initech", "cidr: 10.3.0.0/16", "cidr: 10.1.128.0/20")

    code, out = run("validate", "--all")

    assert code == 2
    problems = _problems(project)
    assert problems["acme"] == [
        "landingzone:tenant.network.cidr: 10.1.0.0/16 overlaps 10.1.128.0/20 of stacks/Pulumi.initech.yaml"
    ]
    assert problems["initech"] == [
        "landingzone:tenant.network.cidr: 10.1.128.0/20 overlaps 10.1.0.0/16 of stacks/Pulumi.acme.yaml"
    ]
    assert "overlaps 10.1.0.0/16 of stacks/Pulumi.acme.yaml" in out


def test_duplicate_ids_and_file_name_mismatch(project: Path) -> None:
    copy = (project / "stacks" / "Pulumi.acme.yaml").read_text().replace("10.1.0.0/16", "10.9.0.0/16")
    (project / "stacks" / "Pulumi.acme2.yaml").write_text(copy)

    problems = _problems(project)

    assert (
        "landingzone:tenant.id: tenant id 'acme' is also used by stacks/Pulumi.acme2.yaml" in problems["acme"]
    )
    assert any("does not match the file name stacks/Pulumi.acme2.yaml" in p for p in problems["acme2"])
    assert any("tenant id 'acme' is also used by stacks/Pulumi.acme.yaml" in p for p in problems["acme2"])
    assert problems["globex"] == problems["initech"] == []


def test_model_problems_are_reported_per_stack(project: Path) -> None:
    _edit(project, "globex", "    security_archive_bucket: platform-security-archive-eu\n", "")
    _edit(project, "acme", "instance_type: g6e.xlarge", "instance_type: g9.huge")
    _edit(project, "initech", "mig_layout: all-balanced", "mig_layout: all-3g.40gb")

    problems = _problems(project)

    assert problems["globex"] == [
        "landingzone:platform.security_archive_bucket: required for regulated tenants (AUD-07)"
    ]
    assert any("unknown GPU instance type 'g9.huge'" in p for p in problems["acme"])
    assert any("mig_layout 'all-3g.40gb' does not exist for H200-141GB" in p for p in problems["initech"])


def test_broken_yaml_is_a_problem_not_a_crash(run: Run, project: Path) -> None:
    (project / "stacks" / "Pulumi.broken.yaml").write_text("config: {unclosed\n")
    (project / "stacks" / "Pulumi.binary.yaml").write_bytes(b"\xff\xfe\x00garbage")

    code, out = run("validate")

    assert code == 2
    assert "broken" in out and "not valid YAML" in out
    assert "binary" in out


def test_selected_stacks_and_json_report(run: Run, project: Path, tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"

    code, _ = run("validate", "--stack", "acme", "--stack", "nosuch", "--json", str(report_path))

    assert code == 2
    report = json.loads(report_path.read_text())
    assert report["valid"] is False
    assert [(s["stack"], s["valid"], s["problems"]) for s in report["stacks"]] == [
        ("acme", True, []),
        ("nosuch", False, ["stack file not found"]),
    ]
    assert report["stacks"][0]["file"] == "stacks/Pulumi.acme.yaml"


def test_a_selected_stack_is_checked_against_the_whole_fleet(run: Run, project: Path) -> None:
    _edit(project, "initech", "cidr: 10.3.0.0/16", "cidr: 10.2.0.0/16")

    assert run("validate", "--stack", "acme")[0] == 0
    assert run("validate", "--stack", "initech")[0] == 2


def test_two_hundred_generated_stacks_validate_cleanly(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "fleet")
    for stack in (project / "stacks").iterdir():
        stack.unlink()
    names = write_fleet(project, 200)

    report = validate_fleet(project)

    assert [r.stack for r in report.stacks] == sorted(names)
    assert [(r.stack, r.problems) for r in report.stacks if r.problems] == []
    tiers = {r.settings.tenant.tier.value for r in report.stacks if r.settings}
    sharing = {p.sharing.value for r in report.stacks if r.settings for p in r.settings.tenant.gpu_pools}
    assert tiers == {"standard", "regulated"} and sharing == {"dedicated", "mig"}
