"""The gate as a pull request meets it: a copy of the repository, one file changed, the workflow's command.

The stacks to check and the flags come from .github/workflows/pr-gate.yml itself (its change pattern
and its `tenantctl check` line), so the test breaks if the workflow stops passing the policy config or
stops checking every stack when the policy config changes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.tenantctl.conftest import REPO, run_cli

WORKFLOW = REPO / ".github" / "workflows" / "pr-gate.yml"
COPIED = ("__main__.py", "Pulumi.yaml", "requirements.txt", "platform.yaml", "stacks", "policy", "components",
          "landingzone", "mlops_policies", "policy_packs")  # fmt: skip
POLICY_FILE = "policy/policy-config.json"


def _check_step() -> str:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["check"]["steps"]
    return next(step["run"] for step in steps if step.get("id") == "check")


def workflow_args(root: Path, changed: str) -> list[str | Path]:
    """What pr-gate.yml runs in `root` for a PR changing `changed`: --all or --stack NAME, plus its flags."""
    script = _check_step()
    pattern = re.search(r"grep -qE '([^']+)'", script)
    assert pattern, "pr-gate.yml decides with grep -qE '<pattern>'"
    if re.search(pattern.group(1), changed):
        which = ["--all"]
    else:
        stack = re.fullmatch(r"stacks/Pulumi\.(.+)\.yaml", changed)
        assert stack, changed
        which = ["--stack", stack.group(1)]
    config = re.search(r"--policy-pack-config (\S+)", script)
    assert config and config.group(1) == POLICY_FILE, "pr-gate.yml passes the policy config explicitly"
    # The workflow runs from the repository root; here the copy is the root and the cwd is elsewhere.
    config_file = root / config.group(1)
    return [
        "check",
        *which,
        "--no-cache",
        "--no-progress",
        "--jobs",
        "2",
        "--policy-pack-config",
        config_file,
    ]


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
    return root


def gate(root: Path, changed: str, tmp_path: Path) -> tuple[int, dict, str]:
    report = tmp_path / "report.json"
    run = run_cli(*workflow_args(root, changed), "--project-dir", root, "--json", report)
    return run.code, json.loads(report.read_text()) if report.exists() else {}, run.output


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
    clean_code, clean, output = gate(repository, POLICY_FILE, tmp_path)
    assert clean_code == 0, output  # the repository's own config passes the example stacks
    assert {s["stack"] for s in clean["stacks"]} == {"acme", "globex", "initech"}
    try:
        policy.write_text(json.dumps({**json.loads(original), "aud-02-audit-compliance-retention": {
            "minAuditRetentionDays": 1}}))  # fmt: skip
        code, report, output = gate(repository, POLICY_FILE, tmp_path)
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
        code, report, output = gate(repository, POLICY_FILE, tmp_path)
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
        code, report, output = gate(repository, "stacks/Pulumi.acme2.yaml", tmp_path)
    finally:
        duplicate.unlink()
    assert code == 1, output
    found = violations(report)
    assert {stack for stack, _, _ in found} == {"acme2"}
    duplicate_id = "landingzone:tenant.id: tenant id 'acme' is also used by stacks/Pulumi.acme.yaml"
    assert ("acme2", "ten-02-fleet-unique-tenant-ids", duplicate_id) in found
    assert any(policy == "data-10-fleet-no-overlapping-cidrs" for _, policy, _ in found)
