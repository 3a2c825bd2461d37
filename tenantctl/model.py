"""The data model of a check run, shared by the gate, the fleet workers, the cache and every report.

`StackResult` is plain data: it crosses process boundaries (fleet workers), is stored in the cache and
feeds every report. It never holds resource inputs, so no report can print them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

# The pack names are facts of the policies (mlops_policies.policy_facts); the gate names them from here.
from mlops_policies.policy_facts import BASELINE_PACK as BASELINE_PACK
from mlops_policies.policy_facts import REGULATED_PACK as REGULATED_PACK
from mlops_policies.policy_facts import PolicyFacts

STANDARD_TIER = "standard"

# Stack status: what happened. Verdict (see `verdict`) is derived from status, findings and --strict.
OK, CONFIG_ERROR, USAGE_ERROR, CRASH = "ok", "config-error", "usage-error", "crash"

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 3

# Finding kinds.
VIOLATION, ADVISORY, UNDECIDED = "violation", "advisory", "undecided"


# ---------------------------------------------------------------- the data model


@dataclass(frozen=True)
class SourceLine:
    """A line of the project's own code: the path relative to the project root (forward slashes)."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceLine:
        return _source_line(str(data["path"]), int(data["line"]))


@functools.lru_cache(maxsize=4096)
def _source_line(path: str, line: int) -> SourceLine:
    # A fleet's cached results name the same few hundred lines ~30,000 times; a frozen value is shared.
    return SourceLine(path=path, line=line)


def _sources(items: Any) -> tuple[SourceLine, ...]:
    return tuple(SourceLine.from_dict(s) for s in items or ())


@dataclass(frozen=True)
class ResourceRef:
    """A recorded resource without its inputs: enough for trees, diagrams and locations."""

    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    depends_on: tuple[str, ...] = ()
    source: tuple[SourceLine, ...] = ()
    """Where the program constructs it: the project frames nearest first (see tenantctl.sources)."""


@dataclass(frozen=True)
class PolicyOutcome:
    """One policy in one stack's check: its static facts, and what this run made of it."""

    facts: PolicyFacts
    enforcement: str
    """Per run: as configured for this run (after --policy-pack-config), not `facts.declared`; a
    mandatory policy configured weaker is a finding of its own."""
    status: str
    """Per run, for this stack: failed, undecided, warning, passed, not-applicable or disabled."""

    def to_dict(self) -> dict[str, Any]:
        """Flat, as reports have always shown a policy: the facts' fields, then the run's."""
        return {**self.facts.to_dict(), "enforcement": self.enforcement, "status": self.status}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PolicyOutcome:
        # A report written before the declared level was recorded: it was the configured one.
        facts = PolicyFacts.from_dict({"declared": data.get("enforcement", ""), **data})
        return cls(facts, enforcement=str(data["enforcement"]), status=str(data["status"]))


@dataclass(frozen=True)
class Finding:
    kind: str
    pack: str
    policy: str
    control: str
    area: str
    enforcement: str
    severity: str
    urn: str
    resource_type: str
    resource_name: str
    message: str
    """The specific message, without the policy description the SDK prefixes."""
    remediation: str
    source: tuple[SourceLine, ...] = ()
    """The resource's `ResourceRef.source`; empty for stack-level findings."""


@dataclass(frozen=True)
class ExemptionUse:
    pack: str
    policy: str
    urn: str
    reason: str
    """The pack's note: who approved it, until when, and why."""
    approver: str = ""
    expires: str = ""
    justification: str = ""


@dataclass
class StackResult:
    stack: str
    status: str = OK
    error: str = ""
    error_source: SourceLine | None = None
    """For a crash: the line of the project's code (program or pack) where it happened, when known."""
    tenant: str = ""
    tier: str = ""
    packs: dict[str, str] = field(default_factory=dict)
    """pack name -> version (from the pack's PulumiPolicy.yaml)."""
    policies: list[PolicyOutcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    exemptions: list[ExemptionUse] = field(default_factory=list)
    resources: list[ResourceRef] = field(default_factory=list)
    duration_s: float = 0.0
    cached: bool = False
    checked_at: str = ""

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    @property
    def violations(self) -> list[Finding]:
        return self.of_kind(VIOLATION)

    @property
    def weakened(self) -> list[PolicyOutcome]:
        """Mandatory policies that policy config made advisory or disabled: only exemptions may relax one."""
        return [
            p
            for p in self.policies
            if p.facts.declared == "mandatory" and p.enforcement in ("advisory", "disabled")
        ]

    @property
    def undecided_mandatory(self) -> list[Finding]:
        return [f for f in self.of_kind(UNDECIDED) if f.enforcement == "mandatory"]

    def counts(self) -> dict[str, int]:
        return {
            "resources": len(self.resources),
            "policies": len(self.policies),
            "violations": len(self.violations),
            "advisories": len(self.of_kind(ADVISORY)),
            "undecided": len(self.of_kind(UNDECIDED)),
            "undecided_mandatory": len(self.undecided_mandatory),
            "exemptions": len(self.exemptions),
            "weakened": len(self.weakened),
        }

    def verdict(self, strict: bool) -> str:
        """passed, blocked, or the status when the stack could not be judged."""
        if self.status != OK:
            return self.status
        if self.violations or self.weakened or (strict and self.undecided_mandatory):
            return "blocked"
        return "passed"

    def to_dict(self) -> dict[str, Any]:
        # Policies flat (PolicyOutcome.to_dict), without the config schema every policy's facts hold.
        data: dict[str, Any] = plain(self)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StackResult:
        return cls(
            stack=data["stack"],
            status=data.get("status", OK),
            error=data.get("error", ""),
            error_source=SourceLine.from_dict(data["error_source"]) if data.get("error_source") else None,
            tenant=data.get("tenant", ""),
            tier=data.get("tier", ""),
            packs=dict(data.get("packs", {})),
            policies=[PolicyOutcome.from_dict(p) for p in data.get("policies", [])],
            findings=[
                Finding(**{**f, "source": _sources(f.get("source"))}) for f in data.get("findings", [])
            ],
            exemptions=[ExemptionUse(**e) for e in data.get("exemptions", [])],
            resources=[
                ResourceRef(
                    **{**r, "depends_on": tuple(r.get("depends_on", ())), "source": _sources(r.get("source"))}
                )
                for r in data.get("resources", [])
            ],
            duration_s=float(data.get("duration_s", 0.0)),
            cached=bool(data.get("cached", False)),
            checked_at=data.get("checked_at", ""),
        )


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


_LEAVES = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """`dataclasses.asdict` of the model's values (PolicyOutcome flat), without asdict's deep copies.

    The model's leaves are immutable (str, int, float, bool, None), so copying them buys nothing, and
    on a fleet's results asdict was most of the JSON report's cost (~8 ms a stack). Tests hold the two
    equal.
    """
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is tuple or kind is list:
        return kind([item if type(item) in _LEAVES else plain(item) for item in value])
    if kind is dict:
        return {key: item if type(item) in _LEAVES else plain(item) for key, item in value.items()}
    if kind is PolicyOutcome:
        return value.to_dict()
    if is_dataclass(kind):
        return {
            name: item if type(item) in _LEAVES else plain(item)
            for name in _field_names(kind)
            for item in (getattr(value, name),)
        }
    return value


def exit_code(results: list[StackResult], strict: bool) -> int:
    """Fail closed: a crash anywhere outranks everything, then unusable input, then violations."""
    verdicts = {r.verdict(strict) for r in results}
    if CRASH in verdicts:
        return EXIT_CRASH
    if verdicts & {CONFIG_ERROR, USAGE_ERROR}:
        return EXIT_USAGE
    if "blocked" in verdicts:
        return EXIT_VIOLATIONS
    return EXIT_CLEAN


def split_urn(urn: str) -> tuple[str, str]:
    """(type, name) of a URN `urn:pulumi:<stack>::<project>::<parent types$>type::name`."""
    if not urn:
        return "", ""
    parts = urn.split("::", 3)
    if len(parts) < 4:
        return "", urn
    return parts[2].split("$")[-1], parts[3]
