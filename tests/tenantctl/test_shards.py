"""Fleets beyond one machine: `check --shard K/N`, `merge`, and `check --changed-since REF`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tenantctl import selection
from tests.tenantctl.conftest import (
    LANDING_ZONE_PROGRAM,
    PROV03_PACK,
    REGULATED_PACK,
    make_project,
    run_cli,
    tenant_stack,
)

VOLATILE = ("duration_s", "checked_at", "cached")


def _fleet(root: Path, names: list[str]) -> Path:
    stacks = root / "stacks"
    stacks.mkdir(parents=True)
    for index, name in enumerate(names):
        tier = "regulated" if index % 3 == 1 else "standard"
        (stacks / f"Pulumi.{name}.yaml").write_text(tenant_stack(name, tier=tier))
    return root


# ---------------------------------------------------------------- partition


def test_pass_shards_partition_the_fleet_exactly_once_whatever_the_order(tmp_path: Path) -> None:
    names = [f"t{i:02d}" for i in range(17)]
    project = _fleet(tmp_path, names)
    shards = [selection.shard(names, project, k, 4) for k in range(1, 5)]
    assert sorted(s for shard in shards for s in shard) == names
    assert shards == [selection.shard(list(reversed(names)), project, k, 4)[::-1] for k in range(1, 5)]


def test_pass_shards_are_balanced_by_estimated_resources(tmp_path: Path) -> None:
    names = [f"t{i:02d}" for i in range(12)]
    project = _fleet(tmp_path, names)
    loads = [
        sum(selection.estimated_resources(project, s) for s in selection.shard(names, project, k, 3))
        for k in range(1, 4)
    ]
    heaviest = max(selection.estimated_resources(project, s) for s in names)
    assert max(loads) - min(loads) <= heaviest


def test_pass_regulated_stacks_weigh_more_than_standard_ones(tmp_path: Path) -> None:
    project = _fleet(tmp_path, ["std", "reg"])
    assert selection.estimated_resources(project, "reg") > selection.estimated_resources(project, "std")


@pytest.mark.parametrize("spec", ["0/2", "3/2", "2", "a/b", "1/0", "-1/2"])
def test_fail_a_shard_spec_outside_k_of_n_is_refused_with_the_allowed_form(spec: str) -> None:
    with pytest.raises(selection.SelectionError) as refused:
        selection.parse_shard(spec)
    assert str(refused.value) == f"--shard {spec!r}: expected K/N with 1 <= K <= N, for example 2/4"


# ---------------------------------------------------------------- changed since


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = _fleet(tmp_path / "repo", ["alpha", "beta", "gamma"])
    (root / "components").mkdir()
    (root / "components" / "network.py").write_text("VPC = 1\n")
    (root / "docs").mkdir()
    (root / "docs" / "notes.md").write_text("notes\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    _git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "fleet")
    return root


def _changed(root: Path) -> list[str]:
    shared = [root / "components" / "network.py"]
    return selection.changed_stacks(root, "main", ["alpha", "beta", "gamma"], shared)


def test_pass_nothing_changed_checks_nothing(repo: Path) -> None:
    assert _changed(repo) == []


def test_pass_a_changed_stack_file_checks_that_stack_only(repo: Path) -> None:
    path = repo / "stacks" / "Pulumi.beta.yaml"
    path.write_text(path.read_text() + "# edited\n")
    assert _changed(repo) == ["beta"]


def test_pass_a_new_untracked_stack_file_is_checked(repo: Path) -> None:
    (repo / "stacks" / "Pulumi.delta.yaml").write_text(tenant_stack("delta"))
    assert selection.changed_stacks(repo, "main", ["alpha", "delta"], []) == ["delta"]


def test_pass_a_change_to_shared_code_checks_every_stack(repo: Path) -> None:
    (repo / "components" / "network.py").write_text("VPC = 2\n")
    assert _changed(repo) == ["alpha", "beta", "gamma"]


def test_pass_a_change_to_the_gates_own_inputs_checks_every_stack(repo: Path) -> None:
    (repo / "platform.yaml").write_text("approvers: [security-lead]\n")
    assert _changed(repo) == ["alpha", "beta", "gamma"]


def test_pass_a_docs_change_checks_nothing(repo: Path) -> None:
    (repo / "docs" / "notes.md").write_text("more notes\n")
    assert _changed(repo) == []


def test_fail_an_unknown_ref_is_a_usage_error_naming_it(repo: Path) -> None:
    with pytest.raises(selection.SelectionError) as refused:
        selection.changed_stacks(repo, "no-such-ref", ["alpha"], [])
    assert str(refused.value).startswith("git merge-base no-such-ref HEAD failed: ")


# ---------------------------------------------------------------- shards merged equal one run


def _normalized(report: dict) -> list[dict]:
    """A report's stacks without timings, with resources by URN: the SDK registers a program's
    resources concurrently, so their order can differ between two recordings of one program."""
    return [
        {**{k: v for k, v in s.items() if k not in VOLATILE}, "resources": sorted(s["resources"], key=str)}
        for s in report["stacks"]
    ]


def _report_flags(paths: dict[str, Path]) -> list[str | Path]:
    return [
        "--json",
        paths["json"],
        "--sarif",
        paths["sarif"],
        "--junit",
        paths["xml"],
        "--markdown",
        paths["md"],
    ]


@pytest.mark.slow
def test_pass_n_shards_merged_give_exactly_the_results_of_one_unsharded_run(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", LANDING_ZONE_PROGRAM)
    project.pack("mlops-baseline", PROV03_PACK)
    project.pack("mlops-regulated", REGULATED_PACK)
    for index, name in enumerate(["alpha", "beta", "gamma", "delta"]):
        extra = "  tenantctl-test:mutable-repo: true\n" if name == "gamma" else ""
        project.stack(name, tenant_stack(name, tier="regulated" if index == 1 else "standard", extra=extra))
    common = ("--all", "--no-cache", "--jobs", "1", "--project-dir", project.root)

    whole = {kind: tmp_path / f"whole.{kind}" for kind in ("json", "sarif", "xml", "md")}
    one_run = run_cli("check", *common, *_report_flags(whole))
    assert one_run.code == 1, one_run.output

    shard_reports = []
    for k in (1, 2, 3):
        report = tmp_path / f"shard-{k}.json"
        shard_run = run_cli("check", *common, "--shard", f"{k}/3", "--json", report)
        assert shard_run.code in (0, 1), shard_run.output
        shard_reports.append(report)
    shard_stacks = [[s["stack"] for s in json.loads(r.read_text())["stacks"]] for r in shard_reports]
    assert sorted(s for stacks in shard_stacks for s in stacks) == ["alpha", "beta", "delta", "gamma"]

    merged = {kind: tmp_path / f"merged.{kind}" for kind in ("json", "sarif", "xml", "md")}
    merging = run_cli("merge", *shard_reports, "--project-dir", project.root, *_report_flags(merged))
    assert merging.code == 1, merging.output

    whole_json, merged_json = json.loads(whole["json"].read_text()), json.loads(merged["json"].read_text())
    assert merged_json["exit_code"] == whole_json["exit_code"] == 1
    assert _normalized(merged_json) == _normalized(whole_json)
    sarif_results = [
        json.loads(p.read_text())["runs"][0]["results"] for p in (whole["sarif"], merged["sarif"])
    ]
    assert sarif_results[0] == sarif_results[1]


def test_fail_merging_two_shards_holding_the_same_stack_is_refused(tmp_path: Path) -> None:
    report = {"schema_version": 1, "tool": {"version": "1"}, "strict": False, "stacks": [{"stack": "alpha"}]}
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        path.write_text(json.dumps(report))
    refused = run_cli("merge", first, second)
    assert refused.code == 2
    assert f"tenantctl merge: {second}: stack alpha is also in {first}" in refused.stderr.replace("\n", "")


def test_fail_merging_a_file_that_is_not_a_report_names_it(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text("[1, 2]")
    refused = run_cli("merge", bogus)
    assert refused.code == 2
    assert f"{bogus}: not a tenantctl JSON report (no 'stacks' list)" in refused.stderr.replace("\n", "")
