"""Terminal output of `validate` and `tenants` (rich), and the JSON report of `validate`."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from landingzone.config import GpuSharing, StackSettings
from landingzone.gpu import load_catalog
from tenantctl.onboarding.fleet import FleetReport

VerdictLookup = Callable[[Path, str], dict[str, Any] | None]


def print_validation(report: FleetReport, console: Console) -> None:
    for stack in report.stacks:
        line = Text()
        if stack.ok:
            line.append("ok      ", style="bold green")
            line.append(f"{stack.stack}  ", style="bold")
            line.append(stack.source, style="dim")
            console.print(line)
            continue
        line.append("invalid ", style="bold red")
        line.append(f"{stack.stack}  ", style="bold")
        line.append(f"{stack.source}: {len(stack.problems)} problem(s)", style="dim")
        console.print(line)
        for problem in stack.problems:
            # Text, not markup: problems quote user values such as "['x']" that rich would eat as tags.
            console.print(Text(f"  - {problem}"))
    bad = sum(not s.ok for s in report.stacks)
    summary = f"{len(report.stacks)} stack(s): {len(report.stacks) - bad} ok, {bad} with problems"
    console.print(Text(summary, style="bold green" if report.ok else "bold red"))


def write_json(report: FleetReport, destination: str) -> None:
    text = json.dumps(report.as_json(), indent=2) + "\n"
    if destination == "-":
        print(text, end="")
    else:
        Path(destination).write_text(text)


def tenants_table(report: FleetReport, project_dir: Path, last_verdict: VerdictLookup | None) -> Table:
    table = Table(title="Tenants", title_justify="left")
    for column in ("Tenant", "Tier", "Environments", "CIDR", "GPU pools", "Last check"):
        table.add_column(column, overflow="fold")
    for stack in report.stacks:
        verdict = _verdict(last_verdict, project_dir, stack.stack)
        if stack.settings is None or not stack.ok:
            problems = f"invalid ({len(stack.problems)} problem(s)): tenantctl validate --stack {stack.stack}"
            table.add_row(stack.stack, Text(problems, style="red"), "-", "-", "-", verdict)
            continue
        tenant = stack.settings.tenant
        table.add_row(
            tenant.id,
            tenant.tier.value,
            ", ".join(env.value for env in tenant.environments),
            tenant.network.cidr,
            Text(gpu_summary(stack.settings) or "-"),
            verdict,
        )
    return table


def gpu_summary(settings: StackSettings) -> str:
    """One line per pool: name, GPU count at full scale (GPUs per node x max nodes), model, sharing."""
    catalog = load_catalog()
    lines = []
    for pool in settings.tenant.gpu_pools:
        gpu = catalog.instance(pool.instance_type).gpu
        sharing = f"mig {pool.effective_mig_layout}" if pool.sharing is GpuSharing.MIG else "dedicated"
        count = pool.gpus_per_node * pool.max_size
        lines.append(f"{pool.name}: {count}x {gpu.name} ({sharing})")
    return "\n".join(lines)


def _verdict(last_verdict: VerdictLookup | None, project_dir: Path, stack: str) -> str:
    cached = last_verdict(project_dir, stack) if last_verdict else None
    return str(cached["verdict"]) if cached and "verdict" in cached else "-"


def tenants_json(
    report: FleetReport, project_dir: Path, last_verdict: VerdictLookup | None
) -> dict[str, Any]:
    """The fleet as `tenants --json` writes it: one entry per stack file, the table's columns as data."""
    rows: list[dict[str, Any]] = []
    for stack in report.stacks:
        cached = last_verdict(project_dir, stack.stack) if last_verdict else None
        last = {k: cached[k] for k in ("verdict", "checked_at", "counts") if k in cached} if cached else None
        row: dict[str, Any] = {"stack": stack.stack, "valid": stack.ok, "last_check": last}
        if stack.settings is None or not stack.ok:
            row["problems"] = list(stack.problems)
        else:
            tenant = stack.settings.tenant
            row.update(
                tenant=tenant.id,
                tier=tenant.tier.value,
                environments=[env.value for env in tenant.environments],
                cidr=tenant.network.cidr,
                gpu_pools=gpu_summary(stack.settings).splitlines(),
            )
        rows.append(row)
    return {"tenants": rows}


def verdict_lookup() -> VerdictLookup | None:
    """The last check of a stack when it checked the current files (`tenantctl.cache`), else None.

    Only the cache module's own absence is tolerated: an import error inside it is a bug and propagates.
    """
    try:
        cache = importlib.import_module("tenantctl.cache")
    except ModuleNotFoundError as err:
        if err.name != "tenantctl.cache":
            raise
        return None
    memo: dict[Path, dict[str, Any]] = {}

    def current(project_dir: Path, stack: str) -> dict[str, Any] | None:
        # One hash of the shared inputs per project, not one per row.
        if project_dir not in memo:
            stacks = sorted(
                p.name[len("Pulumi.") : -len(".yaml")] for p in (project_dir / "stacks").glob("Pulumi.*.yaml")
            )
            memo[project_dir] = cache.current_verdicts(project_dir, stacks)
        found: dict[str, Any] | None = memo[project_dir].get(stack)
        return found

    return current
