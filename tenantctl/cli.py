"""The `tenantctl` command line: the parser, `check` and `plan`, and what every command shares.

What users read in `--help` lives in helptext.py. Shared behaviour of every sub-command, wired here:
`--json -` puts only JSON on stdout (human text then goes to stderr, see `human_console`); a closed
stdout (`tenantctl ... | head`) ends quietly, the standard way for a Unix filter, not as exit 1 (the
"violations" code); output is never hard-wrapped when stdout is not a terminal.

Long (about 510 lines) because it is the whole command surface: the parser of every subcommand and
the handlers that turn their results into exit codes; the work itself lives in the modules they call.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import functools
import importlib
import os
import signal
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from tenantctl.check import (
    EXIT_CRASH,
    EXIT_USAGE,
    CheckOptions,
    PolicyConfigFileError,
    StackResult,
    exit_code,
)
from tenantctl.helptext import add_command

if TYPE_CHECKING:
    from tenantctl.gate_inputs import PolicyConfig

# Other engineers' sub-commands: each module exposes `register(subparsers)` and sets `func` on its
# parsers. They are imported only when the command line is not one of ours, so `check` and `plan`
# never pay for their imports (boto3 and friends) nor depend on them.
SUBCOMMAND_MODULES = (
    "tenantctl.audit",
    "tenantctl.onboarding",
    "tenantctl.quarantine",
    "tenantctl.pack_build",
)
OWN_COMMANDS = ("check", "plan", "merge")
# Not a terminal (CI logs, files, pipes): rich would lay tables out at 80 columns and wrap every line.
# Text is then not wrapped at all (soft wrap) and tables get this width unless COLUMNS says otherwise.
CI_WIDTH = 240


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit 1, the code of "violations"; `main` ends a closed pipe the Unix way instead.
        self.quiet = True
        raise BrokenPipeError


def _console(stderr: bool = False) -> Console:
    probe = _Console(stderr=stderr)
    if probe.is_terminal:
        return probe
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) > 0 else CI_WIDTH
    return _Console(stderr=stderr, width=width, soft_wrap=True)


def human_console(args: argparse.Namespace) -> Console:
    """Where a command's human text goes: stderr when `--json -` claims stdout for the JSON alone."""
    return _console(stderr=json_to_stdout(args))


def json_to_stdout(args: argparse.Namespace) -> bool:
    return str(getattr(args, "json", None) or "") == "-"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict", action="store_true", help="also fail on mandatory policies undecided in preview"
    )
    parser.add_argument(
        "--policy-pack-config", type=Path, metavar="FILE", help="policy config JSON (CLI shape)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="check even stacks unchanged since a clean check"
    )
    parser.add_argument(
        "--jobs", type=_positive, default=0, metavar="N", help="worker processes (default: CPUs)"
    )
    parser.add_argument(
        "--project-dir", type=Path, default=Path("."), metavar="DIR", help="project root (default: .)"
    )
    # Where the pack folders are; tests point it at packs of their own.
    parser.add_argument("--packs-dir", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar (it shows on terminals only)"
    )


def register(subparsers: Any) -> None:
    check = add_command(subparsers, "check")
    which = check.add_mutually_exclusive_group(required=True)
    which.add_argument("--stack", action="append", metavar="NAME", help="stack to check (repeatable)")
    which.add_argument("--all", action="store_true", help="every stack in stacks/, in parallel")
    which.add_argument(
        "--stack-export",
        action="append",
        type=Path,
        metavar="FILE",
        help="judge a `pulumi stack export` file (repeatable: parts of one stack are judged together)",
    )
    _common(check)
    check.add_argument(
        "--shard", metavar="K/N", help="check only shard K of N of the stacks (CI matrices; see `merge`)"
    )
    check.add_argument(
        "--changed-since",
        metavar="REF",
        help="check only stacks a change since git REF can affect (all of them if shared code changed)",
    )
    check.add_argument(
        "--json", type=Path, metavar="PATH", help="write the JSON report ('-': stdout, text to stderr)"
    )
    check.add_argument("--sarif", type=Path, metavar="PATH", help="write SARIF 2.1.0 (GitHub code scanning)")
    check.add_argument("--junit", type=Path, metavar="PATH", help="write JUnit XML")
    check.add_argument("--markdown", type=Path, metavar="PATH", help="write the Markdown PR comment")
    check.add_argument(
        "--decision-records",
        type=Path,
        metavar="DIR",
        default=None,
        help="where each stack's decision record goes (default build/decision-records under the project)",
    )
    check.set_defaults(func=handle_check)

    plan = add_command(subparsers, "plan")
    plan.add_argument("--stack", action="append", required=True, metavar="NAME", help="stack (repeatable)")
    _common(plan)
    plan.add_argument(
        "--json", type=Path, metavar="PATH", help="write the JSON report ('-': stdout, text to stderr)"
    )
    plan.set_defaults(func=handle_plan)

    merge = add_command(subparsers, "merge")
    merge.add_argument(
        "reports", type=Path, nargs="+", metavar="SHARD.json", help="JSON reports of the shards"
    )
    merge.add_argument(
        "--project-dir",
        type=Path,
        default=Path.cwd(),
        metavar="DIR",
        help="project root, for SARIF paths (cwd)",
    )
    merge.add_argument("--json", type=Path, metavar="PATH", help="write the merged JSON report")
    merge.add_argument("--sarif", type=Path, metavar="PATH", help="write merged SARIF 2.1.0")
    merge.add_argument("--junit", type=Path, metavar="PATH", help="write merged JUnit XML")
    merge.add_argument("--markdown", type=Path, metavar="PATH", help="write the merged Markdown PR comment")
    merge.set_defaults(func=handle_merge)


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tenantctl",
        description=(
            "Secure-by-default tenant landing zones on AWS/EKS: gate changes (check, plan), onboard\n"
            "tenants (onboard, validate, tenants) and audit deployed ones (audit).\n"
            "`tenantctl COMMAND --help` shows a command's options, examples and exit codes."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="show tenantctl's, the control catalog's and the packs' versions",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    register(subparsers)
    if not (argv and argv[0] in OWN_COMMANDS):
        for module in SUBCOMMAND_MODULES:
            importlib.import_module(module).register(subparsers)
    return parser


class _VersionAction(argparse.Action):
    """`--version`, computed only when asked (it reads the catalog and the packs' PulumiPolicy.yaml)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        from tenantctl.versions import version_text

        sys.stdout.write(version_text() + "\n")
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            args = build_parser(args_list).parse_args(args_list)
        except SystemExit:
            sys.stdout.flush()  # --help and --version: a closed pipe shows here, not at shutdown
            raise
        project_dir = getattr(args, "project_dir", None)
        if isinstance(project_dir, Path) and not project_dir.is_dir():
            _console(stderr=True).print(
                f"tenantctl {args.command}: project directory {project_dir} does not exist",
                style="bold red",
                markup=False,
            )
            return EXIT_USAGE
        code = int(args.func(args))
        sys.stdout.flush()  # here, where a closed pipe can still be handled
        return code
    except KeyboardInterrupt:
        _console(stderr=True).print("interrupted", style="bold red")
        return 130
    except BrokenPipeError:
        return _closed_pipe()


def _closed_pipe() -> int:
    """The reader of stdout went away (`| head`): stop quietly with the code of SIGPIPE (128 + 13).

    Python's advice: point stdout at devnull so the interpreter's final flush cannot raise again.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 128 + signal.SIGPIPE


def entry() -> None:
    """The console script and `python -m tenantctl`: main(), then exit without tearing the interpreter down.

    After a check the process holds the Pulumi SDK and ~7,000 provider classes; CPython's orderly
    finalization of them takes about a second, longer than the policy analysis itself. Everything
    tenantctl writes is closed by then, so it flushes stdout and stderr, runs the atexit handlers
    (logging, worker pools, pack zygotes) and leaves with os._exit.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        # A reader that went away (`| head`) or a stream already closed: nothing left to say.
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)


# ---------------------------------------------------------------- check and plan


class UsageError(Exception):
    pass


def _stacks(args: argparse.Namespace, project_dir: Path) -> list[str]:
    from tenantctl.worker import all_stacks

    if not (project_dir / "stacks").is_dir():
        raise UsageError(
            f"{project_dir} has no stacks/ folder; run from the project root or pass --project-dir"
        )
    if getattr(args, "stack_export", None):
        from tenantctl.stack_export import StackExportError, stack_names

        try:
            return stack_names(args.stack_export)
        except StackExportError as err:
            raise UsageError(str(err)) from None
    if getattr(args, "all", False):
        stacks = all_stacks(project_dir)
        if not stacks:
            raise UsageError(f"no stack files (Pulumi.<stack>.yaml) in {project_dir / 'stacks'}")
        return _selected(args, project_dir, stacks)
    stacks = list(dict.fromkeys(args.stack))
    missing = [s for s in stacks if not (project_dir / "stacks" / f"Pulumi.{s}.yaml").is_file()]
    if missing:
        known = ", ".join(all_stacks(project_dir)) or "none"
        files = ", ".join(f"stacks/Pulumi.{s}.yaml" for s in missing)
        raise UsageError(f"no such stack: {', '.join(missing)} ({files} not found); stacks: {known}")
    return _selected(args, project_dir, stacks)


def _selected(args: argparse.Namespace, project_dir: Path, stacks: list[str]) -> list[str]:
    """The stacks left after --changed-since and --shard (in that order: shards split what changed)."""
    from tenantctl import selection
    from tenantctl.cache import shared_inputs

    try:
        if getattr(args, "changed_since", None):
            packs_dir = (args.packs_dir or project_dir / "policy_packs").resolve()
            shared = [path for _label, path in shared_inputs(project_dir, packs_dir)]
            stacks = selection.changed_stacks(project_dir, args.changed_since, stacks, shared)
        if getattr(args, "shard", None):
            k, n = selection.parse_shard(args.shard)
            stacks = selection.shard(stacks, project_dir, k, n)
    except selection.SelectionError as err:
        raise UsageError(str(err)) from None
    return stacks


def _run(args: argparse.Namespace) -> tuple[list[StackResult], int, PolicyConfig] | int:
    """Check the stacks; an int answer is an exit code for a problem found before any check ran.

    Also answers the policy config as the check read it, so nothing after the check reads the file
    again (it may have changed meanwhile).
    """
    from tenantctl.gate_inputs import add_findings, fleet_findings, review_policy_config
    from tenantctl.worker import run_fleet

    project_dir = args.project_dir.resolve()
    try:
        stacks = _stacks(args, project_dir)
        policy = review_policy_config(_policy_config_path(args, project_dir), project_dir)
        for report in _report_paths(args):
            _check_writable(report)
    except (UsageError, PolicyConfigFileError) as err:
        _console(stderr=True).print(f"tenantctl {args.command}: {err}", style="bold red", markup=False)
        return EXIT_USAGE
    packs_dir = (args.packs_dir or project_dir / "policy_packs").resolve()
    exports = tuple(p.resolve() for p in getattr(args, "stack_export", None) or ())
    options = CheckOptions(
        project_dir=project_dir, packs_dir=packs_dir, policy_config=policy.config, stack_exports=exports
    )
    progress_console = _console(stderr=True)
    show_progress = progress_console.is_terminal and not args.no_progress
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=progress_console,
        transient=True,
        disable=not show_progress,
    ) as progress:
        task = progress.add_task(f"checking {len(stacks)} stack(s)", total=len(stacks))

        def started(to_check: int, cached: int) -> None:
            progress.update(task, description=f"checking {to_check} stack(s), {cached} unchanged since clean")

        def finished(result: StackResult) -> None:
            progress.advance(task)

        results = run_fleet(
            stacks,
            options,
            policy_config_text=policy.cache_text,
            jobs=args.jobs,
            # The cache keys on the program's inputs, which say nothing about an export's content.
            use_cache=not args.no_cache and not exports,
            strict=args.strict,
            on_result=finished,
            on_start=started,
        )
    add_findings(results, policy, fleet_findings(project_dir))
    return results, exit_code(results, args.strict), policy


def _policy_config_path(args: argparse.Namespace, project_dir: Path) -> Path | None:
    """--policy-pack-config, else the project's conventional file when it has one."""
    from tenantctl.gate_inputs import conventional_path

    if args.policy_pack_config is not None:
        return Path(args.policy_pack_config)
    conventional = conventional_path(project_dir)
    return conventional if conventional.is_file() else None


def _report_paths(args: argparse.Namespace) -> list[Path]:
    return [p for p in (getattr(args, k, None) for k in ("json", "sarif", "junit", "markdown")) if p]


def _check_writable(path: Path) -> None:
    """A report that cannot be written is found before the run, not after minutes of checking."""
    if path.is_dir():
        raise UsageError(f"cannot write a report to {path}: it is a directory")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write a report to {path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"cannot write a report to {path}: permission denied")


def _fail_closed(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A bug in tenantctl itself is a crash (exit 3), never a Python traceback's exit 1 ("violations")."""

    @functools.wraps(handler)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception:  # noqa: BLE001 - fail closed on anything unexpected
            _console(stderr=True).print(traceback.format_exc(), markup=False, highlight=False)
            _console(stderr=True).print("tenantctl crashed: failing closed (exit 3)", style="bold red")
            return EXIT_CRASH

    return wrapper


@_fail_closed
def handle_check(args: argparse.Namespace) -> int:
    from tenantctl.cache import tenantctl_version
    from tenantctl.reports import terminal

    console = human_console(args)
    outcome = _run(args)
    if isinstance(outcome, int):
        return outcome
    results, code, policy_config = outcome
    terminal.render(console, results, args.strict, code)
    # A stack that could not be checked is its own error row in every report; the others are reported.
    code = _write_reports(args, results, args.strict, code, tenantctl_version())
    try:
        _write_decision_records(args, results, args.project_dir.resolve(), policy_config.source)
    except OSError as err:
        _console(stderr=True).print(
            f"tenantctl check: cannot write a decision record: {err}", style="bold red", markup=False
        )
        return code if code == EXIT_CRASH else EXIT_USAGE
    return code


def _write_reports(
    args: argparse.Namespace, results: list[StackResult], strict: bool, code: int, version: str
) -> int:
    """Write the report files asked for; the exit code stays `code` unless one cannot be written."""
    from tenantctl.reports import json_report, junit, markdown, sarif

    project_dir = args.project_dir.resolve()
    try:
        if args.json:
            json_report.write(args.json, results, strict, code, version)
        if args.sarif:
            sarif.write(args.sarif, results, project_dir, strict, version)
        if args.junit:
            junit.write(args.junit, results, strict)
        if args.markdown:
            args.markdown.write_text(markdown.build(results, strict, code))
    except BrokenPipeError:
        raise
    except OSError as err:
        _console(stderr=True).print(
            f"tenantctl {args.command}: cannot write a report: {err}", style="bold red", markup=False
        )
        return code if code == EXIT_CRASH else EXIT_USAGE
    return code


def _write_decision_records(
    args: argparse.Namespace, results: list[StackResult], project_dir: Path, policy_config: Mapping[str, Any]
) -> None:
    """One record per stack; `policy_config` is the file as the check read it."""
    from tenantctl import decision_record
    from tenantctl.provenance import provenance

    directory = args.decision_records or project_dir / decision_record.DEFAULT_DIRECTORY
    run = provenance(project_dir)  # versions, git state, program hash: once per run, not per stack
    for result in results:
        record = decision_record.build(result, project_dir, policy_config, args.strict, run)
        decision_record.write(record, directory)


@_fail_closed
def handle_merge(args: argparse.Namespace) -> int:
    from tenantctl.merge import MergeError, merge
    from tenantctl.reports import terminal

    try:
        results, strict, code, version = merge(args.reports)
    except MergeError as err:
        _console(stderr=True).print(f"tenantctl merge: {err}", style="bold red", markup=False)
        return EXIT_USAGE
    terminal.render(_console(), results, strict, code)
    return _write_reports(args, results, strict, code, version)


@_fail_closed
def handle_plan(args: argparse.Namespace) -> int:
    from tenantctl.cache import tenantctl_version
    from tenantctl.plan import render_plan
    from tenantctl.reports import json_report
    from tenantctl.reports.terminal import render_summary

    console = human_console(args)
    outcome = _run(args)
    if isinstance(outcome, int):
        return outcome
    results, code, _policy_config = outcome
    for result in results:
        render_plan(console, result, args.strict)
    render_summary(console, results, args.strict, code)
    if args.json:
        json_report.write(args.json, results, args.strict, code, tenantctl_version())
    return code
