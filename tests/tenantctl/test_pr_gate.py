"""The gate as a pull request meets it: a git copy of the repository, one file changed, the workflow's jobs.

The selection and the flags come from .github/workflows/pr-gate.yml itself (its matrix, its `tenantctl
check --changed-since ... --shard ...` line and its `tenantctl merge` line), so the test breaks if the
workflow stops passing the policy config, stops checking every stack when the policy config changes,
or merges fewer shards than the matrix runs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.tenantctl.conftest import REPO, run_cli

WORKFLOW = REPO / ".github" / "workflows" / "pr-gate.yml"
COPIED = ("__main__.py", "Pulumi.yaml", "requirements.txt", "platform.yaml", "stacks", "policy", "components",
          "landingzone", "mlops_policies", "policy_packs")  # fmt: skip
POLICY_FILE = "policy/policy-config.json"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _run_script(job: str, step_id: str) -> str:
    return next(step["run"] for step in _workflow()["jobs"][job]["steps"] if step.get("id") == step_id)


def shards() -> list[str]:
    """`K/N` per job of the check matrix, as the workflow names them."""
    matrix = _workflow()["jobs"]["check"]["strategy"]["matrix"]["shard"]
    return [f"{k}/{len(matrix)}" for k in matrix]


def workflow_args(root: Path, shard: str) -> list[str | Path]:
    """What one matrix job of pr-gate.yml runs in `root` (a git repository whose uncommitted edits are
    the PR): every stack the change can affect, this shard of them, with the workflow's flags."""
    script = _run_script("check", "check")
    assert '--all --changed-since "$BASE_SHA" --shard "$SHARD"' in script, "pr-gate.yml selects by change"
    step = next(step for step in _workflow()["jobs"]["check"]["steps"] if step.get("id") == "check")
    assert step["env"]["SHARD"] == f"${{{{ matrix.shard }}}}/{len(shards())}"
    config = re.search(r"--policy-pack-config (\S+)", script)
    assert config and config.group(1) == POLICY_FILE, "pr-gate.yml passes the policy config explicitly"
    # The workflow runs from the repository root; here the copy is the root and the cwd is elsewhere.
    config_file = root / config.group(1)
    return [
        "check",
        "--all",
        "--changed-since",
        "HEAD",
        "--shard",
        shard,
        "--no-cache",
        "--no-progress",
        "--policy-pack-config",
        config_file,
    ]


def merge_args() -> list[str]:
    script = _run_script("report", "merge")
    files = re.findall(r"shard-[0-9]+\.json", script)
    assert files == [f"shard-{k}.json" for k in range(1, len(shards()) + 1)], "merge takes every shard"
    return ["merge", *files]


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pr") / "repo"
    root.mkdir()
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, root / name, ignore=shutil.ignore_patterns("__pycache__", ".tenantctl-cache")
            )
        else:
            shutil.copy(source, root / name)
    shutil.copy(REPO / ".gitignore", root / ".gitignore")
    # The base of the PR: a commit; each test's edits (uncommitted) are what the PR changes.
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *command], cwd=root, check=True
        )
    return root


def gate(root: Path, tmp_path: Path) -> tuple[int, dict, str]:
    """Every matrix job of the workflow, then its merge job: the merged exit code and JSON report."""
    outputs = []
    for shard in shards():
        k = shard.split("/")[0]
        run = run_cli(
            *workflow_args(root, shard), "--project-dir", root, "--json", tmp_path / f"shard-{k}.json"
        )
        outputs.append(run.output)
    report = tmp_path / "report.json"
    merged = run_cli(*(tmp_path / a if a.endswith(".json") else a for a in merge_args()), "--json", report)
    outputs.append(merged.output)
    return merged.code, json.loads(report.read_text()) if report.exists() else {}, "\n".join(outputs)


def violations(report: dict) -> list[tuple[str, str, str]]:
    return [
        (s["stack"], f["policy"], f["message"])
        for s in report["stacks"]
        for f in s["findings"]
        if f["kind"] == "violation"
    ]


def test_both_workflows_pass_the_conventional_policy_config():
    assert f"--policy-pack-config {POLICY_FILE}" in WORKFLOW.read_text()
    deploy = (REPO / ".github" / "workflows" / "deploy.yml").read_text()
    # Once per part (the AWS job and the in-cluster job), each passing both split configs.
    assert (
        deploy.count(f"-m tenantctl.gate_inputs --policy-pack-config {POLICY_FILE} --out .policy-config") == 2
    )
    assert deploy.count("--policy-pack-config ../../.policy-config/mlops-baseline.json") == 2
    assert deploy.count("--policy-pack-config ../../.policy-config/mlops-regulated.json") == 2


def test_per_pack_configs_for_the_cli_hold_each_pack_s_policies_and_the_platform_approvers(tmp_path: Path):
    from tenantctl.gate_inputs import main

    assert main(["--project-dir", str(REPO), "--out", str(tmp_path)]) == 0
    baseline = json.loads((tmp_path / "mlops-baseline.json").read_text())
    assert set(baseline) == set(json.loads((REPO / POLICY_FILE).read_text()))
    assert baseline["gpu-04-node-group-max-size"]["exemptionApprovers"] == [
        "ciso@example.com",
        "security-team@example.com",
    ]
    assert json.loads((tmp_path / "mlops-regulated.json").read_text()) == {}
    weak = tmp_path / "weak.json"
    weak.write_text(json.dumps({"gpu-04-node-group-max-size": {"maxGpuNodes": 64}}))
    assert (
        main(["--project-dir", str(REPO), "--policy-pack-config", str(weak), "--out", str(tmp_path / "w")])
        == 1
    )
    assert not (tmp_path / "w").exists()


def test_pr_weakening_the_policy_config_blocks_the_gate(repository: Path, tmp_path: Path):
    policy = repository / POLICY_FILE
    original = policy.read_text()
    try:
        # A PR that only reformats the config changes what every stack is judged with: all are checked.
        policy.write_text(json.dumps(json.loads(original), indent=4))
        clean_code, clean, output = gate(repository, tmp_path)
        assert clean_code == 0, output  # the repository's own config passes the example stacks
        assert {s["stack"] for s in clean["stacks"]} == {"acme", "globex", "initech"}
        policy.write_text(json.dumps({**json.loads(original), "aud-02-audit-compliance-retention": {
            "minAuditRetentionDays": 1}}))  # fmt: skip
        code, report, output = gate(repository, tmp_path)
    finally:
        policy.write_text(original)
    assert code == 1, output
    found = violations(report)
    assert {stack for stack, _, _ in found} == {"acme", "globex", "initech"}
    assert {policy for _, policy, _ in found} == {"aud-02-audit-compliance-retention"}
    assert "minAuditRetentionDays to 1, looser than the catalog" in found[0][2]


def test_pr_adding_a_broad_exemption_blocks_the_gate(repository: Path, tmp_path: Path):
    policy = repository / POLICY_FILE
    original = policy.read_text()
    broad = {"urn": "*", "reason": "ship it", "approver": "me", "expires": "2099-12-31"}
    try:
        policy.write_text(
            json.dumps({**json.loads(original), "prov-03-ecr-immutable-tags": {"exemptions": [broad]}})
        )
        code, report, output = gate(repository, tmp_path)
    finally:
        policy.write_text(original)
    assert code == 1, output
    found = violations(report)
    assert {policy for _, policy, _ in found} == {"prov-03-ecr-immutable-tags"}
    assert all("exemption #1 for '*'" in message for _, _, message in found)
    assert all(not s["exemptions"] for s in report["stacks"])


def test_pr_adding_a_duplicate_tenant_blocks_the_gate(repository: Path, tmp_path: Path):
    duplicate = repository / "stacks" / "Pulumi.acme2.yaml"
    duplicate.write_text((repository / "stacks" / "Pulumi.acme.yaml").read_text())
    try:
        code, report, output = gate(repository, tmp_path)
    finally:
        duplicate.unlink()
    assert code == 1, output
    assert [s["stack"] for s in report["stacks"]] == ["acme2"]  # only the stack file the PR added
    found = violations(report)
    assert {stack for stack, _, _ in found} == {"acme2"}
    duplicate_id = "landingzone:tenant.id: tenant id 'acme' is also used by stacks/Pulumi.acme.yaml"
    assert ("acme2", "ten-02-fleet-unique-tenant-ids", duplicate_id) in found
    assert any(policy == "data-10-fleet-no-overlapping-cidrs" for _, policy, _ in found)


def test_pass_a_pr_touching_nothing_the_gate_reads_checks_no_stack(repository: Path, tmp_path: Path):
    notes = repository / "NOTES.md"
    notes.write_text("a change outside the gate\n")
    try:
        code, report, output = gate(repository, tmp_path)
    finally:
        notes.unlink()
    assert code == 0, output
    assert report["stacks"] == []


def test_fail_merging_fewer_shards_than_the_matrix_runs_is_refused(repository: Path, tmp_path: Path):
    (repository / "NOTES.md").write_text("x\n")
    try:
        run_cli(
            *workflow_args(repository, shards()[0]),
            "--project-dir",
            repository,
            "--json",
            tmp_path / "one.json",
        )
    finally:
        (repository / "NOTES.md").unlink()
    merged = run_cli("merge", tmp_path / "one.json", tmp_path / "missing.json", "--json", tmp_path / "m.json")
    assert merged.code == 2
    assert "missing.json: cannot read" in merged.output
