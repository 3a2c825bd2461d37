"""The pull-request comment: verdict, counts per control area, the violations, and a diagram per tenant.

GitHub caps a comment at 65,536 characters, so long tables are cut with a note and diagrams are drawn
for the blocked stacks first, up to MAX_DIAGRAMS; the full detail is always in the JSON/SARIF reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from tenantctl.check import ADVISORY, UNDECIDED, VIOLATION, Finding, StackResult
from tenantctl.reports.diagram import mermaid
from tenantctl.reports.markdown_table import cell
from tenantctl.reports.terminal import area_sort_key

MARKER = "<!-- tenantctl-check -->"
MAX_ROWS = 100
MAX_DIAGRAMS = 6
ICONS = {"passed": "✅", "blocked": "❌", "crash": "💥", "config-error": "⚠️", "usage-error": "⚠️"}


def _resource(finding: Finding) -> str:
    if not finding.urn:
        return "(whole stack)"
    where = f" at `{finding.source[0]}`" if finding.source else ""
    return f"`{finding.resource_type}` `{finding.resource_name}`{where}"


def _overall(results: Sequence[StackResult], strict: bool) -> str:
    verdicts = {r.verdict(strict) for r in results}
    for verdict in ("crash", "config-error", "usage-error", "blocked"):
        if verdict in verdicts:
            return verdict
    return "passed"


def build(results: Sequence[StackResult], strict: bool, exit_code: int) -> str:
    overall = _overall(results, strict)
    out = [MARKER, f"## {ICONS.get(overall, '')} tenantctl check: {overall} (exit {exit_code})", ""]
    out.append(
        "Policy packs run on each stack's first preview, without cloud credentials."
        + (
            " `--strict`: mandatory policies that cannot decide during preview fail the check."
            if strict
            else ""
        )
    )
    out += [
        "",
        "| Stack | Tier | Verdict | Violations | Advisories | Undecided (mandatory) | Exemptions "
        "| Resources |",
    ]
    out.append("|---|---|---|---:|---:|---:|---:|---:|")
    for r in results:
        c = r.counts()
        verdict = r.verdict(strict)
        cached = " (cached)" if r.cached else ""
        out.append(
            f"| `{r.stack}` | {r.tier or '?'} | {ICONS.get(verdict, '')} {verdict}{cached} "
            f"| {c['violations']} "
            f"| {c['advisories']} | {c['undecided']} ({c['undecided_mandatory']}) | {c['exemptions']} "
            f"| {c['resources']} |"
        )
    out += _errors(results)
    out += _per_area(results)
    out += _violations(results)
    out += _undecided(results, strict)
    out += _weakened(results)
    out += _exemptions(results)
    out += _diagrams(results, strict)
    return "\n".join(out).rstrip() + "\n"


def _errors(results: Sequence[StackResult]) -> list[str]:
    failed = [r for r in results if r.status != "ok"]
    if not failed:
        return []
    out = ["", "### Stacks that could not be checked", ""]
    for r in failed:
        out += [f"**`{r.stack}`**: {r.status}", "", "```", r.error.replace("```", "'''"), "```", ""]
    return out


def _per_area(results: Sequence[StackResult]) -> list[str]:
    counts: dict[str, Counter[str]] = {}
    for r in results:
        for f in r.findings:
            counts.setdefault(f.area, Counter())[f.kind] += 1
    if not counts:
        return []
    out = [
        "",
        "### Findings per control area",
        "",
        "| Area | Violations | Advisories | Undecided |",
        "|---|---:|---:|---:|",
    ]
    for area in sorted(counts, key=area_sort_key):
        c = counts[area]
        out.append(f"| {area} | {c[VIOLATION]} | {c[ADVISORY]} | {c[UNDECIDED]} |")
    return out


def _table(rows: list[tuple[StackResult, Finding]], with_remediation: bool) -> list[str]:
    header = "| Stack | Control | Policy | Resource | Problem |" + (
        " Remediation |" if with_remediation else ""
    )
    out = [header, "|---|---|---|---|---|" + ("---|" if with_remediation else "")]
    for r, f in rows[:MAX_ROWS]:
        line = f"| `{r.stack}` | {f.control} | `{f.policy}` | {_resource(f)} | {cell(f.message)} |"
        out.append(line + (f" {cell(f.remediation)} |" if with_remediation else ""))
    if len(rows) > MAX_ROWS:
        out += ["", f"… {len(rows) - MAX_ROWS} more; see the SARIF/JSON report."]
    return out


def _violations(results: Sequence[StackResult]) -> list[str]:
    rows = [(r, f) for r in results for f in r.findings if f.kind in (VIOLATION, ADVISORY)]
    if not rows:
        return []
    rows.sort(key=lambda rf: (rf[1].kind != VIOLATION, rf[0].stack, area_sort_key(rf[1].area), rf[1].policy))
    out = ["", "### Violations", ""]
    blocking = [row for row in rows if row[1].kind == VIOLATION]
    if blocking:
        out += _table(blocking, with_remediation=True)
    advisory = [row for row in rows if row[1].kind == ADVISORY]
    if advisory:
        out += [
            "",
            f"Advisory (does not block): {len(advisory)}",
            "",
            *_table(advisory, with_remediation=True),
        ]
    return out


def _undecided(results: Sequence[StackResult], strict: bool) -> list[str]:
    rows = [(r, f) for r in results for f in r.findings if f.kind == UNDECIDED]
    if not rows:
        return []
    mandatory = sum(1 for _, f in rows if f.enforcement == "mandatory")
    failing = ", failing under --strict" if strict and mandatory else ""
    title = f"Could not decide during preview: {len(rows)} ({mandatory} mandatory{failing})"
    return [
        "",
        "<details>",
        f"<summary>{title}</summary>",
        "",
        *_table(rows, with_remediation=False),
        "",
        "</details>",
    ]


def _weakened(results: Sequence[StackResult]) -> list[str]:
    rows = [(r, p) for r in results for p in r.weakened]
    if not rows:
        return []
    out = ["", "### Mandatory policies weakened by policy config", ""]
    out += ["| Stack | Policy | Control | Set to |", "|---|---|---|---|"]
    out += [
        f"| `{r.stack}` | `{p.facts.name}` | {p.facts.control} | {p.enforcement} |"
        for r, p in rows[:MAX_ROWS]
    ]
    return out


def _exemptions(results: Sequence[StackResult]) -> list[str]:
    rows = [(r, e) for r in results for e in r.exemptions]
    if not rows:
        return []
    out = ["", "### Exemptions used", "", "| Stack | Policy | Resource | Exemption |", "|---|---|---|---|"]
    for r, e in rows[:MAX_ROWS]:
        name = e.urn.split("::")[-1] if e.urn else "(whole stack)"
        out.append(f"| `{r.stack}` | `{e.policy}` | `{name}` | {cell(e.reason)} |")
    return out


def _diagrams(results: Sequence[StackResult], strict: bool) -> list[str]:
    drawable = [r for r in results if r.status == "ok" and r.resources]
    drawable.sort(key=lambda r: r.verdict(strict) != "blocked")
    out: list[str] = []
    for r in drawable[:MAX_DIAGRAMS]:
        out += ["", f"### Landing zone `{r.stack}` ({r.tenant or r.stack}, {r.tier or '?'})", ""]
        out += [
            "Boxes outlined in red hold a violation; amber, an advisory.",
            "",
            "```mermaid",
            mermaid(r),
            "```",
        ]
    if len(drawable) > MAX_DIAGRAMS:
        out += ["", f"Diagrams of {len(drawable) - MAX_DIAGRAMS} more stacks are left out of this comment."]
    return out
