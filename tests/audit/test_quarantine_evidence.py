"""`tenantctl quarantine` writes an audit evidence bundle before it changes anything, when it has
credentials (a moto server here), and says plainly that it did not when it has none."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from audit_world import ACCOUNT, TenantWorld, project

from landingzone.config import load_stack

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def program_project(tmp_path: Path) -> Path:
    root = project(tmp_path)
    for name in ("__main__.py", "Pulumi.yaml"):
        shutil.copy(REPO / name, root / name)
    for package in ("components", "landingzone"):
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    return Path(root)


def quarantine_cli(root: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tenantctl", "quarantine", "--stack", "acme", "--reason", "leaked token"]
    command += ["--ticket", "INC-7", "--project-dir", str(root), *extra]
    return subprocess.run(
        command, env={**env, "COLUMNS": "300"}, capture_output=True, text=True, timeout=300, check=False
    )


def test_quarantine_writes_the_evidence_bundle_first_when_credentials_are_available(
    compliant_world: TenantWorld, tmp_path: Path
) -> None:
    root = program_project(tmp_path)
    bundle = tmp_path / "evidence"

    done = quarantine_cli(
        root, dict(os.environ), "--endpoint-url", compliant_world.endpoint, "--evidence", str(bundle)
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert f"evidence bundle: {bundle}" in done.stdout
    manifest: dict[str, Any] = json.loads((bundle / "manifest.json").read_text())
    assert (manifest["tenant"], manifest["account_id"]) == ("acme", ACCOUNT)
    assert load_stack(root, "acme").incident is not None


def test_quarantine_without_credentials_says_no_bundle_was_written_and_still_quarantines(
    tmp_path: Path,
) -> None:
    root = program_project(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
    env["AWS_EC2_METADATA_DISABLED"] = "true"

    done = quarantine_cli(root, env)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no AWS credentials: no evidence bundle written." in done.stdout
    assert load_stack(root, "acme").incident is not None
    assert not (root / "build" / "incident-evidence").exists()
