"""Decision records: what `tenantctl check` decided for a stack, and which code and policies decided it.

Every check writes one per stack (default `build/decision-records/<stack>.json`, `--decision-records
DIR`). The shape is versioned in tenantctl/schemas/decision-record-v<N>.schema.json; a record is
validated against it when written and when loaded, so a record that loads is one the schema describes.
The deploy workflow keeps the record of the preview it approved (docs/incident-response.md, "Evidence").

A record holds policy names, levels, findings and exemptions, never resource inputs: the findings'
messages are the check's, already scrubbed of secret values.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from tenantctl import json_text
from tenantctl.model import StackResult, plain
from tenantctl.provenance import provenance

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schemas" / f"decision-record-v{SCHEMA_VERSION}.schema.json"
DEFAULT_DIRECTORY = Path("build") / "decision-records"


class DecisionRecordError(Exception):
    """A record that does not match its schema (named file, the field and what is allowed)."""


@dataclass(frozen=True)
class PolicyLevel:
    pack: str
    name: str
    control: str
    enforcement: str
    declared: str
    severity: str
    status: str


@dataclass(frozen=True)
class RecordedFinding:
    kind: str
    pack: str
    policy: str
    control: str
    enforcement: str
    severity: str
    urn: str
    message: str


@dataclass(frozen=True)
class RecordedExemption:
    pack: str
    policy: str
    urn: str
    reason: str


@dataclass(frozen=True)
class DecisionRecord:
    created_at: str
    stack: str
    tenant: str
    tier: str
    verdict: str
    strict: bool
    status: str
    error: str
    git_commit: str
    project_version: str
    catalog_version: str
    packs: dict[str, str]
    program_sha256: str | None
    stack_file_sha256: str | None
    policy_config_sha256: str
    policies: list[PolicyLevel] = field(default_factory=list)
    findings: list[RecordedFinding] = field(default_factory=list)
    exemptions: list[RecordedExemption] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = plain(self)
        return result

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DecisionRecord:
        values = dict(data)
        values["policies"] = [PolicyLevel(**p) for p in data["policies"]]
        values["findings"] = [RecordedFinding(**f) for f in data["findings"]]
        values["exemptions"] = [RecordedExemption(**e) for e in data["exemptions"]]
        values["packs"] = dict(data["packs"])
        return cls(**values)


@cache
def schema() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return document


@cache
def _compiled_schema() -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(schema(), validate_formats=True)


def validate(data: Mapping[str, Any], source: str) -> None:
    """Raise DecisionRecordError naming every field of `data` the schema refuses.

    Every check writes one record per stack, so the yes/no is jsonschema-rs (~20 µs a record; the
    pure-Python validator took ~7 ms, most of an unchanged fleet's re-check). Only a refused record
    is described, by python-jsonschema, whose messages list what is allowed; should it find nothing
    (it checks fewer formats), jsonschema-rs's own messages are given.
    """
    if _compiled_schema().is_valid(data):
        return
    import jsonschema  # only to describe a refused record

    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    problems = [
        (list(problem.absolute_path), problem.message)
        for problem in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ] or [(list(problem.instance_path), problem.message) for problem in _compiled_schema().iter_errors(data)]
    described = "; ".join(
        f"{'.'.join(str(p) for p in path) or '(record)'}: {message}" for path, message in problems
    )
    raise DecisionRecordError(f"{source}: not a decision record v{SCHEMA_VERSION}: {described}")


def policy_config_sha256(policy_config: Mapping[str, Any]) -> str:
    canonical = json.dumps(policy_config, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def build(
    result: StackResult,
    project_dir: Path,
    policy_config: Mapping[str, Any],
    strict: bool,
    run: Mapping[str, Any] | None = None,
) -> DecisionRecord:
    """The stack's record; `run` is `provenance(project_dir)` when the caller builds several."""
    origin = provenance(project_dir, result.stack, run)
    return DecisionRecord(
        created_at=result.checked_at,
        stack=result.stack,
        tenant=result.tenant,
        tier=result.tier,
        verdict=result.verdict(strict),
        strict=strict,
        status=result.status,
        error=result.error,
        git_commit=origin["git_commit"],
        project_version=origin["project_version"],
        catalog_version=origin["catalog_version"],
        packs=dict(result.packs),
        program_sha256=origin["program_sha256"],
        stack_file_sha256=origin["stack_file_sha256"],
        policy_config_sha256=policy_config_sha256(policy_config),
        policies=[
            PolicyLevel(
                p.facts.pack,
                p.facts.name,
                p.facts.control,
                p.enforcement,
                p.facts.declared,
                p.facts.severity,
                p.status,
            )
            for p in result.policies
        ],
        findings=[
            RecordedFinding(f.kind, f.pack, f.policy, f.control, f.enforcement, f.severity, f.urn, f.message)
            for f in result.findings
        ],
        exemptions=[RecordedExemption(e.pack, e.policy, e.urn, e.reason) for e in result.exemptions],
    )


def write(record: DecisionRecord, directory: Path) -> Path:
    """Validate, then write `<directory>/<stack>.json` atomically (a reader never sees half a record)."""
    data = record.to_dict()
    target = directory / f"{record.stack}.json"
    validate(data, str(target))
    directory.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(json_text.indented(data, sort_keys=True))
        os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)
    return target


def load(path: Path) -> DecisionRecord:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise DecisionRecordError(f"{path}: cannot read a decision record: {err}") from None
    validate(data, str(path))
    return DecisionRecord.from_dict(data)
