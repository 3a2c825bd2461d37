"""`tenantctl audit`: argument parsing, exit codes and wiring; the audit itself lives in runner.run_audit.

Exit codes (the user-facing text is in tenantctl/helptext.py): 0 every observable check passed;
1 a check failed or the live state drifted from the stack; 2 bad usage or config, no credentials,
an unreachable endpoint, credentials for another account than the stack's (pass --account to say
that account is intended), or nothing of the tenant in the region (almost always the wrong region
or account, so it must not look like a clean pass); 3 an unexpected crash.

The audited account is always the one STS GetCallerIdentity names for the credentials, never the
stack's configured account_id: reports and the evidence manifest say which account was really read.
"""

from __future__ import annotations

import argparse
import traceback
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import (
    CredentialRetrievalError,
    EndpointConnectionError,
    InvalidConfigError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
)
from rich.console import Console

from landingzone.config import ConfigError, load_stack
from tenantctl.audit.clients import ClientFactory
from tenantctl.audit.evidence import EvidenceError, check_destination, write_bundle
from tenantctl.audit.model import Declared
from tenantctl.audit.report import print_terminal, write_outputs
from tenantctl.audit.runner import AccountError, run_audit
from tenantctl.helptext import add_command
from tenantctl.provenance import provenance
from tenantctl.reports.locations import index_stack_file

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 3


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `audit` sub-command to an argparse subparsers object; its handler is in `func`."""
    parser = add_command(subparsers, "audit")
    parser.add_argument("--stack", required=True, help="stack name: reads stacks/Pulumi.<NAME>.yaml")
    parser.add_argument("--region", help="AWS region to audit (default: the stack's aws:region)")
    parser.add_argument("--endpoint-url", help="send every AWS call to this endpoint (e.g. a moto server)")
    parser.add_argument(
        "--json",
        type=Path,
        metavar="PATH",
        help="write the report as JSON to PATH ('-': stdout, text to stderr)",
    )
    parser.add_argument("--markdown", type=Path, metavar="PATH", help="write the report as Markdown to PATH")
    parser.add_argument("--sarif", type=Path, metavar="PATH", help="write failures as SARIF 2.1.0 to PATH")
    parser.add_argument(
        "--evidence", type=Path, metavar="DIR", help="write the evidence bundle to DIR (new or empty)"
    )
    parser.add_argument(
        "--against-stack",
        action="store_true",
        help="also report drift between the stack's resources and the live ones",
    )
    parser.add_argument(
        "--account",
        metavar="ID",
        help="the account you intend to audit when it is not the stack's account_id (e.g. a restored "
        "copy); the credentials must still be for it",
    )
    parser.add_argument(
        "--project-dir", type=Path, default=Path("."), metavar="DIR", help="project root (default: .)"
    )
    parser.set_defaults(func=handle)
    return parser


class UsageError(Exception):
    """The command line asks for something this installation cannot do."""


def _intended(project_dir: Path, stack: str) -> list[dict[str, Any]]:
    # Imported here: recording the stack runs the Pulumi program in-process, which plain audits never need.
    try:
        from tenantctl import program
    except ImportError as err:
        raise UsageError(f"--against-stack needs tenantctl.program, which is unavailable: {err}") from None
    try:
        run: Any = program.record_stack(project_dir, stack, preview=True)
    except getattr(program, "ProgramError", RuntimeError) as err:
        raise UsageError(f"--against-stack: the stack's program failed: {err}") from None
    # record_stack returns a run holding the resources (early versions returned the list itself).
    resources = getattr(run, "resources", run)
    return [
        {
            "type": r.type,
            "name": r.name,
            "urn": r.urn,
            "inputs": dict(r.inputs or {}),
            # The program line constructing it (tenantctl.sources), for drift and SARIF locations.
            "source": str(r.source[0]) if getattr(r, "source", ()) else None,
        }
        for r in resources
    ]


def handle(args: argparse.Namespace, console: Console | None = None) -> int:
    if console is None:
        from tenantctl.cli import human_console

        console = human_console(args)
    try:
        return _audit(args, console)
    except (ConfigError, EvidenceError, UsageError, AccountError) as err:
        console.print(f"error: {err}", markup=False)
        return EXIT_USAGE
    except (NoCredentialsError, PartialCredentialsError):
        console.print(
            "error: no AWS credentials found. Configure a profile (AWS_PROFILE), environment credentials "
            "or an instance role; the audit only needs read access (e.g. the SecurityAudit policy)."
        )
        return EXIT_USAGE
    except (ProfileNotFound, CredentialRetrievalError, InvalidConfigError) as err:
        console.print(f"error: AWS credentials are misconfigured: {err}", markup=False)
        return EXIT_USAGE
    except NoRegionError:
        console.print("error: no AWS region: pass --region or set aws:region in the stack")
        return EXIT_USAGE
    except EndpointConnectionError as err:
        console.print(f"error: cannot reach the AWS endpoint: {err}")
        return EXIT_USAGE
    except BrokenPipeError:
        raise  # `tenantctl audit ... | head`: the CLI ends quietly
    except Exception:  # noqa: BLE001 - the last line of defence: a crash gets its own exit code and a trace
        console.print("tenantctl audit crashed (a bug; the trace follows):")
        console.print(traceback.format_exc(), markup=False, highlight=False)
        return EXIT_CRASH


def _audit(args: argparse.Namespace, console: Console) -> int:
    project_dir = Path(args.project_dir).resolve()
    settings = load_stack(project_dir, args.stack)
    if args.evidence is not None:
        check_destination(args.evidence)
    region = args.region or settings.region
    session = boto3.Session(region_name=region)
    clients = ClientFactory(session, region, args.endpoint_url)
    if not clients.has_credentials():
        raise NoCredentialsError()
    intended_account = args.account or settings.platform.account_id
    if args.account and args.account != settings.platform.account_id:
        console.print(
            f"note: auditing account {args.account}, not the stack's {settings.platform.account_id} "
            "(--account)",
            markup=False,
        )
    intended = _intended(project_dir, args.stack) if args.against_stack else None
    tenant = settings.tenant
    try:
        report = run_audit(
            clients,
            tenant.id,
            tenant.tier.value,
            region,
            account_id=intended_account,
            egress=tenant.network.egress.value,
            security_archive_bucket=settings.platform.security_archive_bucket,
            intended=intended,
            declared=Declared.from_settings(settings),
            provenance=provenance(project_dir, args.stack),
        )
    except AccountError as err:
        hint = "" if args.account else " (pass --account ID if auditing another account is intended)"
        raise AccountError(f"{err}; the stack's account_id is {settings.platform.account_id}{hint}") from None
    print_terminal(report, console)
    stack_file = index_stack_file(project_dir, args.stack)
    write_outputs(report, args.json, args.markdown, args.sarif, (stack_file.uri, stack_file.tenant_line))
    if args.evidence is not None:
        write_bundle(report, args.evidence)
        console.print(f"evidence bundle: {args.evidence} ({len(report.responses)} responses)")
    return report.exit_code()


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m tenantctl.audit`), until the lead wires `register` into tenantctl."""
    parser = argparse.ArgumentParser(prog="tenantctl")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))
