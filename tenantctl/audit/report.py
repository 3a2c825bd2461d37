"""Renderings of an AuditReport: rich terminal table, JSON, Markdown and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from landingzone.controls import load_controls
from tenantctl.audit.checks import CHECKS
from tenantctl.audit.model import TOOL_NAME, TOOL_VERSION, AuditReport, CheckResult, Status
from tenantctl.audit.reader import json_default

STATUS_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "bold red",
    Status.NOT_OBSERVABLE: "yellow",
    Status.NOT_APPLICABLE: "dim",
}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _area(control: str) -> str:
    controls = load_controls().controls
    return controls[control].area if control in controls else "other"


def by_area(results: Iterable[CheckResult]) -> dict[str, list[CheckResult]]:
    grouped: dict[str, list[CheckResult]] = {}
    for result in results:
        grouped.setdefault(_area(result.control), []).append(result)
    return grouped


def print_terminal(report: AuditReport, console: Console) -> None:
    target = report.target
    console.print(
        f"[bold]tenantctl audit[/bold] tenant [cyan]{target.tenant_id}[/cyan] ({target.tier}) "
        f"in {target.account_id}/{target.region} as {target.caller_arn or 'unknown caller'}, "
        f"catalog v{report.catalog_version}"
    )
    console.print(f"stamped on the live resources: {_stamps(report)}", markup=False)
    if report.nothing_found:
        console.print(
            f"[bold yellow]Nothing of tenant {target.tenant_id} was found in region {target.region}[/]: "
            "no tenant key, bucket, repository, trail, log group, VPC, cluster or secret. Wrong region, "
            "account or tenant id? Every check is not_observable."
        )
        return
    for area, results in by_area(report.results).items():
        table = Table(title=area, title_justify="left", show_lines=False, expand=False)
        for column in ("control", "check", "status", "resource", "detail"):
            table.add_column(column, overflow="fold")
        for r in results:
            table.add_row(
                r.control, r.check, f"[{STATUS_STYLE[r.status]}]{r.status.value}[/]", r.resource, r.detail
            )
        console.print(table)
    if report.drift:
        table = Table(title="drift against the stack", title_justify="left")
        for column in ("kind", "type", "name", "control", "detail"):
            table.add_column(column, overflow="fold")
        for d in report.drift:
            table.add_row(d.kind, d.type, d.name, d.control or "", d.describe())
        console.print(table)
    counts = report.counts()
    console.print(
        f"[green]{counts['pass']} pass[/green], [red]{counts['fail']} fail[/red], "
        f"[yellow]{counts['not_observable']} not observable[/yellow], "
        f"{counts['not_applicable']} not applicable, {len(report.drift)} drift"
    )


def _stamps(report: AuditReport) -> str:
    """The versions the program stamped on the tenant's resources, e.g. `landingzone/version=0.1.0 (12)`."""
    if not report.stamped_versions:
        return "no version stamps (deployed before stamping, or not by this program)"
    return ", ".join(
        f"{key}={version} ({count})"
        for key, versions in report.stamped_versions.items()
        for version, count in versions.items()
    )


def to_json(report: AuditReport) -> str:
    return json.dumps(report.as_dict(), indent=2, default=json_default)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: AuditReport) -> str:
    target, counts = report.target, report.counts()
    lines = [
        f"# Audit of tenant `{target.tenant_id}` ({target.tier})",
        "",
        f"Account `{target.account_id}` (as `{target.caller_arn}`), region `{target.region}`, "
        f"{TOOL_NAME} {TOOL_VERSION}, control catalog v{report.catalog_version}, "
        f"{report.finished_at.isoformat()}.",
        "",
        f"Stamped on the live resources: {_stamps(report)}.",
        "",
        f"**{counts['pass']} pass, {counts['fail']} fail, {counts['not_observable']} not observable, "
        f"{counts['not_applicable']} not applicable, {len(report.drift)} drift.**",
    ]
    if report.nothing_found:
        lines += [
            "",
            f"Nothing of tenant `{target.tenant_id}` was found in this region: no check is observable.",
        ]
    for area, results in by_area(report.results).items():
        lines += [
            "",
            f"## {area}",
            "",
            "| control | check | status | resource | detail |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {r.control} | `{r.check}` | {r.status.value} | `{_cell(r.resource)}` | {_cell(r.detail)} |"
            for r in results
        ]
    if report.drift:
        lines += ["", "## drift", "", "| kind | type | name | control | detail |", "|---|---|---|---|---|"]
        lines += [
            f"| {d.kind} | `{d.type}` | `{_cell(d.name)}` | {d.control or ''} | {_cell(d.describe())} |"
            for d in report.drift
        ]
    return "\n".join(lines) + "\n"


def _rule_id(control: str, check: str) -> str:
    return f"{control}/{check}"


def to_sarif(report: AuditReport) -> dict[str, Any]:
    catalog = load_controls()
    rules = [
        {
            "id": _rule_id(spec.control, spec.name),
            "name": spec.name,
            "shortDescription": {"text": spec.summary},
            "fullDescription": {
                "text": catalog.controls[spec.control].requirement
                if spec.control in catalog.controls
                else spec.summary
            },
            "properties": {
                "control": spec.control,
                "area": _area(spec.control),
                "level": "regulated" if spec.regulated_only else "baseline",
            },
        }
        for spec in CHECKS
    ]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [
        {
            "ruleId": _rule_id(r.control, r.check),
            "ruleIndex": index[_rule_id(r.control, r.check)],
            "level": "error",
            "message": {"text": f"{r.control} {r.check}: {r.detail}"},
            "locations": [{"logicalLocations": [{"fullyQualifiedName": r.resource, "kind": "resource"}]}],
            "properties": {"control": r.control, "evidence": r.evidence},
        }
        for r in report.with_status(Status.FAIL)
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": f"{TOOL_NAME}-audit",
                        "version": TOOL_VERSION,
                        "rules": rules,
                        "properties": {"catalogVersion": report.catalog_version},
                    }
                },
                "results": results,
                "properties": {"tenant": report.target.tenant_id, "region": report.target.region},
            }
        ],
    }


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def write_outputs(
    report: AuditReport, json_path: Path | None, markdown_path: Path | None, sarif_path: Path | None
) -> None:
    if json_path is not None:
        write_text(json_path, to_json(report) + "\n")
    if markdown_path is not None:
        write_text(markdown_path, to_markdown(report))
    if sarif_path is not None:
        write_text(sarif_path, json.dumps(to_sarif(report), indent=2, default=json_default) + "\n")
