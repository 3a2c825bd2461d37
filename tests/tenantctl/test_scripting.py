"""tenantctl in scripts: JSON alone on stdout, --version, closed pipes, missing projects, no hard wraps,
and a cache that forgets deleted stacks and never passes off stale results as current."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tenantctl import cache, cli
from tenantctl.check import CheckOptions, StackResult
from tenantctl.worker import run_fleet
from tests.tenantctl.conftest import REPO, tenant_stack


def project_with(tmp_path: Path, *tenants: str) -> Path:
    for tenant in tenants:
        path = tmp_path / "stacks" / f"Pulumi.{tenant}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tenant_stack(tenant))
    return tmp_path


def store_clean(project: Path, stack: str, key: str | None = None) -> None:
    result = StackResult(stack=stack, tenant=stack, checked_at="2026-12-01T10:00:00+00:00")
    cache.store(project, key or cache.cache_key(project, stack), result)


def test_version_names_the_project_the_catalog_and_each_pack(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("tenantctl 0.1.0")
    assert lines[1] == "control catalog 1"
    assert lines[2:] == ["policy pack mlops-baseline 0.1.0", "policy pack mlops-regulated 0.1.0"]


def test_validate_json_to_stdout_holds_only_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, "acme", "initech")
    assert cli.main(["validate", "--json", "-", "--project-dir", str(project)]) == 0
    out, err = capsys.readouterr()
    assert [s["stack"] for s in json.loads(out)["stacks"]] == ["acme", "initech"]
    assert "ok      acme" in err and "2 stack(s): 2 ok, 0 with problems" in err


def test_tenants_json_shows_only_results_of_the_current_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path, "acme", "initech")
    store_clean(project, "acme")
    store_clean(project, "initech", key="a key of files that have changed since")
    assert cli.main(["tenants", "--json", "-", "--project-dir", str(project)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    rows = {row["stack"]: row for row in json.loads(out)["tenants"]}
    assert rows["acme"]["last_check"]["verdict"] == "clean"
    assert rows["acme"]["tenant"] == "acme" and rows["acme"]["tier"] == "standard"
    assert rows["initech"]["last_check"] is None
    # The stack file changes: its last check is no longer current.
    stack_file = project / "stacks" / "Pulumi.acme.yaml"
    stack_file.write_text(stack_file.read_text().replace("[dev, prod]", "[dev, train, prod]"))
    assert cli.main(["tenants", "--json", "-", "--project-dir", str(project)]) == 0
    rows = {row["stack"]: row for row in json.loads(capsys.readouterr().out)["tenants"]}
    assert rows["acme"]["last_check"] is None


def test_the_tenants_table_shows_a_stale_result_as_not_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path, "acme")
    store_clean(project, "acme", key="stale")
    assert cli.main(["tenants", "--project-dir", str(project)]) == 0
    table = capsys.readouterr().out
    assert "acme" in table and "clean" not in table


@pytest.mark.parametrize(
    "command", ["check --all", "plan --stack a", "tenants", "validate", "audit --stack a"]
)
def test_a_missing_project_dir_is_a_usage_error(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nonexistent"
    assert cli.main([*command.split(), "--project-dir", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"project directory {missing} does not exist" in err


def test_a_project_without_stacks_is_a_usage_error_for_tenants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["tenants", "--project-dir", str(tmp_path)]) == 2
    assert "has no stacks/ folder" in capsys.readouterr().err


@pytest.mark.parametrize("json_to_stdout", [True, False], ids=["json", "rich text"])
def test_a_closed_pipe_ends_quietly_with_the_sigpipe_code(json_to_stdout: bool) -> None:
    args = ["validate", "--json", "-"] if json_to_stdout else ["validate"]
    reader = subprocess.Popen(
        [sys.executable, "-m", "tenantctl", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # like `| head` that has read enough before tenantctl writes
    code = reader.wait(timeout=60)
    stderr = reader.stderr.read().decode()
    reader.stderr.close()
    assert code == 141, stderr  # 128 + SIGPIPE, as `yes | head` ends; 1 would read as "violations"
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_output_that_is_not_a_terminal_is_not_hard_wrapped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    line = "a long finding message " * 30
    console = cli._console()
    assert not console.is_terminal
    console.print(line)
    assert capsys.readouterr().out == line + "\n"


def test_run_fleet_prunes_the_entries_of_deleted_stacks(tmp_path: Path) -> None:
    project = project_with(tmp_path, "acme", "gone")
    packs = project / "policy_packs"
    store_clean(project, "acme", cache.cache_key(project, "acme", packs))
    store_clean(project, "gone", cache.cache_key(project, "gone", packs))
    (project / "stacks" / "Pulumi.gone.yaml").unlink()
    (project / cache.CACHE_DIR / "acme.123.tmp").write_text("{")
    results = run_fleet(["acme"], CheckOptions(project_dir=project, packs_dir=packs))
    assert [(r.stack, r.cached) for r in results] == [("acme", True)]
    assert sorted(p.name for p in (project / cache.CACHE_DIR).iterdir()) == ["acme.json"]


def test_audit_json_to_stdout_holds_only_json(capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from tenantctl.audit.model import AuditReport, AuditTarget
    from tenantctl.audit.report import write_outputs

    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    report = AuditReport(AuditTarget("acme", "standard", "eu-central-1", "111122223333"), [], "1", now, now)
    write_outputs(report, Path("-"), None, None)
    assert json.loads(capsys.readouterr().out)["tenant"] == "acme"
