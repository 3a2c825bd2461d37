"""The terminal report: per stack a summary line, then what blocks it, grouped by control area."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tenantctl.check import ADVISORY, UNDECIDED, VIOLATION, Finding, StackResult

AREA_ORDER = ("provenance", "secrets", "gpu-isolation", "data-leakage", "audit", "tenancy")
VERDICT_STYLES = {
    "passed": ("PASSED", "bold green", "✓"),
    "blocked": ("BLOCKED", "bold red", "✗"),
    "config-error": ("CONFIG ERROR", "bold yellow", "!"),
    "usage-error": ("USAGE ERROR", "bold yellow", "!"),
    "crash": ("CRASHED", "bold red", "✗"),
}
UNDECIDED_SHOWN = 12
# Stack-level "cannot decide" reasons list every resource involved; the JSON report keeps them whole.
REASON_SHOWN = 240


def area_sort_key(area: str) -> tuple[int, str]:
    return (AREA_ORDER.index(area) if area in AREA_ORDER else len(AREA_ORDER), area)


def shorten(text: str, limit: int = REASON_SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def resource_label(finding: Finding) -> str:
    if not finding.urn:
        return "(whole stack)"
    return f"{finding.resource_type} {finding.resource_name}"


def summary_line(result: StackResult, strict: bool) -> Text:
    verdict = result.verdict(strict)
    word, style, mark = VERDICT_STYLES.get(verdict, (verdict.upper(), "bold", "?"))
    line = Text()
    line.append(f"{mark} ", style=style)
    line.append(result.stack, style="bold")
    line.append("  ")
    line.append(word, style=style)
    if result.status != "ok":
        return line
    counts = result.counts()
    packs = ", ".join(f"{name} {version}" for name, version in result.packs.items())
    parts = [
        result.tier or "unknown tier",
        plural(counts["resources"], "resource"),
        f"{plural(counts['policies'], 'policy').replace('policys', 'policies')} ({packs})",
        plural(counts["violations"], "violation"),
        plural(counts["advisories"], "advisory").replace("advisorys", "advisories"),
        f"{counts['undecided']} undecided ({counts['undecided_mandatory']} mandatory)",
        plural(counts["exemptions"], "exemption"),
        "cached" if result.cached else f"{result.duration_s:.1f} s",
    ]
    line.append("  " + " · ".join(parts), style="dim" if verdict == "passed" else "")
    return line


def _findings_table(findings: Sequence[Finding]) -> Table:
    table = Table(show_header=True, header_style="bold", expand=False, show_lines=True)
    table.add_column("Policy", overflow="fold", max_width=34)
    table.add_column("Resource", overflow="fold", max_width=40)
    table.add_column("Problem", overflow="fold")
    table.add_column("Remediation", overflow="fold")
    for f in sorted(findings, key=lambda f: (f.kind != VIOLATION, f.control, f.policy, f.urn)):
        policy = Text(f"{f.control} {f.policy}" if f.control else f.policy)
        if f.kind == ADVISORY:
            policy.append(" (advisory)", style="yellow")
        # Text, not str: a message such as "[secret]" must not be read as rich markup.
        resource = Text(resource_label(f))
        if f.source:
            resource.append(f"\nat {f.source[0]}", style="dim")
        table.add_row(policy, resource, Text(f.message), Text(f.remediation))
    return table


def render_stack(console: Console, result: StackResult, strict: bool) -> None:
    console.print(summary_line(result, strict))
    if result.status != "ok":
        console.print(Text(result.error, style="yellow" if result.status != "crash" else "red"))
        return
    shown = [f for f in result.findings if f.kind in (VIOLATION, ADVISORY)]
    by_area: dict[str, list[Finding]] = {}
    for finding in shown:
        by_area.setdefault(finding.area, []).append(finding)
    for area in sorted(by_area, key=area_sort_key):
        findings = by_area[area]
        blocking = sum(1 for f in findings if f.kind == VIOLATION)
        console.print(
            Text.assemble(
                ("  ", ""),
                (area, "bold magenta"),
                (f"  {plural(blocking, 'violation')}, {len(findings) - blocking} advisory", "dim"),
            )
        )
        console.print(_findings_table(findings))
    if result.weakened:
        console.print(
            Text(
                "  mandatory policies weakened by policy config (blocked: use an exemption)", style="bold red"
            )
        )
        for policy in result.weakened:
            console.print(
                f"    {escape(policy.facts.name)} ({policy.facts.control}): mandatory -> {policy.enforcement}"
            )
    if result.exemptions:
        console.print(Text("  exemptions used", style="bold cyan"))
        for exemption in result.exemptions:
            name = exemption.urn.split("::")[-1] if exemption.urn else "(whole stack)"
            console.print(f"    {escape(exemption.policy)} on {escape(name)}: {escape(exemption.reason)}")
    _render_undecided(console, result.of_kind(UNDECIDED), strict)


def _render_undecided(console: Console, undecided: list[Finding], strict: bool) -> None:
    if not undecided:
        return
    mandatory = sum(1 for f in undecided if f.enforcement == "mandatory")
    style = "bold red" if strict and mandatory else "bold"
    note = (
        " (fail under --strict)"
        if strict and mandatory
        else " (decided at deployment; --strict fails on them)"
    )
    console.print(
        Text(f"  could not decide during preview: {len(undecided)}, {mandatory} mandatory{note}", style)
    )
    per_policy = Counter(f.policy for f in undecided)
    for index, (policy, count) in enumerate(per_policy.most_common()):
        if index == UNDECIDED_SHOWN:
            console.print(f"    … and {len(per_policy) - UNDECIDED_SHOWN} more policies")
            break
        example = next(f for f in undecided if f.policy == policy)
        console.print(
            Text(
                f"    {policy} [{example.enforcement}] on {plural(count, 'resource')}, "
                f"e.g. {resource_label(example)}: {shorten(example.message)}"
            )
        )


def render(console: Console, results: Iterable[StackResult], strict: bool, exit_code: int) -> None:
    results = list(results)
    for result in results:
        render_stack(console, result, strict)
        console.print()
    render_summary(console, results, strict, exit_code)


def render_summary(console: Console, results: Sequence[StackResult], strict: bool, exit_code: int) -> None:
    verdicts = Counter(r.verdict(strict) for r in results)
    summary = ", ".join(f"{count} {verdict}" for verdict, count in sorted(verdicts.items()))
    console.print(Text(f"{plural(len(results), 'stack')}: {summary} → exit {exit_code}", style="bold"))
