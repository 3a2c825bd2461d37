"""The incident state as the packs see it: `landingzone:incident` from the stack config (written by
`tenantctl quarantine`). Rules that only bind a quarantined stack call `quarantine()` first: on any
other stack they are not applicable (said so, never a silent pass)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy.policy import _NotApplicableError

from mlops_policies.props import as_int, as_str, get
from mlops_policies.rule import config_value

INCIDENT_KEY = "landingzone:incident"
QUARANTINED = "quarantined"


@dataclass(frozen=True)
class Quarantine:
    ticket: str
    since: str
    evidence: Mapping[str, Any]

    def names(self, kind: str) -> list[str]:
        return [str(name) for name in get(self.evidence, kind, default=[]) or []]

    def days(self, kind: str) -> int:
        return as_int(get(self.evidence, kind)) or 0


def quarantine() -> Quarantine:
    """The stack's quarantine; raises the SDK's not-applicable signal when the stack is not quarantined.

    A block that is present but unreadable counts as quarantined with nothing recorded (fail closed:
    the deny rules then demand their resources, with `since` "missing").
    """
    block = config_value(INCIDENT_KEY)
    if block is None:
        raise _NotApplicableError("the stack is not quarantined (no landingzone:incident)")
    block = block if isinstance(block, Mapping) else {}
    evidence = get(block, "evidence")
    return Quarantine(
        ticket=as_str(get(block, "ticket")) or "missing",
        since=as_str(get(block, "since")) or "missing",
        evidence=evidence if isinstance(evidence, Mapping) else {},
    )
