"""Renderings of an AuditReport: rich terminal table, JSON, Markdown and SARIF 2.1.0."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from landingzone.controls import load_controls
from tenantctl.audit.checks import CHECKS
from tenantctl.audit.model import TOOL_NAME, TOOL_VERSION, AuditReport, CheckResult, Drift, Status
from tenantctl.audit.reader import json_default
from tenantctl.reports import sarif_log
from tenantctl.reports.markdown_table import cell, table

STATUS_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "bold red",
    Status.NOT_OBSERVABLE: "yellow",
    Status.NOT_APPLICABLE: "dim",
}


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
        lines += ["", f"## {area}", ""]
        lines += table(
            ("control", "check", "status", "resource", "detail"),
            (
                (r.control, f"`{r.check}`", r.status.value, f"`{cell(r.resource)}`", cell(r.detail))
                for r in results
            ),
        )
    if report.drift:
        lines += ["", "## drift", ""]
        lines += table(
            ("kind", "type", "name", "control", "program line", "detail"),
            (
                (
                    d.kind,
                    f"`{d.type}`",
                    f"`{cell(d.name)}`",
                    d.control or "",
                    f"`{d.source}`" if d.source else "",
                    cell(d.describe()),
                )
                for d in report.drift
            ),
        )
    return "\n".join(lines) + "\n"


def _rule_id(control: str, check: str) -> str:
    return f"{control}/{check}"


def to_sarif(report: AuditReport, stack_line: tuple[str, int] | None = None) -> dict[str, Any]:
    """`stack_line`: (stack file, tenant id line), where a result no drift ties to the program points.

    GitHub code scanning shows an alert only at a file; the stack file names the audited tenant.
    """
    catalog = load_controls()
    rules: list[dict[str, Any]] = [
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
    index = {_rule_id(spec.control, spec.name): i for i, spec in enumerate(CHECKS)}
    results = [_sarif_result(r, index, report.drift, stack_line) for r in report.with_status(Status.FAIL)]
    driver = {
        "name": f"{TOOL_NAME}-audit",
        "version": TOOL_VERSION,
        "rules": rules,
        "properties": {"catalogVersion": report.catalog_version},
    }
    return sarif_log.log(
        driver=driver,
        results=results,
        properties={"tenant": report.target.tenant_id, "region": report.target.region},
    )


def _short_name(arn: str) -> str:
    """The resource's own name inside an ARN (`arn:aws:s3:::b` -> b, `...:key/k` -> k)."""
    return arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1]


def _program_line(arn: str, drift: Iterable[Drift]) -> tuple[str, int] | None:
    """Where the program constructs the live resource, when drift tied the two (same name)."""
    name = _short_name(arn)
    for d in drift:
        if d.source and name and d.name in (name, arn):
            path, _, line = d.source.rpartition(":")
            if path and line.isdigit():
                return path, int(line)
    return None


def _sarif_result(
    result: CheckResult, index: dict[str, int], drift: Iterable[Drift], stack_line: tuple[str, int] | None
) -> dict[str, Any]:
    rule_id = _rule_id(result.control, result.check)
    # The live resource is located by its ARN; GitHub shows an alert only with a file, so the program
    # line that drift ties the resource to is its physical location when there is one.
    location: dict[str, Any] = {
        "logicalLocations": [sarif_log.logical(_short_name(result.resource), result.resource)]
    }
    program = _program_line(result.resource, drift) or stack_line
    if program is not None:
        location.update(sarif_log.physical(*program))
    return {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": "error",
        "message": {"text": f"{result.control} {result.check}: {result.detail}"},
        "locations": [location],
        "partialFingerprints": sarif_log.fingerprint(rule_id, result.resource),
        "properties": {"control": result.control, "evidence": result.evidence},
    }


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def write_outputs(
    report: AuditReport,
    json_path: Path | None,
    markdown_path: Path | None,
    sarif_path: Path | None,
    stack_line: tuple[str, int] | None = None,
) -> None:
    if json_path is not None and str(json_path) == "-":
        sys.stdout.write(to_json(report) + "\n")
        sys.stdout.flush()
    elif json_path is not None:
        write_text(json_path, to_json(report) + "\n")
    if markdown_path is not None:
        write_text(markdown_path, to_markdown(report))
    if sarif_path is not None:
        write_text(sarif_path, sarif_log.dumps(to_sarif(report, stack_line), default=json_default))
