"""The JSON report: every stack's result as data, plus the run's verdict and exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tenantctl import json_text
from tenantctl.check import StackResult

SCHEMA_VERSION = 1


def build(results: Sequence[StackResult], strict: bool, exit_code: int, version: str) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "tenantctl", "version": version},
        "strict": strict,
        "exit_code": exit_code,
        "stacks": [
            {
                "stack": r.stack,
                "verdict": r.verdict(strict),
                "counts": r.counts(),
                **{k: v for k, v in r.to_dict().items() if k != "stack"},
            }
            for r in results
        ],
    }


def write(path: Path, results: Sequence[StackResult], strict: bool, exit_code: int, version: str) -> None:
    """Write the report to `path`; `-` is stdout."""
    write_json(path, build(results, strict, exit_code, version))


def write_json(path: Path | str, document: Any) -> None:
    """JSON to a file, or to stdout for `-` (every command's `--json -`)."""
    text = json_text.indented(document)
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        Path(path).write_text(text)
