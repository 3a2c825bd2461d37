"""SARIF 2.1.0 for GitHub code scanning: rules are the policies, results point at the program's code.

Where a result points (decided here, documented in README "SARIF locations"):
- the primary location is the line that constructs the violating resource: the project frame nearest
  the resource's registration (tenantctl.sources). For a resource of a component that is the line in
  the component's constructor (`components/keys.py`), for a resource the tenant's own `__main__.py`
  creates, that line of `__main__.py`;
- related locations: the `__main__.py` line that created the component (when the resource comes from
  one), and, because a component's resources are shaped by the stack's config, each stack file's line
  of the config field that configures the resource (see locations.py);
- a finding without a resource (a stack policy) or without a recorded position points at the stack
  file's tenant id line, as before.
A finding that is the same in several stacks (same policy, same code line, same message once the
tenant id is set aside) is one result listing the stacks, so one code bug is one alert, not one per
tenant. GitHub reads `properties.security-severity` (a number as a string) to rank alerts and `help`
as the alert's guidance. Policies that could not decide during preview are reported only under
--strict, where they fail the gate; otherwise they would flood code scanning with alerts nobody can
act on before deployment.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenantctl.model import (
    ADVISORY,
    OK,
    UNDECIDED,
    VIOLATION,
    ExemptionUse,
    Finding,
    PolicyOutcome,
    StackResult,
    split_urn,
)
from tenantctl.reports import sarif_log
from tenantctl.reports.locations import StackFileIndex, index_stack_file
from tenantctl.sources import PROGRAM_FILE

SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "unspecified": "5.0"}
SRCROOT = sarif_log.SRCROOT
TENANT_PLACEHOLDER = "<tenant>"


def _rule(outcome: PolicyOutcome) -> dict[str, Any]:
    policy = outcome.facts
    level = "error" if outcome.enforcement == "mandatory" else "warning"
    tags = ["security", *dict.fromkeys(t for t in (policy.area, *policy.tags, policy.control) if t)]
    heading = f"{policy.control}: {policy.title}" if policy.control else policy.name
    return {
        "id": policy.name,
        "shortDescription": {
            "text": f"{policy.control}: {policy.description}" if policy.control else policy.description
        },
        "fullDescription": {"text": f"{heading}. {policy.description}"},
        "help": {
            "text": policy.remediation or policy.description,
            "markdown": (
                f"**{heading}**\n\n{policy.description}\n\n**Remediation:** {policy.remediation or 'n/a'}"
            ),
        },
        "defaultConfiguration": {"level": level},
        "properties": {
            "control": policy.control,
            "area": policy.area,
            "pack": policy.pack,
            "tags": tags,
            "security-severity": SECURITY_SEVERITY.get(policy.severity, SECURITY_SEVERITY["unspecified"]),
            "problem.severity": "error" if level == "error" else "warning",
            "precision": "high",
        },
    }


def _level(finding: Finding) -> str:
    if finding.kind == VIOLATION:
        return "error"
    if finding.kind == UNDECIDED:
        return "error" if finding.enforcement == "mandatory" else "note"
    return "warning"


def _reported(finding: Finding, strict: bool) -> bool:
    if finding.kind in (VIOLATION, ADVISORY):
        return True
    return strict and finding.kind == UNDECIDED and finding.enforcement == "mandatory"


def _generic(text: str, tenant: str) -> str:
    """`text` with the tenant id (hyphen-bounded) set aside: what makes findings of two stacks equal."""
    if not tenant:
        return text
    return re.sub(rf"(?<![\w-]){re.escape(tenant)}(?=-|\b)", TENANT_PLACEHOLDER, text)


@dataclass
class _Occurrence:
    stack: str
    finding: Finding
    index: StackFileIndex


@dataclass
class _Group:
    key: tuple[str, ...]
    primary: tuple[str, int]
    occurrences: list[_Occurrence] = field(default_factory=list)


def _primary(finding: Finding, index: StackFileIndex) -> tuple[str, int]:
    if finding.urn and finding.source:
        return finding.source[0].path, finding.source[0].line
    line = index.line_for(finding.resource_name) if finding.urn else index.tenant_line
    return index.uri, line


def _from_config(finding: Finding) -> bool:
    """A resource a component creates is shaped by the stack's config; one `__main__.py` creates itself
    is the program's own code (no config field to point at)."""
    return bool(finding.urn) and (not finding.source or finding.source[0].path != PROGRAM_FILE)


def _result(group: _Group, rule_index: int) -> dict[str, Any]:
    first = group.occurrences[0]
    finding = first.finding
    stacks = [o.stack for o in group.occurrences]
    where = f"{finding.resource_type} '{finding.resource_name}'" if finding.urn else "the stack"
    if len(stacks) > 1:
        where += f" (and the same in {len(stacks) - 1} more stack{'s' if len(stacks) > 2 else ''})"
    text = f"[{', '.join(stacks)}] {where}: {finding.message}"
    if finding.remediation:
        text += f" Remediation: {finding.remediation}"
    location: dict[str, Any] = sarif_log.physical(*group.primary)
    if finding.urn:
        location["logicalLocations"] = [
            sarif_log.logical(o.finding.resource_name, o.finding.urn) for o in group.occurrences
        ]
    related: list[dict[str, Any]] = []
    if finding.source and len(finding.source) > 1 and finding.source[-1].path == PROGRAM_FILE:
        program = finding.source[-1]
        related.append(
            sarif_log.related(
                len(related) + 1, program.path, program.line, "the program creates the component here"
            )
        )
    primary_is_stack_file = group.primary[0] == first.index.uri
    if _from_config(finding) and not primary_is_stack_file:
        for o in group.occurrences:
            line, config_field = o.index.field_for(o.finding.resource_name)
            related.append(
                sarif_log.related(
                    len(related) + 1, o.index.uri, line, f"[{o.stack}] configured by {config_field}"
                )
            )
    result: dict[str, Any] = {
        "ruleId": finding.policy,
        "ruleIndex": rule_index,
        "level": _level(finding),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": sarif_log.fingerprint(*group.key),
        "properties": {
            "stacks": stacks,
            "control": finding.control,
            "pack": finding.pack,
            "kind": finding.kind,
        },
    }
    if related:
        result["relatedLocations"] = related
    return result


def _group_key(
    stack: str, finding: Finding, index: StackFileIndex, primary: tuple[str, int]
) -> tuple[str, ...]:
    # No line number: an alert keeps its identity when code above it moves. The primary file is in:
    # a stack-file location is per stack, a code location is shared by every stack.
    tenant = index.tenant or stack
    return (
        finding.policy,
        primary[0],
        finding.resource_type,
        _generic(finding.resource_name, tenant),
        _generic(finding.message, tenant),
    )


def _suppressed(
    exemption: ExemptionUse, stack: str, index: StackFileIndex, rule_index: int
) -> dict[str, Any]:
    """An exempted resource: a result code scanning shows as suppressed, with who and why, not as gone."""
    _type, name = split_urn(exemption.urn)
    line = index.line_for(name) if name else index.tenant_line
    location: dict[str, Any] = sarif_log.physical(index.uri, line)
    if exemption.urn:
        location["logicalLocations"] = [
            {"name": name, "fullyQualifiedName": exemption.urn, "kind": "resource"}
        ]
    fingerprint = hashlib.sha256(f"{stack}|{exemption.policy}|{exemption.urn}|exempted".encode()).hexdigest()
    justification = exemption.justification or exemption.reason
    if exemption.approver:
        justification = f"{justification} (approved by {exemption.approver} until {exemption.expires})"
    return {
        "ruleId": exemption.policy,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": f"[{stack}] {name or 'the stack'}: {exemption.reason}"},
        "locations": [location],
        "partialFingerprints": {"tenantctlFinding/v1": fingerprint[:32]},
        "suppressions": [{"kind": "external", "status": "accepted", "justification": justification}],
        "properties": {"stack": stack, "pack": exemption.pack, "kind": "exempted"},
    }


def build(results: Sequence[StackResult], project_dir: Path, strict: bool, version: str) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    for result in results:
        for policy in result.policies:
            rules.setdefault(policy.facts.name, _rule(policy))
    rule_ids = list(rules)
    groups: dict[tuple[str, ...], _Group] = {}
    for result in results:
        index = index_stack_file(project_dir, result.stack)
        for finding in result.findings:
            if not _reported(finding, strict):
                continue
            if finding.policy not in rules:
                # A diagnostic from a policy the pack did not list: still reported, with a bare rule.
                rules[finding.policy] = {"id": finding.policy, "shortDescription": {"text": finding.policy}}
                rule_ids.append(finding.policy)
            primary = _primary(finding, index)
            key = _group_key(result.stack, finding, index, primary)
            group = groups.setdefault(key, _Group(key, primary))
            group.occurrences.append(_Occurrence(result.stack, finding, index))
    sarif_results = [_result(g, rule_ids.index(g.key[0])) for g in groups.values()]
    for result in results:
        index = index_stack_file(project_dir, result.stack)
        for exemption in result.exemptions:
            if exemption.policy not in rules:
                rules[exemption.policy] = {
                    "id": exemption.policy,
                    "shortDescription": {"text": exemption.policy},
                }
                rule_ids.append(exemption.policy)
            sarif_results.append(
                _suppressed(exemption, result.stack, index, rule_ids.index(exemption.policy))
            )
    # A stack that could not be checked (bad config, a crash) is a notification: nothing was judged.
    failures = [r for r in results if r.status != OK]
    invocation: dict[str, Any] = {"executionSuccessful": not failures}
    if failures:
        invocation["toolExecutionNotifications"] = [_crash_notification(r) for r in failures]
    driver = {"name": "tenantctl", "version": version, "rules": [rules[rule_id] for rule_id in rule_ids]}
    return sarif_log.log(driver=driver, results=sarif_results, invocation=invocation, project_dir=project_dir)


def _crash_notification(result: StackResult) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error",
        "message": {"text": f"[{result.stack}] {result.status}: {result.error}"},
        "descriptor": {"id": f"tenantctl/{result.status}"},
        "properties": {"stack": result.stack, "status": result.status},
    }
    if result.error_source is not None:
        notification["locations"] = [sarif_log.physical(result.error_source.path, result.error_source.line)]
    return notification


def write(path: Path, results: Sequence[StackResult], project_dir: Path, strict: bool, version: str) -> None:
    path.write_text(sarif_log.dumps(build(results, project_dir, strict, version)))
