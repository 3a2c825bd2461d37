"""The SARIF 2.1.0 pieces the gate (reports/sarif.py) and the audit (audit/report.py) both write.

One place for the envelope, locations and fingerprints, so both logs read alike in GitHub code
scanning: physical locations are relative to %SRCROOT% (the project root), logical locations name
a resource by its URN or ARN, and `partialFingerprints` hash what identifies a finding (never a line
number or a time), so an alert keeps its identity when code above it moves or the run is repeated.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "tenantctlFinding/v2"


def physical(uri: str, line: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT},
            "region": {"startLine": max(1, line)},
        }
    }


def related(location_id: int, uri: str, line: int, text: str) -> dict[str, Any]:
    return {"id": location_id, **physical(uri, line), "message": {"text": text}}


def logical(name: str, fully_qualified_name: str, kind: str = "resource") -> dict[str, Any]:
    return {"name": name, "fullyQualifiedName": fully_qualified_name, "kind": kind}


def fingerprint(*parts: str) -> dict[str, str]:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return {FINGERPRINT_KEY: digest[:32]}


def log(
    *,
    driver: dict[str, Any],
    results: Sequence[dict[str, Any]],
    invocation: dict[str, Any] | None = None,
    project_dir: Path | None = None,
    properties: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A one-run SARIF log."""
    run: dict[str, Any] = {"tool": {"driver": driver}}
    if invocation is not None:
        run["invocations"] = [invocation]
    if project_dir is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": project_dir.resolve().as_uri() + "/"}}
    run["results"] = list(results)
    run["columnKind"] = "unicodeCodePoints"
    if properties:
        run["properties"] = properties
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def dumps(document: dict[str, Any], default: Any = None) -> str:
    return json.dumps(document, indent=2, default=default) + "\n"
