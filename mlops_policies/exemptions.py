"""Exemptions: who may switch one policy off for one named resource, until when, and how that travels.

An exemption is an entry of a policy's `exemptions` config: a URN pattern naming a resource type and
a name, a reason, an approver the platform declares (platform.yaml `exemptions.approvers`) and an
expiry no further ahead than the platform allows (`exemptions.max_days`, default 90). The pack cannot
read platform.yaml when it is published, so both arrive as policy config properties
(`exemptionApprovers`, `maxExemptionDays`); `tenantctl check` fills them from platform.yaml and refuses
a policy-config file that sets them itself.

An exemption that is used makes the policy not applicable to the resource, with a reason the pack
writes with `note()` and `tenantctl check` reads back with `parse_note()`: the one contract between
pack and gate, so neither side matches free text.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

EXEMPTIONS = "exemptions"
APPROVERS = "exemptionApprovers"
MAX_DAYS = "maxExemptionDays"
DEFAULT_MAX_DAYS = 90
FIELDS = ("urn", "reason", "approver", "expires")
EXAMPLE_PATTERN = "*::aws:kms/key:Key::acme-keys-legacy"

# A type token as it appears in a URN: package:module:Type (module may hold '/').
_TYPE_TOKEN = re.compile(r"[A-Za-z0-9_.-]+:[A-Za-z0-9_./-]*:[A-Za-z0-9_.-]+")
_WILDCARDS = "*?["

_NOTE_PREFIX = "exempted by "
_NOTE = re.compile(
    r"exempted by (?P<approver>\S+) until (?P<expires>\d{4}-\d{2}-\d{2})(?: on (?P<urn>\S+))?: (?P<reason>.+)"
)

ITEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": list(FIELDS),
    "properties": {
        "urn": {
            "type": "string",
            "description": f"A URN glob naming a type and a name: {EXAMPLE_PATTERN}.",
        },
        "reason": {"type": "string", "description": "Why the resource is exempt; not empty."},
        "approver": {"type": "string", "description": "One of exemptionApprovers."},
        "expires": {"type": "string", "description": "YYYY-MM-DD, at most maxExemptionDays ahead."},
    },
}

SCHEMA_PROPERTIES: dict[str, dict[str, Any]] = {
    EXEMPTIONS: {
        "type": "array",
        "default": [],
        "description": "Resources exempted from this policy: each needs urn, reason, approver, expires.",
        "items": ITEM_SCHEMA,
    },
    APPROVERS: {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": "Who may approve an exemption (platform.yaml exemptions.approvers; set by tenantctl).",
    },
    MAX_DAYS: {
        "type": "integer",
        "minimum": 1,
        "default": DEFAULT_MAX_DAYS,
        "description": "How far ahead an exemption may expire (platform.yaml exemptions.max_days).",
    },
}
PLATFORM_PROPERTIES = (APPROVERS, MAX_DAYS)
"""Properties only the platform sets; a policy-config file that sets them is refused."""


@dataclass(frozen=True)
class Exemption:
    index: int
    urn: str
    reason: str
    approver: str
    expires: str
    problem: str | None
    """Why the exemption does not apply; None when it is valid."""

    def covers(self, urn: str) -> bool:
        # `*::aws:kms/key:Key::name` must match a key nested in components too, whose URN carries its
        # parents' types before its own (`...::Comp$aws:kms/key:Key::name`).
        return fnmatch.fnmatchcase(urn, self.urn) or fnmatch.fnmatchcase(_without_parent_types(urn), self.urn)

    def describe(self) -> str:
        return note(self.approver, self.expires, self.reason)

    def refusal(self) -> str:
        """The violation a bad exemption is."""
        return f"{self.problem}; the exemption does not apply"


@dataclass(frozen=True)
class ExemptionNote:
    """What a pack's not-applicable reason says about one exemption that was used."""

    approver: str
    expires: str
    reason: str
    urn: str | None = None
    """The resource exempted; None for a resource policy (the reason is about the resource judged)."""

    def text(self) -> str:
        return note(self.approver, self.expires, self.reason, self.urn)


def note(approver: str, expires: str, reason: str, urn: str | None = None) -> str:
    on = f" on {urn}" if urn else ""
    # One line per exemption: a stack policy lists every resource it skipped.
    return f"{_NOTE_PREFIX}{approver} until {expires}{on}: {' '.join(reason.split())}"


def note_without_urn(found: ExemptionNote) -> str:
    return note(found.approver, found.expires, found.reason)


def notes(used: Mapping[str, Exemption]) -> str:
    """A stack policy's not-applicable reason: one note per exempted resource URN."""
    return "\n".join(note(e.approver, e.expires, e.reason, urn) for urn, e in used.items())


def parse_notes(text: str) -> list[ExemptionNote] | None:
    """The exemptions behind a not-applicable reason, or None when the reason is something else."""
    found = []
    for line in text.splitlines():
        match = _NOTE.fullmatch(line)
        if match is None:
            return None
        found.append(ExemptionNote(match["approver"], match["expires"], match["reason"], match["urn"]))
    return found or None


def urn_pattern_problem(pattern: str) -> str | None:
    """Why a URN pattern is too broad: it must name one resource type and a name (a literal start)."""
    hint = f"name a resource type and a name, e.g. '{EXAMPLE_PATTERN}'"
    segments = pattern.split("::")
    if len(segments) < 2:
        return f"urn '{pattern}' must {hint}"
    type_segment, name = segments[-2], segments[-1]
    # Nested resources carry their parents' types before '$'; the last type is the resource's own.
    own_type = type_segment.rsplit("$", 1)[-1]
    if not _TYPE_TOKEN.fullmatch(own_type) or any(c in own_type for c in _WILDCARDS):
        return f"urn '{pattern}' has no exact resource type ('{own_type}'); it must {hint}"
    if not name or name[0] in _WILDCARDS:
        return f"urn '{pattern}' has no resource name (it starts with a wildcard); it must {hint}"
    return None


def _without_parent_types(urn: str) -> str:
    """`urn:pulumi:s::p::A$B$T::name` -> `urn:pulumi:s::p::T::name`."""
    parts = urn.split("::", 3)
    if len(parts) < 4:
        return urn
    parts[2] = parts[2].rsplit("$", 1)[-1]
    return "::".join(parts)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_exemptions(config: Mapping[str, Any], today: dt.date | None = None) -> list[Exemption]:
    """Every exemption of one policy's config, each with the reason it does not apply (if any)."""
    today = today or dt.date.today()
    approvers = [a for a in _list(config.get(APPROVERS)) if isinstance(a, str) and a.strip()]
    max_days = config.get(MAX_DAYS)
    if not isinstance(max_days, int) or isinstance(max_days, bool) or max_days < 1:
        max_days = DEFAULT_MAX_DAYS
    parsed = []
    for index, entry in enumerate(_list(config.get(EXEMPTIONS)), start=1):
        entry = entry if isinstance(entry, Mapping) else {}
        values = {key: _text(entry.get(key)) for key in FIELDS}
        problem = _problem(index, values, approvers, max_days, today)
        parsed.append(Exemption(index, **values, problem=problem))
    return parsed


def _problem(
    index: int, values: Mapping[str, str], approvers: Sequence[str], max_days: int, today: dt.date
) -> str | None:
    label = f"exemption #{index}" + (f" for '{values['urn']}'" if values["urn"] else "")
    missing = [key for key in FIELDS if not values[key]]
    if missing:
        return f"{label} is incomplete: missing {', '.join(missing)}"
    pattern = urn_pattern_problem(values["urn"])
    if pattern:
        return f"{label}: {pattern}"
    if values["approver"] not in approvers:
        allowed = ", ".join(approvers) if approvers else "none declared (platform.yaml exemptions.approvers)"
        who = values["approver"]
        return f"{label} is approved by '{who}', who may not approve exemptions; allowed: {allowed}"
    try:
        expires = dt.date.fromisoformat(values["expires"])
    except ValueError:
        return f"{label} has expires '{values['expires']}'; required: a date YYYY-MM-DD"
    if expires < today:
        return f"{label} expired on {values['expires']}"
    latest = today + dt.timedelta(days=max_days)
    if expires > latest:
        return (
            f"{label} expires on {values['expires']}, more than {max_days} days ahead; "
            f"required: on or before {latest.isoformat()}"
        )
    return None


def covering_everything(exemptions: Iterable[Exemption], urns: Sequence[str]) -> list[Exemption]:
    """Valid-looking exemptions matching every resource of a stack: a policy switched off, not exempted."""
    if len(urns) < 2:
        return []
    return [e for e in exemptions if e.problem is None and all(e.covers(urn) for urn in urns)]


def everything_problem(exemption: Exemption) -> str:
    return (
        f"exemption #{exemption.index} for '{exemption.urn}' matches every resource of the stack; "
        "it must name one resource type and a name"
    )


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else []
