"""The evidence bundle: every API response the audit judged, the verdicts, and a manifest of hashes.

Written into a temporary sibling directory and renamed into place, so a reader (or an auditor's upload
job) never sees half a bundle: either the whole bundle is there, or none of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tenantctl.audit.model import TOOL_NAME, TOOL_VERSION, AuditReport
from tenantctl.audit.reader import json_default


class EvidenceError(Exception):
    """The bundle cannot be written where asked (the directory exists and is not empty)."""


def check_destination(directory: Path) -> None:
    """Fail before the audit runs rather than after, when the bundle could not be put in place."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise EvidenceError(
            f"{directory} exists and is not an empty directory; evidence is never overwritten"
        )


def _dump(value: Any) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, default=json_default) + "\n").encode()


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def write_bundle(report: AuditReport, directory: Path) -> Path:
    check_destination(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        files: dict[str, bytes] = {
            f"responses/{_safe(call.ref)}.json": _dump(call.as_dict()) for call in report.responses
        }
        files["results.json"] = _dump(report.as_dict())
        for relative, content in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        manifest = {
            "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
            "catalog_version": report.catalog_version,
            "generated_at": report.finished_at.isoformat(),
            "tenant": report.target.tenant_id,
            "tier": report.target.tier,
            "account_id": report.target.account_id,
            "region": report.target.region,
            "caller_arn": report.target.caller_arn,
            "provenance": report.provenance,
            "stamped_versions": report.stamped_versions,
            "files": [
                {"path": relative, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
                for relative, content in sorted(files.items())
            ],
        }
        (staging / "manifest.json").write_bytes(_dump(manifest))
        if directory.exists():
            directory.rmdir()  # empty (checked above); rename cannot replace a directory
        os.replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory
