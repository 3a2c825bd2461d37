"""COMPLIANCE retention nobody can undo: above platform.yaml's maximum only with an explicit confirmation."""

from __future__ import annotations

from pathlib import Path

from tenantctl.onboarding.commands import run_onboard
from tests.onboarding.conftest import copy_project, parse


def onboard(project: Path, *flags: str) -> tuple[int, list[Path]]:
    args = parse(
        ["onboard", "--tenant", "hooli", "--tier", "standard", "--project-dir", str(project), *flags]
    )
    code = run_onboard(args)
    return code, sorted((project / "stacks").glob("Pulumi.hooli.yaml"))


def test_fail_audit_retention_above_the_platform_maximum_without_confirmation(tmp_path: Path, capsys):
    project = copy_project(tmp_path / "p")
    code, written = onboard(project, "--audit-days", "5000")
    assert code == 2 and written == []
    assert (
        "landingzone:tenant.retention.audit_days: 5000 days of COMPLIANCE object lock is above the platform "
        "maximum of 3653 (platform.yaml compliance_retention_max_days); nobody can shorten it once written, "
        "so pass --confirm-compliance-retention if it is meant"
    ) in " ".join(capsys.readouterr().err.split())


def test_pass_audit_retention_above_the_maximum_with_confirmation_is_written(tmp_path: Path):
    project = copy_project(tmp_path / "p")
    code, written = onboard(project, "--audit-days", "5000", "--confirm-compliance-retention")
    assert code == 0 and len(written) == 1
    assert "audit_days: 5000" in written[0].read_text()


def test_pass_audit_retention_within_the_maximum_needs_no_confirmation(tmp_path: Path):
    project = copy_project(tmp_path / "p")
    code, written = onboard(project, "--audit-days", "730")
    assert code == 0 and "audit_days: 730" in written[0].read_text()


def test_fail_egress_allowlist_covering_the_internet_is_refused_before_writing(tmp_path: Path, capsys):
    project = copy_project(tmp_path / "p")
    code, written = onboard(project, "--egress", "nat-allowlist", "--allow", "0.0.0.0/1,128.0.0.0/1")
    assert code == 2 and written == []
    assert "together cover the whole internet (0.0.0.0/0)" in capsys.readouterr().err
