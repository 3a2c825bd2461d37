"""The `onboard`, `validate` and `tenants` sub-commands: argument parsing and exit codes only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from landingzone.config import Egress, Tier
from tenantctl.helptext import add_command
from tenantctl.onboarding.errors import Refusal
from tenantctl.onboarding.fleet import validate_fleet
from tenantctl.onboarding.flow import onboard
from tenantctl.onboarding.intake import OnboardRequest, parse_gpu_flag, read_intake, split_list
from tenantctl.onboarding.views import (
    print_validation,
    tenants_json,
    tenants_table,
    verdict_lookup,
    write_json,
)

EXIT_OK = 0
EXIT_REFUSED = 2

GPU_HELP = (
    "a GPU pool: POOL=INSTANCE_TYPE:dedicated|mig[:LAYOUT][:MIN-MAX], e.g. "
    "a100=p4de.24xlarge:mig:all-3g.40gb:0-4 or l40s=g6e.xlarge:dedicated:0-2 (repeatable)"
)


def register(subparsers: Any) -> None:
    """Add `onboard`, `validate` and `tenants` to an argparse subparsers object (handler in args.func)."""
    parser = add_command(subparsers, "onboard")
    parser.add_argument("--tenant", help="tenant id: 3-20 of a-z, 0-9, '-'")
    parser.add_argument("--tier", choices=[t.value for t in Tier])
    parser.add_argument("--environments", help="comma list, e.g. dev,train,prod (default dev,prod)")
    parser.add_argument("--gpu", action="append", metavar="SPEC", help=GPU_HELP)
    parser.add_argument("--egress", choices=[e.value for e in Egress], help="default none")
    parser.add_argument(
        "--allow",
        action="append",
        metavar="CIDR_OR_PL",
        help="egress allowlist entry (repeatable, commas ok)",
    )
    parser.add_argument(
        "--from", dest="intake", metavar="INTAKE_YAML", help="read the request from a file; flags override"
    )
    parser.add_argument(
        "--audit-days", type=int, metavar="N", help="audit-log COMPLIANCE retention (default: the tier's)"
    )
    parser.add_argument(
        "--confirm-compliance-retention",
        action="store_true",
        help="accept a COMPLIANCE retention above platform.yaml's maximum (it cannot be undone)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the stack file instead of writing it")
    _project_dir(parser)
    parser.set_defaults(func=run_onboard)

    parser = add_command(subparsers, "validate")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every stack in stacks/ (the default)")
    which.add_argument("--stack", action="append", metavar="NAME", help="one stack (repeatable)")
    parser.add_argument(
        "--json", metavar="PATH", help="also write the report as JSON ('-': stdout, text to stderr)"
    )
    _project_dir(parser)
    parser.set_defaults(func=run_validate)

    parser = add_command(subparsers, "tenants")
    parser.add_argument(
        "--json", metavar="PATH", help="write the fleet as JSON instead of the table ('-': stdout)"
    )
    _project_dir(parser)
    parser.set_defaults(func=run_tenants)


def _project_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project-dir", type=Path, default=Path("."), metavar="DIR", help="project root (default: .)"
    )


def run_onboard(args: argparse.Namespace, console: Console | None = None) -> int:
    try:
        request, origin = request_from_args(args)
        draft = onboard(request, args.project_dir, origin, dry_run=args.dry_run)
    except Refusal as refusal:
        _console(stderr=True).print(
            f"tenantctl onboard: {refusal}", style="bold red", markup=False, soft_wrap=True
        )
        return EXIT_REFUSED
    if args.dry_run:
        sys.stdout.write(draft.text)  # raw: the YAML's [..] lists must not be read as rich markup
        return EXIT_OK
    cidr, stack = draft.settings.tenant.network.cidr, draft.stack
    console = console or _console()
    console.print(f"onboarded tenant [bold]{stack}[/]: {draft.source} (network {cidr})", highlight=False)
    console.print(f"next: tenantctl check --stack {stack}, then open a pull request", highlight=False)
    return EXIT_OK


def request_from_args(args: argparse.Namespace) -> tuple[OnboardRequest, str]:
    """The request the flags (over the intake file, if any) describe, and where it came from."""
    base = read_intake(Path(args.intake)) if args.intake else OnboardRequest()
    pools, problems = None, []
    if args.gpu:
        pools = []
        for spec in args.gpu:
            try:
                pools.append(parse_gpu_flag(spec))
            except ValueError as err:
                problems.append(str(err))
    if problems:
        raise Refusal("command line", problems)
    allow = [entry for flag in args.allow for entry in split_list(flag)] if args.allow else None
    overrides = {
        "tenant": args.tenant,
        "tier": args.tier,
        "environments": split_list(args.environments) if args.environments is not None else None,
        "gpu_pools": pools,
        "egress": args.egress,
        "egress_allowlist": allow,
        "confirm_compliance_retention": True if args.confirm_compliance_retention else None,
    }
    if args.audit_days is not None:
        given = base.retention.model_dump(exclude_none=True) if base.retention else {}
        overrides["retention"] = {**given, "audit_days": args.audit_days}
    origin = f"{args.intake} + command line" if args.intake else "command line"
    return base.merged(overrides), origin


def run_validate(args: argparse.Namespace, console: Console | None = None) -> int:
    if (refused := _missing_stacks_dir(args.project_dir, "validate")) is not None:
        return refused
    report = validate_fleet(args.project_dir, args.stack)
    # With `--json -` stdout holds the JSON alone; the human lines go to stderr.
    print_validation(report, console or _console(stderr=args.json == "-"))
    if args.json:
        write_json(report, args.json)
    return EXIT_OK if report.ok else EXIT_REFUSED


def run_tenants(args: argparse.Namespace, console: Console | None = None) -> int:
    if (refused := _missing_stacks_dir(args.project_dir, "tenants")) is not None:
        return refused
    report = validate_fleet(args.project_dir)
    if args.json:
        from tenantctl.reports.json_report import write_json as write_document

        write_document(args.json, tenants_json(report, args.project_dir, verdict_lookup()))
        return EXIT_OK
    (console or _console()).print(tenants_table(report, args.project_dir, verdict_lookup()))
    return EXIT_OK


def _missing_stacks_dir(project_dir: Path, command: str) -> int | None:
    """An empty table or report for a folder that is no project would read as "all fine": exit 2."""
    if (project_dir / "stacks").is_dir():
        return None
    what = "does not exist" if not project_dir.is_dir() else "has no stacks/ folder"
    _console(stderr=True).print(
        f"tenantctl {command}: {project_dir} {what}; run from the project root or pass --project-dir",
        style="bold red",
        markup=False,
        soft_wrap=True,
    )
    return EXIT_REFUSED


def _console(stderr: bool = False) -> Console:
    # tenantctl's own console: terminal width on a terminal, a wide fixed width in CI logs.
    from tenantctl.cli import _console as cli_console

    return cli_console(stderr)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m tenantctl.onboarding ...`), also what the tests drive."""
    parser = argparse.ArgumentParser(prog="tenantctl")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))
