"""`tenantctl packs build`: what goes in a built pack folder, and where it may be built."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tenantctl.cli import main
from tenantctl.pack_build import (
    PackBuildError,
    archive_members,
    build_all,
    pinned_requirements,
    project_version,
)

PROJECT = Path(__file__).resolve().parents[2]


def test_pass_a_built_pack_carries_rules_catalog_pins_and_the_project_version(tmp_path):
    [baseline] = build_all(PROJECT, tmp_path, ("mlops-baseline",))
    kept, dropped = archive_members(baseline)
    assert dropped == {}
    expected = {
        "PulumiPolicy.yaml",
        "__main__.py",
        "requirements.txt",
        "landingzone/data/controls.yaml",
        "mlops_policies/rule.py",
        "mlops_policies/controls/ten_01/stack_declares_tenant.py",
    }
    assert expected <= set(kept)
    assert not [name for name in kept if "/test_" in name or "__pycache__" in name]
    document = yaml.safe_load((baseline / "PulumiPolicy.yaml").read_text())
    assert document["version"] == project_version(PROJECT)
    assert document["runtime"]["options"]["virtualenv"] == "venv"
    assert "pulumi-policy==1.21.0" in (baseline / "requirements.txt").read_text().splitlines()


def test_pass_the_venv_the_cli_creates_inside_a_pack_is_not_published(tmp_path):
    [baseline] = build_all(PROJECT, tmp_path, ("mlops-baseline",))
    (baseline / "venv" / "bin").mkdir(parents=True)
    (baseline / "venv" / "bin" / "python").write_text("")
    kept, dropped = archive_members(baseline)
    assert "venv/bin/python" not in kept
    assert dropped["venv/bin/python"] == f"pattern 'venv/' of {baseline.resolve()}/.gitignore"


def test_fail_building_under_an_ignored_directory_would_publish_an_empty_pack(tmp_path):
    (tmp_path / ".gitignore").write_text("/build/\n")
    with pytest.raises(
        PackBuildError, match=r"would leave out \d+ file\(s\) of the pack .*pattern '/build/'"
    ):
        build_all(PROJECT, tmp_path / "build" / "packs", ("mlops-baseline",))
    assert not (tmp_path / "build" / "packs" / "mlops-baseline").exists()


def test_fail_building_into_the_pack_sources(tmp_path):
    with pytest.raises(PackBuildError, match="must not be inside policy_packs/"):
        build_all(PROJECT, PROJECT / "policy_packs" / "out")


def test_fail_a_requirements_file_without_an_exact_pin(tmp_path):
    (tmp_path / "requirements.txt").write_text("pulumi>=3\n")
    with pytest.raises(PackBuildError, match="no '==' pin for pulumi, pulumi-policy"):
        pinned_requirements(tmp_path)


def test_fail_a_destination_tenantctl_did_not_write_is_left_alone(tmp_path):
    (tmp_path / "mlops-baseline").mkdir()
    (tmp_path / "mlops-baseline" / "notes.txt").write_text("mine")
    with pytest.raises(PackBuildError, match="was not written by `tenantctl packs build`"):
        build_all(PROJECT, tmp_path, ("mlops-baseline",))
    assert (tmp_path / "mlops-baseline" / "notes.txt").read_text() == "mine"


def test_pass_the_command_builds_both_packs_and_rebuilds_over_its_own_output(tmp_path, capsys):
    for _ in range(2):
        assert main(["packs", "build", "--out", str(tmp_path), "--project-dir", str(PROJECT)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mlops-baseline", "mlops-regulated"]
    assert f"version {project_version(PROJECT)}" in capsys.readouterr().out
