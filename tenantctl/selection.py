"""Which stacks one gate run checks: shards of the fleet for CI matrices, and only what a PR touched.

Both decisions depend only on committed files (and git), never on a cache, so every CI job of a
matrix computes the same partition on its own.

- `shard(stacks, project_dir, k, n)`: a stable partition of the fleet into n parts, balanced by each
  stack's estimated resource count (longest-processing-time first: heaviest stacks first, each to the
  lightest shard so far; ties broken by stack name). The union of the n shards is the fleet, exactly once.
- `changed_stacks(project_dir, ref, stacks, shared)`: the stacks a change since `ref` can affect. A
  change to any input every verdict shares (the program, components, rules, catalog, packs, the
  gate's own verdict code, platform.yaml, the policy config) re-checks every stack; a changed stack
  file re-checks that stack; anything else (docs, tests, benchmarks) checks nothing.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

# Estimated resources per stack, from the example stacks' first previews (acme 134 with 3
# environments and 2 GPU pools, globex 148 regulated, initech 123): what the components create for
# each part of the tenant config. Only the ordering matters, so rough is fine.
BASE_RESOURCES = 95
PER_ENVIRONMENT = 10
PER_GPU_POOL = 3
PER_BUCKET = 7
REGULATED_EXTRA = 15

# Files that are inputs of every verdict besides those cache.shared_inputs lists (the program, its
# packages and the packs): what the gate itself reads.
GATE_INPUT_PREFIXES = (
    "tenantctl/",
    "platform.yaml",
    "policy/",
    "deploy/",
    "pyproject.toml",
    "requirements",
    "Makefile",
    ".github/workflows/pr-gate.yml",
)


class SelectionError(Exception):
    """A shard spec or git reference that cannot be used; the message says what is allowed."""


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` with 1 <= K <= N."""
    k_text, _, n_text = text.partition("/")
    if not (k_text.isdigit() and n_text.isdigit()) or not 1 <= int(k_text) <= int(n_text):
        raise SelectionError(f"--shard {text!r}: expected K/N with 1 <= K <= N, for example 2/4")
    return int(k_text), int(n_text)


def estimated_resources(project_dir: Path, stack: str) -> int:
    """How many resources the stack's program will register, estimated from its tenant config."""
    path = project_dir / "stacks" / f"Pulumi.{stack}.yaml"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return BASE_RESOURCES  # the check itself reports the unreadable file
    tenant = (document.get("config") or {}).get("landingzone:tenant") or {}
    if not isinstance(tenant, dict):
        return BASE_RESOURCES
    registry = tenant.get("registry")
    if not isinstance(registry, dict):
        registry = {}
    return (
        BASE_RESOURCES
        + PER_ENVIRONMENT * len(_items(tenant.get("environments")))
        + PER_GPU_POOL * len(_items(tenant.get("gpu_pools")))
        + PER_BUCKET * len(_items(registry.get("artifact_buckets")))
        + (REGULATED_EXTRA if tenant.get("tier") == "regulated" else 0)
    )


def _items(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def shard(stacks: Sequence[str], project_dir: Path, k: int, n: int) -> list[str]:
    """The stacks of shard k of n (1-based), in the fleet's order."""
    weights = {stack: estimated_resources(project_dir, stack) for stack in stacks}
    loads = [0] * n
    owner: dict[str, int] = {}
    for stack in sorted(stacks, key=lambda s: (-weights[s], s)):
        lightest = min(range(n), key=lambda i: (loads[i], i))
        owner[stack] = lightest
        loads[lightest] += weights[stack]
    return [stack for stack in stacks if owner[stack] == k - 1]


def _git(project_dir: Path, *args: str) -> list[str]:
    try:
        done = subprocess.run(["git", *args], cwd=project_dir, capture_output=True, text=True, check=True)
    except FileNotFoundError:
        raise SelectionError("--changed-since needs git on PATH") from None
    except subprocess.CalledProcessError as err:
        raise SelectionError(f"git {' '.join(args)} failed: {err.stderr.strip()}") from None
    return [line for line in done.stdout.splitlines() if line.strip()]


def changed_files(project_dir: Path, ref: str) -> list[str]:
    """Paths (relative to the git top level) changed since the merge base of `ref` and HEAD: commits,
    uncommitted edits and new untracked files alike."""
    base = _git(project_dir, "merge-base", ref, "HEAD")
    if not base:
        raise SelectionError(f"--changed-since {ref!r}: no common ancestor with HEAD")
    changed = _git(project_dir, "diff", "--name-only", base[0])
    changed += _git(project_dir, "ls-files", "--others", "--exclude-standard")
    return sorted(set(changed))


def changed_stacks(project_dir: Path, ref: str, stacks: Sequence[str], shared: Iterable[Path]) -> list[str]:
    top = Path(_git(project_dir, "rev-parse", "--show-toplevel")[0])
    prefix = project_dir.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    shared_paths = {p.resolve() for p in shared}
    touched: set[str] = set()
    for path in changed_files(project_dir, ref):
        if prefix and not path.startswith(prefix):
            continue
        relative = path[len(prefix) :]
        if (top / path).resolve() in shared_paths or relative.startswith(GATE_INPUT_PREFIXES):
            return list(stacks)
        if relative.startswith("stacks/Pulumi.") and relative.endswith(".yaml"):
            touched.add(relative[len("stacks/Pulumi.") : -len(".yaml")])
    return [stack for stack in stacks if stack in touched]
