"""`tenantctl quarantine` and `tenantctl release`: put a tenant into the incident state and take it out.

quarantine --stack X --reason "..." --ticket ID [--responder ROLE_ARN ...]
  1. validates the stack and refuses if it is already quarantined;
  2. writes an audit evidence bundle first when AWS credentials are available (tenantctl audit's
     bundle, into --evidence DIR, default build/incident-evidence/<stack>-<ticket>-<time>), so the
     state before any change is on record; --no-evidence skips it explicitly;
  3. records what holds evidence (run the program: buckets, log groups, repositories, trails, key
     aliases, retention) and the original stack file (base64 + SHA-256) in a `landingzone:incident`
     block, and writes the stack file atomically under onboarding's fleet lock.
release --stack X
  restores the original stack file byte for byte, after checking its hash and that nothing else in
  the stack was changed while quarantined (that change would be lost: refused, nothing written).

The program honours the block (components/incident.py); the packs' quarantine rules enforce it.
Long (about 330 lines) because both commands, the incident block they write and undo, and the evidence
bundle taken first form one procedure; split, the release checks would live apart from what they undo.
Exit codes: 0 done; 2 refused or bad input (nothing written); 3 a crash.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console

from landingzone.config import (
    INCIDENT_KEY,
    ConfigError,
    EvidenceSnapshot,
    IncidentConfig,
    IncidentState,
    StackSettings,
    parse_settings,
    stack_file,
)
from tenantctl.helptext import add_command
from tenantctl.onboarding.errors import Refusal
from tenantctl.onboarding.writer import fleet_lock, replace_atomically

EXIT_OK, EXIT_REFUSED, EXIT_CRASH = 0, 2, 3
EVIDENCE_DIRECTORY = Path("build") / "incident-evidence"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def register(subparsers: Any) -> None:
    quarantine = add_command(subparsers, "quarantine")
    quarantine.add_argument("--stack", required=True, help="stack name: stacks/Pulumi.<NAME>.yaml")
    quarantine.add_argument("--reason", required=True, help="why, in one line (kept in the stack file)")
    quarantine.add_argument("--ticket", required=True, help="incident ticket id (1-63 of A-Za-z0-9._-)")
    quarantine.add_argument(
        "--responder", action="append", default=[], metavar="ROLE_ARN", help="read-only cluster access"
    )
    quarantine.add_argument("--evidence", type=Path, metavar="DIR", help="where the evidence bundle goes")
    quarantine.add_argument(
        "--no-evidence", action="store_true", help="do not write an evidence bundle even with credentials"
    )
    quarantine.add_argument("--region", help="AWS region for the evidence audit (default: the stack's)")
    quarantine.add_argument("--endpoint-url", help="send the evidence audit's AWS calls here (a moto server)")
    quarantine.add_argument("--project-dir", type=Path, default=Path.cwd(), help="project root (cwd)")
    quarantine.set_defaults(func=handle_quarantine)
    release = add_command(subparsers, "release")
    release.add_argument("--stack", required=True, help="stack name: stacks/Pulumi.<NAME>.yaml")
    release.add_argument("--project-dir", type=Path, default=Path.cwd(), help="project root (cwd)")
    release.set_defaults(func=handle_release)


# ---------------------------------------------------------------- the incident block


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _config_of(text: str, source: str) -> dict[str, Any]:
    try:
        document = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as err:
        raise ConfigError(source, [f"not valid YAML: {err}"]) from None
    if not isinstance(document, dict) or not isinstance(document.get("config"), dict):
        raise ConfigError(source, ["config: must be a mapping of config keys to values"])
    return dict(document["config"])


def evidence_snapshot(project_dir: Path, settings: StackSettings) -> EvidenceSnapshot:
    """What holds evidence, read from the program itself (not re-derived from naming conventions)."""
    from tenantctl.check import program_environment, quiet_program_noise
    from tenantctl.program import record_stack

    quiet_program_noise()
    with program_environment(project_dir):
        run = record_stack(project_dir, settings.stack)
    names: dict[str, list[str]] = {}
    wanted = {
        "aws:s3/bucket:Bucket": ("buckets", "bucket"),
        "aws:s3/bucketV2:BucketV2": ("buckets", "bucket"),
        "aws:cloudwatch/logGroup:LogGroup": ("log_groups", "name"),
        "aws:ecr/repository:Repository": ("repositories", "name"),
        "aws:cloudtrail/trail:Trail": ("trails", "name"),
        "aws:kms/alias:Alias": ("key_aliases", "name"),
    }
    for resource in run.resources:
        if resource.type in wanted:
            kind, prop = wanted[resource.type]
            value = (resource.inputs or {}).get(prop)
            if isinstance(value, str):
                names.setdefault(kind, []).append(value)
    retention = settings.tenant.retention
    return EvidenceSnapshot(
        buckets=sorted(names.get("buckets", [])),
        log_groups=sorted(names.get("log_groups", [])),
        repositories=sorted(names.get("repositories", [])),
        trails=sorted(names.get("trails", [])),
        key_aliases=sorted(names.get("key_aliases", [])),
        audit_retention_days=retention.audit_days,
        registry_retention_days=retention.registry_days,
        log_retention_days=retention.log_days,
        artifact_retention_days=retention.artifact_days,
    )


def with_incident(text: str, incident: dict[str, Any]) -> str:
    """The stack file with `landingzone:incident` added under `config:`.

    Appended as text when `config:` is the file's last top-level key (the usual shape), so the diff a
    reviewer sees is the block alone; otherwise the document is re-serialised. Either way the original
    bytes are in the block, and release restores exactly those.
    """
    block = yaml.safe_dump({INCIDENT_KEY: incident}, sort_keys=False, width=10_000, allow_unicode=True)
    top_level = re.findall(r"^([^\s#][^:\n]*):", text, flags=re.MULTILINE)
    if top_level and top_level[-1] == "config":
        children = re.search(r"^config:[^\n]*\n(?:\s*(?:#[^\n]*)?\n)*( +)\S", text, flags=re.MULTILINE)
        indent = children.group(1) if children else "  "
        body = "".join(f"{indent}{line}\n" if line else "\n" for line in block.splitlines())
        return (text if text.endswith("\n") else text + "\n") + body
    document = yaml.load(text, Loader=_LOADER)
    document["config"][INCIDENT_KEY] = incident
    return str(yaml.safe_dump(document, sort_keys=False, width=10_000, allow_unicode=True))


@dataclass(frozen=True)
class Quarantined:
    path: Path
    incident: IncidentConfig


def quarantine(
    project_dir: Path,
    stack: str,
    *,
    reason: str,
    ticket: str,
    responders: list[str] | None = None,
    now: str | None = None,
) -> Quarantined:
    """Write the incident block into the stack file (atomically, under the fleet lock)."""
    path = stack_file(project_dir, stack)
    source = str(path.relative_to(project_dir)) if path.is_relative_to(project_dir) else str(path)
    with fleet_lock(path.parent):
        if not path.is_file():
            raise Refusal(source, ["stack file not found"])
        original = path.read_bytes()
        config = _config_of(original.decode("utf-8"), source)
        if INCIDENT_KEY in config:
            current = config[INCIDENT_KEY] if isinstance(config[INCIDENT_KEY], dict) else {}
            raise Refusal(
                source,
                [
                    f"already quarantined (ticket {current.get('ticket')}, since {current.get('since')}); "
                    f"run tenantctl release --stack {stack} first"
                ],
            )
        settings = parse_settings(stack, config, source)
        block = {
            "state": IncidentState.QUARANTINED.value,
            "ticket": ticket,
            "reason": reason,
            "since": now or utc_now(),
            "responder_role_arns": list(responders or []),
            "evidence": evidence_snapshot(project_dir, settings).model_dump(),
            "original_sha256": hashlib.sha256(original).hexdigest(),
            "original_stack_file": base64.b64encode(original).decode("ascii"),
        }
        text = with_incident(original.decode("utf-8"), block)
        new_config = _config_of(text, source)
        # The new file must say exactly the old config plus the block, and validate as a whole.
        if {k: v for k, v in new_config.items() if k != INCIDENT_KEY} != config:
            raise RuntimeError(f"{source}: adding the incident block changed other config (a bug)")
        validated = parse_settings(stack, new_config, source)
        assert validated.incident is not None
        replace_atomically(path, text.encode("utf-8"))
    return Quarantined(path, validated.incident)


def release(project_dir: Path, stack: str) -> Path:
    """Restore the pre-quarantine stack file, byte for byte; refuse if anything else changed meanwhile."""
    path = stack_file(project_dir, stack)
    source = str(path.relative_to(project_dir)) if path.is_relative_to(project_dir) else str(path)
    with fleet_lock(path.parent):
        if not path.is_file():
            raise Refusal(source, ["stack file not found"])
        config = _config_of(path.read_text(), source)
        if INCIDENT_KEY not in config:
            raise Refusal(source, [f"{INCIDENT_KEY}: not set; the stack is not quarantined"])
        incident = parse_settings(stack, config, source).incident
        assert incident is not None
        original = base64.b64decode(incident.original_stack_file, validate=True)
        if hashlib.sha256(original).hexdigest() != incident.original_sha256:
            raise Refusal(
                source,
                [f"{INCIDENT_KEY}.original_stack_file does not match original_sha256; restore it by hand"],
            )
        current = {k: v for k, v in config.items() if k != INCIDENT_KEY}
        before = _config_of(original.decode("utf-8"), source)
        changed = sorted(set(current) ^ set(before) | {k for k in current if current[k] != before.get(k)})
        if changed:
            raise Refusal(
                source,
                [
                    f"{', '.join(changed)} changed while quarantined; release would undo that change. "
                    "Revert it (or make it again after release)"
                ],
            )
        replace_atomically(path, original)
    return path


# ---------------------------------------------------------------- evidence before quarantine


def write_evidence(args: argparse.Namespace, settings: StackSettings, console: Console, when: str) -> None:
    """tenantctl audit's evidence bundle, when credentials exist; said plainly when they do not."""
    import boto3

    from tenantctl.audit.clients import ClientFactory
    from tenantctl.audit.evidence import check_destination, write_bundle
    from tenantctl.audit.model import Declared
    from tenantctl.audit.runner import run_audit
    from tenantctl.provenance import provenance

    region = args.region or settings.region
    clients = ClientFactory(boto3.Session(region_name=region), region, args.endpoint_url)
    if not clients.has_credentials():
        console.print(
            "no AWS credentials: no evidence bundle written. Run `tenantctl audit --stack "
            f"{settings.stack} --evidence DIR` as soon as you have them.",
            markup=False,
        )
        return
    stamp = when.replace(":", "").replace("-", "")
    directory = args.evidence or (
        Path(args.project_dir).resolve() / EVIDENCE_DIRECTORY / f"{settings.stack}-{args.ticket}-{stamp}"
    )
    check_destination(directory)
    tenant = settings.tenant
    report = run_audit(
        clients,
        tenant.id,
        tenant.tier.value,
        region,
        account_id=settings.platform.account_id,
        egress=tenant.network.egress.value,
        security_archive_bucket=settings.platform.security_archive_bucket,
        declared=Declared.from_settings(settings),
        provenance=provenance(Path(args.project_dir).resolve(), settings.stack),
    )
    write_bundle(report, directory)
    console.print(f"evidence bundle: {directory} ({len(report.responses)} responses)", markup=False)


# ---------------------------------------------------------------- handlers


def handle_quarantine(args: argparse.Namespace, console: Console | None = None) -> int:
    from landingzone.config import load_stack
    from tenantctl.audit.evidence import EvidenceError
    from tenantctl.audit.runner import AccountError

    console = console or Console()
    project_dir = Path(args.project_dir).resolve()
    try:
        settings = load_stack(project_dir, args.stack)
        if settings.incident is not None:
            raise Refusal(
                f"stacks/Pulumi.{args.stack}.yaml",
                [f"already quarantined (ticket {settings.incident.ticket}, since {settings.incident.since})"],
            )
        when = utc_now()
        if not args.no_evidence:
            write_evidence(args, settings, console, when)
        done = quarantine(
            project_dir,
            args.stack,
            reason=args.reason,
            ticket=args.ticket,
            responders=args.responder,
            now=when,
        )
    except (ConfigError, Refusal, EvidenceError, AccountError) as err:
        console.print(f"error: {err}", markup=False)
        return EXIT_REFUSED
    except Exception:  # noqa: BLE001 - fail closed with a trace, never a half-done quarantine unnoticed
        console.print("tenantctl quarantine crashed (a bug; the trace follows):")
        console.print(traceback.format_exc(), markup=False, highlight=False)
        return EXIT_CRASH
    console.print(
        f"quarantined {args.stack} (ticket {done.incident.ticket}, since {done.incident.since}): "
        f"{done.path} updated. Commit it and deploy; `tenantctl release --stack {args.stack}` ends it.",
        markup=False,
    )
    return EXIT_OK


def handle_release(args: argparse.Namespace, console: Console | None = None) -> int:
    console = console or Console()
    try:
        path = release(Path(args.project_dir).resolve(), args.stack)
    except (ConfigError, Refusal) as err:
        console.print(f"error: {err}", markup=False)
        return EXIT_REFUSED
    except Exception:  # noqa: BLE001 - fail closed with a trace
        console.print("tenantctl release crashed (a bug; the trace follows):")
        console.print(traceback.format_exc(), markup=False, highlight=False)
        return EXIT_CRASH
    console.print(f"released {args.stack}: {path} restored as it was before the quarantine", markup=False)
    return EXIT_OK
