"""The fleet: every stack file in stacks/, each validated by the model, plus the invariants across them.

Fleet invariants (unique tenant ids, no overlapping VPCs, file name = tenant id) are judged on the raw
`id` and `network.cidr` values, so a stack that fails the model for some other reason still counts: a
broken neighbour must not make its address block look free.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from landingzone.config import (
    TENANT_KEY,
    ConfigError,
    StackSettings,
    parse_settings,
    read_stack_config,
    stack_file,
)

STACKS_DIR = "stacks"
_PREFIX, _SUFFIX = "Pulumi.", ".yaml"
_CIDR_FIELD = f"{TENANT_KEY}.network.cidr"
_ID_FIELD = f"{TENANT_KEY}.id"


@dataclass(frozen=True)
class StackFile:
    """One stack file as read from disk: its config map, or why it could not be read."""

    name: str
    source: str
    config: dict[str, Any] | None
    read_problems: tuple[str, ...] = ()

    @property
    def tenant_id(self) -> str | None:
        value = _tenant_value(self.config, "id")
        return value if isinstance(value, str) else None

    @property
    def cidr(self) -> ipaddress.IPv4Network | None:
        """The block this stack claims (host bits ignored: the claim is what matters for overlaps)."""
        network = _tenant_value(self.config, "network")
        value = network.get("cidr") if isinstance(network, dict) else None
        if not isinstance(value, str):
            return None
        try:
            parsed = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return None
        return parsed if isinstance(parsed, ipaddress.IPv4Network) else None


def _tenant_value(config: dict[str, Any] | None, key: str) -> Any:
    tenant = (config or {}).get(TENANT_KEY)
    return tenant.get(key) if isinstance(tenant, dict) else None


def read_fleet(project_dir: Path) -> list[StackFile]:
    """Every `stacks/Pulumi.<name>.yaml`, sorted by name; a missing stacks/ is an empty fleet."""
    stacks_dir = project_dir / STACKS_DIR
    paths = sorted(stacks_dir.glob(f"{_PREFIX}*{_SUFFIX}")) if stacks_dir.is_dir() else []
    return [read_stack(project_dir, path) for path in paths]


def read_stack(project_dir: Path, path: Path) -> StackFile:
    name = path.name.removeprefix(_PREFIX).removesuffix(_SUFFIX)
    source = str(path.relative_to(project_dir))
    try:
        return StackFile(name, source, read_stack_config(path))
    except ConfigError as err:
        return StackFile(name, source, None, tuple(err.problems))
    except (OSError, UnicodeDecodeError, RecursionError) as err:
        # read_stack_config reports YAML errors; a file we cannot even read (permissions, bytes) lands here.
        return StackFile(name, source, None, (f"cannot read the stack file: {err}",))


def fleet_problems(stacks: list[StackFile]) -> dict[str, list[str]]:
    """Stack name -> problems with the fleet invariants; every problem names the other stack involved."""
    problems: dict[str, list[str]] = defaultdict(list)
    by_id: dict[str, list[StackFile]] = defaultdict(list)
    for stack in stacks:
        if stack.tenant_id is not None:
            by_id[stack.tenant_id].append(stack)
            if stack.tenant_id != stack.name:
                problems[stack.name].append(
                    f"{_ID_FIELD}: '{stack.tenant_id}' does not match the file name {stack.source}; "
                    f"a tenant's stack file must be {_PREFIX}{stack.tenant_id}{_SUFFIX}"
                )
    for tenant_id, owners in by_id.items():
        for stack in owners:
            others = ", ".join(o.source for o in owners if o is not stack)
            if others:
                problems[stack.name].append(f"{_ID_FIELD}: tenant id '{tenant_id}' is also used by {others}")
    claimed = [(stack, cidr) for stack in stacks if (cidr := stack.cidr) is not None]
    for (a, cidr_a), (b, cidr_b) in combinations(claimed, 2):
        if cidr_a.overlaps(cidr_b):
            problems[a.name].append(f"{_CIDR_FIELD}: {cidr_a} overlaps {cidr_b} of {b.source}")
            problems[b.name].append(f"{_CIDR_FIELD}: {cidr_b} overlaps {cidr_a} of {a.source}")
    return dict(problems)


@dataclass
class StackReport:
    stack: str
    source: str
    settings: StackSettings | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class FleetReport:
    stacks: list[StackReport]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.stacks)

    def as_json(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "problems": sum(len(r.problems) for r in self.stacks),
            "stacks": [
                {
                    "stack": r.stack,
                    "file": r.source,
                    "tenant": r.settings.tenant.id if r.settings else None,
                    "valid": r.ok,
                    "problems": r.problems,
                }
                for r in self.stacks
            ],
        }


def validate_fleet(project_dir: Path, only: list[str] | None = None) -> FleetReport:
    """Validate `only` these stacks (default: all) against the model and the whole fleet's invariants."""
    fleet = read_fleet(project_dir)
    across = fleet_problems(fleet)
    by_name = {stack.name: stack for stack in fleet}
    reports = []
    for name in only if only is not None else list(by_name):
        stack = by_name.get(name)
        if stack is None:
            source = str(stack_file(project_dir, name).relative_to(project_dir))
            reports.append(StackReport(name, source, problems=["stack file not found"]))
            continue
        report = _validate_stack(stack)
        report.problems.extend(across.get(name, []))
        reports.append(report)
    return FleetReport(reports)


def _validate_stack(stack: StackFile) -> StackReport:
    if stack.config is None:
        return StackReport(stack.name, stack.source, problems=list(stack.read_problems))
    try:
        settings = parse_settings(stack.name, stack.config, stack.source)
    except ConfigError as err:
        return StackReport(stack.name, stack.source, problems=list(err.problems))
    return StackReport(stack.name, stack.source, settings=settings)
