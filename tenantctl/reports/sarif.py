"""SARIF 2.1.0 for GitHub code scanning: rules are the policies, results point into the stack files.

GitHub reads `properties.security-severity` (a number as a string) to rank alerts and `help` as the
alert's guidance; every result needs a physical location, so findings are located at the stack-file
line that configures the resource (see locations.py), never at generated code. Policies that could
not decide during preview are reported only under --strict, where they fail the gate; otherwise they
would flood code scanning with alerts nobody can act on before deployment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tenantctl.check import (
    ADVISORY,
    OK,
    UNDECIDED,
    VIOLATION,
    ExemptionUse,
    Finding,
    PolicyMeta,
    StackResult,
    split_urn,
)
from tenantctl.reports.locations import StackFileIndex, index_stack_file

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "unspecified": "5.0"}
SRCROOT = "%SRCROOT%"


def _rule(policy: PolicyMeta) -> dict[str, Any]:
    level = "error" if policy.enforcement == "mandatory" else "warning"
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


def _result(finding: Finding, stack: str, index: StackFileIndex, rule_index: int) -> dict[str, Any]:
    where = f"{finding.resource_type} '{finding.resource_name}'" if finding.urn else "the stack"
    text = f"[{stack}] {where}: {finding.message}"
    if finding.remediation:
        text += f" Remediation: {finding.remediation}"
    line = index.line_for(finding.resource_name) if finding.urn else index.tenant_line
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": index.uri, "uriBaseId": SRCROOT},
            "region": {"startLine": line},
        }
    }
    if finding.urn:
        location["logicalLocations"] = [
            {"name": finding.resource_name, "fullyQualifiedName": finding.urn, "kind": "resource"}
        ]
    fingerprint = hashlib.sha256(
        f"{stack}|{finding.policy}|{finding.urn}|{finding.message}".encode()
    ).hexdigest()
    return {
        "ruleId": finding.policy,
        "ruleIndex": rule_index,
        "level": _level(finding),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"tenantctlFinding/v1": fingerprint[:32]},
        "properties": {
            "stack": stack,
            "control": finding.control,
            "pack": finding.pack,
            "kind": finding.kind,
        },
    }


def _suppressed(
    exemption: ExemptionUse, stack: str, index: StackFileIndex, rule_index: int
) -> dict[str, Any]:
    """An exempted resource: a result code scanning shows as suppressed, with who and why, not as gone."""
    _type, name = split_urn(exemption.urn)
    line = index.line_for(name) if name else index.tenant_line
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": index.uri, "uriBaseId": SRCROOT},
            "region": {"startLine": line},
        }
    }
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
            rules.setdefault(policy.name, _rule(policy))
    rule_ids = list(rules)
    sarif_results = []
    for result in results:
        index = index_stack_file(project_dir, result.stack)
        for finding in result.findings:
            if not _reported(finding, strict):
                continue
            if finding.policy not in rules:
                # A diagnostic from a policy the pack did not list: still reported, with a bare rule.
                rules[finding.policy] = {"id": finding.policy, "shortDescription": {"text": finding.policy}}
                rule_ids.append(finding.policy)
            sarif_results.append(_result(finding, result.stack, index, rule_ids.index(finding.policy)))
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
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": f"[{r.stack}] {r.status}: {r.error}"},
                "descriptor": {"id": f"tenantctl/{r.status}"},
                "properties": {"stack": r.stack, "status": r.status},
            }
            for r in failures
        ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tenantctl",
                        "version": version,
                        "rules": [rules[rule_id] for rule_id in rule_ids],
                    }
                },
                "invocations": [invocation],
                "originalUriBaseIds": {SRCROOT: {"uri": project_dir.resolve().as_uri() + "/"}},
                "results": sarif_results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def write(path: Path, results: Sequence[StackResult], project_dir: Path, strict: bool, version: str) -> None:
    path.write_text(json.dumps(build(results, project_dir, strict, version), indent=2) + "\n")
