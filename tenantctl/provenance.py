"""What produced a verdict: versions of the tool, catalog and packs, the git commit, and hashes of the
stack file and the program. The audit's evidence manifest and the check's decision record both carry it,
so an auditor can tie a result to exactly the code and configuration that produced it.

The program hash covers every file `pulumi up` runs (Pulumi.yaml, __main__.py, components/, landingzone/
including its catalogs), in path order, so a change to any of them changes it and nothing else does.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from landingzone.versions import UNKNOWN, catalog_version, project_version

PROGRAM_FILES = ("Pulumi.yaml", "__main__.py")
PROGRAM_DIRS = ("components", "landingzone")
PROGRAM_SUFFIXES = (".py", ".yaml", ".yml", ".json")
PACKS = ("mlops-baseline", "mlops-regulated")


def pack_versions(project_dir: Path) -> dict[str, str]:
    """pack name -> version from its PulumiPolicy.yaml (the SDK reports 0.0.1 over the protocol)."""
    versions: dict[str, str] = {}
    for pack in PACKS:
        try:
            document = yaml.safe_load((project_dir / "policy_packs" / pack / "PulumiPolicy.yaml").read_text())
        except (OSError, yaml.YAMLError):
            versions[pack] = UNKNOWN
            continue
        versions[pack] = str(document.get("version", UNKNOWN)) if isinstance(document, dict) else UNKNOWN
    return versions


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def program_files(project_dir: Path) -> list[Path]:
    files = [project_dir / name for name in PROGRAM_FILES if (project_dir / name).is_file()]
    for directory in PROGRAM_DIRS:
        files += [
            path
            for path in (project_dir / directory).rglob("*")
            if path.is_file() and path.suffix in PROGRAM_SUFFIXES and "__pycache__" not in path.parts
        ]
    return sorted(files, key=lambda path: path.relative_to(project_dir).as_posix())


def program_sha256(project_dir: Path) -> str:
    """One hash over (relative path, content hash) of every program file: names and contents both count."""
    digest = hashlib.sha256()
    for path in program_files(project_dir):
        digest.update(f"{path.relative_to(project_dir).as_posix()}\0{sha256_file(path)}\n".encode())
    return digest.hexdigest()


def git_commit(project_dir: Path) -> str:
    """HEAD's commit, with `-dirty` when the work tree differs from it; `unknown` outside a repository."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(project_dir), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    return f"{commit}-dirty" if status else commit


def provenance(
    project_dir: Path, stack: str | None = None, run: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Versions and hashes for one run; `stack_file_sha256` only when a stack is named and its file exists.

    `run` is this function's answer without a stack, when the caller has it: what a whole run shares
    (versions, git state, program hash) is then worked out once, not once per stack of a fleet.
    """
    record: dict[str, Any] = (
        dict(run)
        if run is not None
        else {
            "tool": {"name": "tenantctl", "version": project_version()},
            "project_version": project_version(),
            "catalog_version": catalog_version(),
            "pack_versions": pack_versions(project_dir),
            "git_commit": git_commit(project_dir),
            "program_sha256": program_sha256(project_dir),
        }
    )
    if stack is not None:
        path = project_dir / "stacks" / f"Pulumi.{stack}.yaml"
        record["stack"] = stack
        record["stack_file"] = f"stacks/Pulumi.{stack}.yaml"
        record["stack_file_sha256"] = sha256_file(path) if path.is_file() else None
    return record
