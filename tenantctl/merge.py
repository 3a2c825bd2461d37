"""`tenantctl merge`: one set of reports from the JSON reports of a sharded gate run.

A CI matrix runs `tenantctl check --all --shard K/N --json shard-K.json` in N jobs; a final job merges
their JSON reports into the SARIF, JUnit, Markdown and JSON the unsharded run would have written
(tests/tenantctl/test_shards.py holds them equal). The merged exit code is the worst of the stacks'
outcomes, computed again from the results, so a shard cannot hide a failure by its own exit code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tenantctl.model import StackResult, exit_code


class MergeError(Exception):
    """Shard reports that cannot be combined; the message names the file and the problem."""


def load_report(path: Path) -> tuple[dict[str, Any], list[StackResult]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise MergeError(f"{path}: cannot read: {err.strerror}") from None
    except ValueError as err:
        raise MergeError(f"{path}: not JSON ({err})") from None
    if not isinstance(document, dict) or not isinstance(document.get("stacks"), list):
        raise MergeError(f"{path}: not a tenantctl JSON report (no 'stacks' list)")
    return document, [StackResult.from_dict(stack) for stack in document["stacks"]]


def merge(paths: Sequence[Path]) -> tuple[list[StackResult], bool, int, str]:
    """(results sorted by stack, strict, exit code, tool version) of the shard reports together."""
    if not paths:
        raise MergeError("no shard reports given")
    results: list[StackResult] = []
    seen: dict[str, Path] = {}
    settings: set[tuple[bool, str]] = set()
    for path in paths:
        document, stacks = load_report(path)
        settings.add((bool(document.get("strict")), str((document.get("tool") or {}).get("version", ""))))
        for result in stacks:
            if result.stack in seen:
                raise MergeError(f"{path}: stack {result.stack} is also in {seen[result.stack]}")
            seen[result.stack] = path
            results.append(result)
    if len(settings) != 1:
        found = ", ".join(f"strict={s} version={v}" for s, v in sorted(settings))
        raise MergeError(f"shard reports come from different runs ({found}); rerun the shards alike")
    ((strict, version),) = settings
    results.sort(key=lambda r: r.stack)
    return results, strict, exit_code(results, strict), version
