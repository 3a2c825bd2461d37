"""Classify what the packs answered into findings, exemptions and per-policy status for one stack."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from mlops_policies import undecided
from tenantctl.model import (
    ADVISORY,
    UNDECIDED,
    VIOLATION,
    ExemptionUse,
    Finding,
    PolicyOutcome,
    StackResult,
    split_urn,
)
from tenantctl.scrub import Scrubber

if TYPE_CHECKING:
    from tenantctl.analyzer import PackResult

UNDECIDED_PREFIX, UNDECIDED_REASON = undecided.PREFIX, undecided.REASON_SEPARATOR


def classify(result: StackResult, pack: PackResult, custom_urns: set[str], scrub: Scrubber) -> None:
    from mlops_policies.exemptions import note_without_urn, parse_notes

    sources = {r.urn: r.source for r in result.resources}
    infos = {p.name: p for p in pack.policies}
    not_applicable: dict[str, set[str]] = {}
    for na in pack.not_applicable:
        notes = parse_notes(na.reason)
        if notes is None:
            not_applicable.setdefault(na.policy, set()).add(na.urn)
            continue
        # Exempted resources were judged and let through: the policy still passed, it did not "not apply".
        for note in notes:
            result.exemptions.append(
                ExemptionUse(
                    pack.pack,
                    na.policy,
                    note.urn or na.urn,
                    scrub(note_without_urn(note)),
                    approver=scrub(note.approver),
                    expires=note.expires,
                    justification=scrub(note.reason),
                )
            )
    by_policy: dict[str, list[Finding]] = {}
    for diagnostic in pack.diagnostics:
        info = infos.get(diagnostic.policy)
        if diagnostic.undecided:
            kind = UNDECIDED
            # The SDK reports "cannot decide" as advisory whatever the policy is; the policy's own
            # (configured) enforcement says whether --strict must fail on it. A remediation policy
            # that still violates is reported as mandatory by the SDK, so it counts as one here too.
            configured = _effective_enforcement(
                pack, diagnostic.policy, info.declared if info else "advisory"
            )
            enforcement = "mandatory" if configured == "remediate" else configured
        elif diagnostic.enforcement == "mandatory":
            kind, enforcement = VIOLATION, "mandatory"
        elif diagnostic.enforcement == "disabled":
            continue
        else:
            kind, enforcement = ADVISORY, diagnostic.enforcement
        resource_type, resource_name = split_urn(diagnostic.urn)
        finding = Finding(
            kind=kind,
            pack=pack.pack,
            policy=diagnostic.policy,
            control=info.control if info else "",
            # A diagnostic of a policy the pack did not describe: nothing says what it is about.
            area=info.area if info else "other",
            enforcement=enforcement,
            severity=info.severity if info else diagnostic.severity,
            urn=diagnostic.urn,
            resource_type=resource_type,
            resource_name=resource_name,
            message=scrub(specific_message(diagnostic.message, info.description if info else "")),
            remediation=info.remediation if info else "",
            source=sources.get(diagnostic.urn, ()) if diagnostic.urn else (),
        )
        result.findings.append(finding)
        by_policy.setdefault(diagnostic.policy, []).append(finding)
    for name, policy in infos.items():
        enforcement = _effective_enforcement(pack, name, policy.declared)
        status = _policy_status(
            by_policy.get(name, []), not_applicable.get(name, set()), policy.kind, custom_urns, enforcement
        )
        # Without the config schema: a stack's result is stored and sent between processes, and no
        # report reads the schema (policy config is judged before the run, against the rules).
        result.policies.append(PolicyOutcome(replace(policy, properties={}), enforcement, status))


def _effective_enforcement(pack: PackResult, policy: str, fallback: str) -> str:
    return str(pack.config.get(policy, {}).get("enforcementLevel", fallback))


def specific_message(message: str, description: str) -> str:
    """The SDK sends "<policy description>\\n<message>"; reports show the description separately.

    "Cannot decide" diagnostics read "can't run policy 'p' from policy pack 'x@v0.0.1' during preview:
    <why>"; the why is what a reader needs (the policy and pack are shown next to it anyway).
    """
    why = undecided.reason(message)
    if why is not None:
        return why
    if description and message.startswith(description):
        rest = message[len(description) :].lstrip("\n").strip()
        return rest or message.strip()
    return message.strip()


def _policy_status(
    findings: list[Finding], not_applicable: set[str], kind: str, custom_urns: set[str], enforcement: str
) -> str:
    if enforcement == "disabled":
        return "disabled"
    kinds = {f.kind for f in findings}
    if VIOLATION in kinds:
        return "failed"
    if UNDECIDED in kinds:
        return "undecided"
    if ADVISORY in kinds:
        return "warning"
    # Not applicable: the stack policy said so, or the resource policy said so for every resource.
    if kind == "stack" and "" in not_applicable:
        return "not-applicable"
    if kind == "resource" and custom_urns <= not_applicable:
        return "not-applicable"
    return "passed"
