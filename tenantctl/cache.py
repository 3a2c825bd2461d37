"""The check cache: a stack whose inputs are unchanged since a clean check is not checked again.

One JSON file per stack in `<project>/.tenantctl-cache/<stack>.json`:
`{key, verdict, counts, checked_at, tenantctl, result}`. The key is a sha256 over the stored result's
format (`FORMAT`) and everything that can change a verdict: the stack file, the program
(__main__.py, Pulumi.yaml), the component code, the landingzone package (including its data/*.yaml
catalogs), the policy rules (mlops_policies, including the type table in its data/*.yaml), the pack
folders, the pinned dependencies (requirements.txt), the --policy-pack-config file's content, and
the tenantctl version (package version plus the modules that record and judge a stack).

Only clean results are reused; a blocked or crashed stack is always checked again. The full result is
stored so reports (SARIF, JUnit, Markdown) stay complete when a stack is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tenantctl import json_text
from tenantctl.check import OK, StackResult

CACHE_DIR = ".tenantctl-cache"
FORMAT = 2
"""The shape of a stored result; part of every key, so an entry of another shape is never read.

2: a policy is its static facts (mlops_policies.policy_facts, with `framework_version`) plus the
run's enforcement and status.
"""
CLEAN, BLOCKED = "clean", "blocked"
PROGRAM_PACKAGES = ("components", "landingzone", "mlops_policies")
# The tenantctl modules whose code decides a verdict; reports and the CLI do not.
VERDICT_MODULES = (
    "program.py",
    "analyzer.py",
    "check.py",
    "model.py",
    "classify.py",
    "packs.py",
    "policy_config.py",
    "scrub.py",
)
SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def tenantctl_version() -> str:
    try:
        version = importlib.metadata.version("mlops-landing-zone")
    except importlib.metadata.PackageNotFoundError:
        version = "0+unknown"
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in VERDICT_MODULES:
        with contextlib.suppress(OSError):
            digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return f"{version}+{digest.hexdigest()[:12]}"


def _package_dir(project_dir: Path, package: str) -> Path | None:
    """The project's own copy of a package when it has one, else the installed one (what imports find)."""
    local = project_dir / package
    if local.is_dir():
        return local
    spec = importlib.util.find_spec(package)
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
    return None


def _files_under(root: Path, suffixes: tuple[str, ...] | None) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if SKIPPED_PARTS & set(path.relative_to(root).parts) or not path.is_file():
            continue
        if suffixes is None or path.suffix in suffixes:
            found.append(path)
    return found


def shared_inputs(project_dir: Path, packs_dir: Path) -> list[tuple[str, Path]]:
    """(label, path) of every input shared by all stacks, in a stable order."""
    inputs: list[tuple[str, Path]] = []
    # pyproject.toml: the packs' version (reported per stack) comes from it.
    for name in ("__main__.py", "Pulumi.yaml", "requirements.txt", "pyproject.toml"):
        inputs.append((name, project_dir / name))
    for package in PROGRAM_PACKAGES:
        root = _package_dir(project_dir, package)
        if root is None:
            continue
        # landingzone's catalogs and mlops_policies' type table (data/*.yaml) decide verdicts too.
        suffixes = (".py", ".yaml", ".yml") if package in {"landingzone", "mlops_policies"} else (".py",)
        inputs.extend((f"{package}/{p.relative_to(root)}", p) for p in _files_under(root, suffixes))
    if packs_dir.is_dir():
        inputs.extend((f"packs/{p.relative_to(packs_dir)}", p) for p in _files_under(packs_dir, None))
    return sorted(inputs)


def _digest_files(digest: Any, inputs: Iterable[tuple[str, Path]]) -> None:
    for label, path in inputs:
        digest.update(label.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
        digest.update(b"\0")


def shared_key(project_dir: Path, packs_dir: Path, policy_config_text: str) -> str:
    """The part of every stack's key that does not depend on the stack: hashed once per run."""
    digest = hashlib.sha256()
    _digest_files(digest, shared_inputs(project_dir, packs_dir))
    digest.update(b"policy-pack-config\0" + policy_config_text.encode() + b"\0")
    digest.update(b"tenantctl\0" + tenantctl_version().encode())
    digest.update(b"format\0" + str(FORMAT).encode())
    return digest.hexdigest()


def stack_key(shared: str, project_dir: Path, stack: str) -> str:
    digest = hashlib.sha256(shared.encode())
    _digest_files(digest, [("stack", project_dir / "stacks" / f"Pulumi.{stack}.yaml")])
    return digest.hexdigest()


def cache_key(
    project_dir: Path, stack: str, packs_dir: Path | None = None, policy_config_text: str = ""
) -> str:
    packs = packs_dir if packs_dir is not None else project_dir / "policy_packs"
    return stack_key(shared_key(project_dir, packs, policy_config_text), project_dir, stack)


def _entry_path(project_dir: Path, stack: str) -> Path:
    return project_dir / CACHE_DIR / f"{stack}.json"


def _read(project_dir: Path, stack: str) -> dict[str, Any] | None:
    try:
        entry = json_text.loads(_entry_path(project_dir, stack).read_bytes())
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) else None


def verdict_of(result: StackResult) -> str:
    if result.status != OK:
        return result.status
    return BLOCKED if result.violations else CLEAN


def store(project_dir: Path, key: str, result: StackResult) -> None:
    entry = {
        "key": key,
        "verdict": verdict_of(result),
        "counts": result.counts(),
        "checked_at": result.checked_at,
        "tenantctl": tenantctl_version(),
        "result": result.to_dict(),
    }
    path = _entry_path(project_dir, result.stack)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename: a reader (or a crash) never sees half a file.
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(json_text.compact(entry, sort_keys=True))
    os.replace(temporary, path)


def cached_clean(project_dir: Path, stack: str, key: str, strict: bool) -> StackResult | None:
    """The stored result when the inputs are unchanged and it was clean (under --strict: also decided)."""
    entry = _read(project_dir, stack)
    if not entry or entry.get("key") != key or entry.get("verdict") != CLEAN or "result" not in entry:
        return None
    try:
        result = StackResult.from_dict(entry["result"])
    except (KeyError, TypeError, ValueError):
        return None
    if strict and result.undecided_mandatory:
        return None
    result.cached = True
    return result


def prune(project_dir: Path, stacks: Iterable[str]) -> list[str]:
    """Remove the entries of stacks that no longer have a stack file (and stray temporary files).

    Returns the stacks whose entries were removed.
    """
    keep = set(stacks)
    removed = []
    folder = project_dir / CACHE_DIR
    for path in folder.glob("*.json") if folder.is_dir() else ():
        if path.stem not in keep:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path.stem)
    for path in folder.glob("*.tmp") if folder.is_dir() else ():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return sorted(removed)


def current_verdicts(project_dir: Path, stacks: Iterable[str]) -> dict[str, dict[str, Any] | None]:
    """Per stack, its last check when that check saw the files as they are now, else None.

    "As they are now": the entry's key equals the key of the current files with the project's own
    packs and no policy-pack config (what `tenantctl check` run in the project uses); a check with
    another config or packs folder, or before any change, is not shown as current.
    """
    shared = shared_key(project_dir, project_dir / "policy_packs", "")
    answer: dict[str, dict[str, Any] | None] = {}
    for stack in stacks:
        entry = last_verdict(project_dir, stack)
        fresh = entry is not None and entry.get("key") == stack_key(shared, project_dir, stack)
        answer[stack] = entry if fresh else None
    return answer


def last_verdict(project_dir: Path, stack: str) -> dict[str, Any] | None:
    """The last check of a stack, for `tenantctl tenants`: {key, verdict, counts, checked_at, tenantctl}.

    verdict is clean, blocked, config-error, usage-error or crash. None when never checked. Whether the
    stack changed since is `entry["key"] != cache_key(project_dir, stack)`.
    """
    entry = _read(project_dir, stack)
    if entry is None:
        return None
    return {k: v for k, v in entry.items() if k != "result"}
