"""Policy config that can only tighten: one validation for the packs and for `tenantctl check`.

A policy-pack config file (the Pulumi CLI's `--policy-pack-config` shape) may set a policy's
enforcement level, its thresholds and its exemptions. Three kinds of problem, judged here:

- unusable input (an unknown policy or property, a wrong type): a usage error naming the file, the key
  and the allowed names; nothing is checked;
- a threshold looser than the catalog (landingzone/data/policy-bounds.yaml): a violation of the
  control it weakens, reported like any other finding, and the catalog value is used instead;
- a bad exemption (see exemptions.py): a violation of the policy, and the exemption is dropped.

The packs carry the same bounds in their config schemas (`schema_properties`), so the Pulumi CLI
refuses a weakening config, and check them again at run time (`weakenings`).

Just over 300 lines: the schema, the review of the file and the exemption reading are one contract.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from mlops_policies import exemptions as ex
from mlops_policies.policy_facts import PolicyFacts

ENFORCEMENT_LEVEL = "enforcementLevel"
ENFORCEMENT_LEVELS = ("advisory", "mandatory", "remediate", "disabled")
ALL = "all"
LEVELS = ", ".join(ENFORCEMENT_LEVELS)
CONVENTIONAL_PATH = "policy/policy-config.json"
"""Where the project keeps its policy-pack config; `tenantctl check` reads it when present."""


@dataclass(frozen=True)
class Bound:
    policy: str
    property: str
    minimum: int | None = None
    maximum: int | None = None
    contains_default: bool = False
    within_default: bool = False


@cache
def load_bounds() -> dict[str, dict[str, Bound]]:
    text = resources.files("landingzone").joinpath("data/policy-bounds.yaml").read_text()
    document = yaml.safe_load(text)
    return {
        policy: {prop: Bound(policy, prop, **spec) for prop, spec in props.items()}
        for policy, props in document["policies"].items()
    }


def schema_properties(
    policy: str, config: Mapping[str, Mapping[str, Any]] | None
) -> dict[str, dict[str, Any]]:
    """A policy's config schema: its own properties with the catalog bounds, plus the exemption ones."""
    bounds = load_bounds().get(policy, {})
    properties: dict[str, dict[str, Any]] = {}
    for name, spec in (config or {}).items():
        spec = dict(spec)
        bound = bounds.get(name)
        if bound is not None and bound.minimum is not None:
            spec["minimum"] = bound.minimum
        if bound is not None and bound.maximum is not None:
            spec["maximum"] = bound.maximum
            spec.setdefault("minimum", 1)
        properties[name] = spec
    properties.update(copy.deepcopy(ex.SCHEMA_PROPERTIES))
    return properties


# ---------------------------------------------------------------- thresholds


@dataclass(frozen=True)
class Weakening:
    policy: str
    property: str
    found: Any
    bound: Bound
    catalog: Any
    """The catalog value: the bound, or the default list."""
    held_to: Any
    """What the policy runs with instead: the bound, or the list with the catalog's entries restored."""

    def message(self, source: str = "policy config") -> str:
        if self.bound.minimum is not None:
            required = f"at least the catalog minimum of {self.bound.minimum}"
        elif self.bound.maximum is not None:
            required = f"at most the catalog maximum of {self.bound.maximum}"
        elif self.bound.contains_default:
            required = f"every catalog entry ({', '.join(map(str, self.catalog))}), plus any of your own"
        else:
            required = f"only catalog entries ({', '.join(map(str, self.catalog))})"
        return (
            f"{source} sets {self.policy}.{self.property} to {_shown(self.found)}, looser than the catalog; "
            f"required: {required} (a config may only tighten a control; use an exemption instead)"
        )


def weakenings(policy: str, settings: Mapping[str, Any], defaults: Mapping[str, Any]) -> list[Weakening]:
    """Thresholds in `settings` looser than the catalog bounds of `policy` (defaults = catalog values)."""
    found = []
    for prop, bound in load_bounds().get(policy, {}).items():
        if prop not in settings:
            continue
        value, default = settings[prop], defaults.get(prop)
        if bound.minimum is not None and _number(value) and value < bound.minimum:
            found.append(Weakening(policy, prop, value, bound, bound.minimum, bound.minimum))
        elif bound.maximum is not None and _number(value) and value > bound.maximum:
            found.append(Weakening(policy, prop, value, bound, bound.maximum, bound.maximum))
        elif not (isinstance(value, list) and isinstance(default, list)):
            continue
        elif bound.contains_default and not set(default) <= set(value):
            restored = [*value, *(d for d in default if d not in value)]
            found.append(Weakening(policy, prop, value, bound, default, restored))
        elif bound.within_default and not set(value) <= set(default):
            kept = [v for v in value if v in default]
            found.append(Weakening(policy, prop, value, bound, default, kept))
    return found


def tightened(settings: Mapping[str, Any], found: Sequence[Weakening]) -> dict[str, Any]:
    """`settings` with every weakened threshold back at its catalog value."""
    result = dict(settings)
    for weakening in found:
        result[weakening.property] = copy.deepcopy(weakening.held_to)
    return result


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


# ---------------------------------------------------------------- the file, as tenantctl check reads it


@dataclass(frozen=True)
class PlatformExemptions:
    approvers: tuple[str, ...] = ()
    max_days: int = ex.DEFAULT_MAX_DAYS


@dataclass
class ConfigFinding:
    """A violation the config itself causes: a weakened threshold or a bad exemption."""

    policy: str
    control: str
    pack: str
    message: str


@dataclass
class Review:
    """The file judged: usage errors (exit 2), findings (violations) and the config to hand to the packs."""

    errors: list[str] = field(default_factory=list)
    findings: list[ConfigFinding] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)


def review(
    data: Mapping[str, Any],
    source: str,
    policies: Mapping[str, PolicyFacts],
    platform: PlatformExemptions,
    today: dt.date | None = None,
) -> Review:
    """Judge a policy-config file (flat CLI shape or keyed by pack folder) against every known policy."""
    result = Review()
    packs = sorted({p.pack for p in policies.values()})
    if data and set(data) <= set(packs):
        for pack, section in data.items():
            if not isinstance(section, Mapping):
                result.errors.append(f"{source}: {pack}: must be an object of policy names to settings")
                continue
            mine = {name: info for name, info in policies.items() if info.pack == pack}
            part = _review_flat(section, f"{source}: {pack}", mine, platform, today, result)
            result.config[pack] = part
        return result
    result.config = _review_flat(data, source, policies, platform, today, result)
    return result


def _review_flat(
    data: Mapping[str, Any],
    where: str,
    policies: Mapping[str, PolicyFacts],
    platform: PlatformExemptions,
    today: dt.date | None,
    result: Review,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, entry in data.items():
        if name == ALL:
            if entry not in ENFORCEMENT_LEVELS:
                result.errors.append(f"{where}: all: {_shown_value(entry)}; allowed: {LEVELS}")
            out[name] = entry
            continue
        info = policies.get(name)
        if info is None:
            close = difflib.get_close_matches(name, list(policies), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            result.errors.append(
                f"{where}: '{name}' is not a policy of any pack{hint}; "
                f"allowed: all, {', '.join(sorted(policies))}"
            )
            continue
        out[name] = _review_entry(name, entry, where, info, platform, today, result)
    return out


def _review_entry(
    name: str,
    entry: Any,
    where: str,
    info: PolicyFacts,
    platform: PlatformExemptions,
    today: dt.date | None,
    result: Review,
) -> Any:
    if isinstance(entry, str):
        if entry not in ENFORCEMENT_LEVELS:
            result.errors.append(f"{where}: {name}: {_shown_value(entry)}; allowed: {LEVELS}")
        return entry
    if not isinstance(entry, Mapping):
        result.errors.append(
            f"{where}: {name}: {_shown_value(entry)}; required: an enforcement level "
            f"({LEVELS}) or an object of settings"
        )
        return entry
    settable = [p for p in info.properties if p not in ex.PLATFORM_PROPERTIES]
    allowed = ", ".join([ENFORCEMENT_LEVEL, *sorted(settable)])
    errors_before = len(result.errors)
    for key in entry:
        if key in ex.PLATFORM_PROPERTIES:
            result.errors.append(
                f"{where}: {name}.{key}: set by the platform (platform.yaml exemptions), "
                f"not in policy config; "
                f"allowed: {allowed}"
            )
        elif key != ENFORCEMENT_LEVEL and key not in info.properties:
            close = difflib.get_close_matches(key, settable, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            result.errors.append(f"{where}: {name}.{key}: unknown property{hint}; allowed: {allowed}")
    level = entry.get(ENFORCEMENT_LEVEL)
    if ENFORCEMENT_LEVEL in entry and level not in ENFORCEMENT_LEVELS:
        result.errors.append(f"{where}: {name}.{ENFORCEMENT_LEVEL}: {_shown_value(level)}; allowed: {LEVELS}")
    unbounded = {
        prop: {k: v for k, v in spec.items() if k not in ("minimum", "maximum")}
        for prop, spec in info.properties.items()
    }
    for prop, spec in unbounded.items():
        if prop in entry and prop not in ex.PLATFORM_PROPERTIES:
            import jsonschema  # here: most configs set no property, and the import is ~40 ms of a gate run

            try:
                jsonschema.validate(entry[prop], spec)
            except jsonschema.ValidationError as err:
                at = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path)
                result.errors.append(f"{where}: {name}.{prop}{at}: {err.message}")
    if len(result.errors) > errors_before:
        return dict(entry)
    settings = {k: v for k, v in entry.items() if k != ENFORCEMENT_LEVEL}
    found = weakenings(name, settings, info.defaults)
    for weakening in found:
        result.findings.append(ConfigFinding(name, info.control, info.pack, weakening.message(where)))
    settings = tightened(settings, found)
    platform_settings = {ex.APPROVERS: list(platform.approvers), ex.MAX_DAYS: platform.max_days}
    if ex.EXEMPTIONS in settings:
        parsed = ex.parse_exemptions({**settings, **platform_settings}, today)
        for bad in (e for e in parsed if e.problem):
            result.findings.append(ConfigFinding(name, info.control, info.pack, f"{where}: {bad.refusal()}"))
        good = {e.index for e in parsed if e.problem is None}
        settings[ex.EXEMPTIONS] = [e for i, e in enumerate(settings[ex.EXEMPTIONS], start=1) if i in good]
    out = {**settings, **platform_settings}
    if ENFORCEMENT_LEVEL in entry:
        out[ENFORCEMENT_LEVEL] = level
    return out


def _shown_value(value: Any) -> str:
    return (
        f"'{value}'"
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )
