"""How a check is declared: a control id, a check name, the resources it judges (a Scope) and a function
that judges one of them and returns an Outcome.

Checks never catch errors: the runner turns Unobservable into not_observable, so every check reads as
the rule it enforces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tenantctl.audit.inventory import LiveInventory
from tenantctl.audit.model import AuditTarget, Status
from tenantctl.audit.reader import AwsReader, Reply


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str
    evidence: dict[str, Any]
    sources: tuple[str, ...]


Source = Reply | str | None  # a reply, or the ref of a recorded response (paged lists), or nothing


def _refs(sources: tuple[Source, ...]) -> tuple[str, ...]:
    refs = [s.ref if isinstance(s, Reply) else s for s in sources if s is not None]
    return tuple(dict.fromkeys(refs))


def verdict(ok: bool, detail: str, evidence: dict[str, Any], *sources: Source) -> Outcome:
    return Outcome(Status.PASS if ok else Status.FAIL, detail, evidence, _refs(sources))


def unobservable(detail: str, evidence: dict[str, Any], *sources: Source) -> Outcome:
    return Outcome(Status.NOT_OBSERVABLE, detail, evidence, _refs(sources))


@dataclass(frozen=True)
class Missing:
    """A resource the landing zone always creates, which discovery did not find: its checks fail."""

    resource: str


@dataclass
class AuditContext:
    target: AuditTarget
    reader: AwsReader
    inventory: LiveInventory

    def read(self, service: str, method: str, **params: Any) -> Reply:
        return self.reader.read(service, method, **params)

    def listed(self, service: str, operation: str) -> str | None:
        """The first recorded page of a list call discovery made (the response a listed item came from)."""
        refs = self.reader.refs(service, operation)
        return refs[0] if refs else None


@dataclass(frozen=True)
class Scope:
    """The resources a check judges. `label` names them when there are none or they cannot be listed."""

    label: str
    select: Callable[[AuditContext], Sequence[Any]]


@dataclass(frozen=True)
class CheckSpec:
    control: str
    name: str
    scope: Scope
    judge: Callable[[AuditContext, Any], Outcome]
    regulated_only: bool
    summary: str


CHECKS: list[CheckSpec] = []


def check(
    control: str, name: str, scope: Scope, *, regulated: bool = False
) -> Callable[[Callable[[AuditContext, Any], Outcome]], Callable[[AuditContext, Any], Outcome]]:
    """Register a check; its docstring's first line is the rule's one-line summary (SARIF, Markdown)."""

    def register(fn: Callable[[AuditContext, Any], Outcome]) -> Callable[[AuditContext, Any], Outcome]:
        if any(spec.name == name for spec in CHECKS):
            raise ValueError(f"duplicate check name {name}")
        summary = (fn.__doc__ or name).strip().splitlines()[0]
        CHECKS.append(CheckSpec(control, name, scope, fn, regulated, summary))
        return fn

    return register
