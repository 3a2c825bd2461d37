"""Check one stack: record its program as a first preview sees it, run the applicable packs, classify.

The result is plain data (`StackResult`): it crosses process boundaries (fleet workers), is stored in
the cache and feeds every report. It never holds resource inputs, so no report can print them; policy
messages and error texts are scrubbed of secret values before they leave this module.

Heavy imports (the Pulumi SDK, the program, gRPC) happen inside `check_stack`, so the CLI can load the
data model, render cached results and exit quickly without them.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import sys
import time
import warnings
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from tenantctl.analyzer import AnalyzerRequests, PackResult
    from tenantctl.program import ProgramRun

BASELINE_PACK = "mlops-baseline"
REGULATED_PACK = "mlops-regulated"
STANDARD_TIER = "standard"

# Stack status: what happened. Verdict (see `verdict`) is derived from status, findings and --strict.
OK, CONFIG_ERROR, USAGE_ERROR, CRASH = "ok", "config-error", "usage-error", "crash"

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 3

# Finding kinds.
VIOLATION, ADVISORY, UNDECIDED = "violation", "advisory", "undecided"

UNDECIDED_PREFIX, UNDECIDED_REASON = "can't run policy", "during preview: "

REDACTED = "[secret]"
# Shorter secret values are not scrubbed from free text: replacing every "ab" in every message would
# destroy the report while protecting nothing a reader could not guess.
MIN_SCRUB_LENGTH = 4


class PolicyConfigFileError(Exception):
    """The --policy-pack-config file is unreadable or has the wrong shape (exit 2)."""


# ---------------------------------------------------------------- the data model


@dataclass(frozen=True)
class ResourceRef:
    """A recorded resource without its inputs: enough for trees, diagrams and locations."""

    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyMeta:
    pack: str
    name: str
    control: str
    area: str
    title: str
    description: str
    display_name: str
    enforcement: str
    """As configured for this run (after --policy-pack-config), not the pack's default."""
    declared: str
    """As the pack declares it; a mandatory policy configured weaker is a finding of its own."""
    severity: str
    remediation: str
    tags: tuple[str, ...]
    kind: str
    """"resource" or "stack"."""
    status: str
    """For this stack: failed, undecided, warning, passed, not-applicable or disabled."""


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


@dataclass(frozen=True)
class ExemptionUse:
    pack: str
    policy: str
    urn: str
    reason: str


@dataclass
class StackResult:
    stack: str
    status: str = OK
    error: str = ""
    tenant: str = ""
    tier: str = ""
    packs: dict[str, str] = field(default_factory=dict)
    """pack name -> version (from the pack's PulumiPolicy.yaml)."""
    policies: list[PolicyMeta] = field(default_factory=list)
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
    def weakened(self) -> list[PolicyMeta]:
        """Mandatory policies that policy config made advisory or disabled: only exemptions may relax one."""
        return [
            p
            for p in self.policies
            if p.declared == "mandatory" and p.enforcement in ("advisory", "disabled")
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
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StackResult:
        return cls(
            stack=data["stack"],
            status=data.get("status", OK),
            error=data.get("error", ""),
            tenant=data.get("tenant", ""),
            tier=data.get("tier", ""),
            packs=dict(data.get("packs", {})),
            policies=[
                PolicyMeta(**{"declared": p.get("enforcement", ""), **p, "tags": tuple(p["tags"])})
                for p in data.get("policies", [])
            ],
            findings=[Finding(**f) for f in data.get("findings", [])],
            exemptions=[ExemptionUse(**e) for e in data.get("exemptions", [])],
            resources=[
                ResourceRef(**{**r, "depends_on": tuple(r.get("depends_on", ()))})
                for r in data.get("resources", [])
            ],
            duration_s=float(data.get("duration_s", 0.0)),
            cached=bool(data.get("cached", False)),
            checked_at=data.get("checked_at", ""),
        )


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


# ---------------------------------------------------------------- policy-pack config


def load_policy_config(path: Path | None) -> tuple[dict[str, Any], str]:
    """The parsed --policy-pack-config file and its text (the text goes into the cache key)."""
    if path is None:
        return {}, ""
    try:
        text = path.read_text()
        data = json.loads(text)
    except OSError as err:
        raise PolicyConfigFileError(f"{path}: cannot read the policy-pack config ({err.strerror})") from None
    except ValueError as err:
        raise PolicyConfigFileError(f"{path}: the policy-pack config is not valid JSON ({err})") from None
    if not isinstance(data, dict):
        raise PolicyConfigFileError(f"{path}: the policy-pack config must be a JSON object")
    return data, text


def config_for_pack(
    user_config: Mapping[str, Any], pack: str, policy_names: set[str], packs: set[str]
) -> dict:
    """The part of the user's file that concerns one pack.

    Two shapes are accepted: keyed by pack folder (`{"mlops-baseline": {...}}`), or the CLI's flat
    `--policy-pack-config` shape shared by both packs, where `all` applies to every pack and a
    policy entry goes to the pack that declares it (one file serves a fleet of mixed tiers).
    """
    if user_config and set(user_config) <= packs:
        return dict(user_config.get(pack) or {})
    selected = {k: v for k, v in user_config.items() if k in policy_names}
    if "all" in user_config:
        selected["all"] = user_config["all"]
    return selected


def unknown_policy_names(user_config: Mapping[str, Any], packs: set[str], known: set[str]) -> list[str]:
    if not user_config or set(user_config) <= packs:
        return []
    return sorted(set(user_config) - known - {"all"})


# ---------------------------------------------------------------- secrets


class Scrubber:
    """Removes secret values from text that leaves the check: messages, reasons, error texts."""

    def __init__(self, values: set[str] | None = None) -> None:
        self.values = {v for v in (values or set()) if len(v) >= MIN_SCRUB_LENGTH}

    def add_from_properties(self, properties: Any) -> None:
        from tenantctl.program import SECRET_SIG

        if isinstance(properties, dict):
            if SECRET_SIG in properties:
                self._add_value(properties.get("value"))
                return
            for value in properties.values():
                self.add_from_properties(value)
        elif isinstance(properties, list):
            for value in properties:
                self.add_from_properties(value)

    def add_ciphertexts(self, config: Any) -> None:
        """`pulumi config set --secret` values: ciphertext in the stack file, never shown either."""
        if isinstance(config, dict):
            if set(config) == {"secure"}:
                self._add_value(config["secure"])
                return
            for value in config.values():
                self.add_ciphertexts(value)
        elif isinstance(config, list):
            for value in config:
                self.add_ciphertexts(value)

    def _add_value(self, value: Any) -> None:
        if isinstance(value, str):
            candidates = [value]
        elif isinstance(value, dict | list):
            candidates = [json.dumps(value)]
            for leaf in _leaves(value):
                candidates.append(leaf)
        elif value is None:
            candidates = []
        else:
            candidates = [json.dumps(value)]
        self.values.update(c for c in candidates if len(c) >= MIN_SCRUB_LENGTH)

    def __call__(self, text: str) -> str:
        # Longest first, so a secret containing another secret is removed whole.
        for value in sorted(self.values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, REDACTED)
        return text


def _leaves(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str):
        yield value
    elif value is not None:
        yield json.dumps(value)


# ---------------------------------------------------------------- running one stack


@dataclass(frozen=True)
class CheckOptions:
    project_dir: Path
    packs_dir: Path
    policy_config: Mapping[str, Any] = field(default_factory=dict)


def pack_version(pack_dir: Path) -> str:
    """The pack's real version: the Python SDK always reports 0.0.1 over the protocol."""
    try:
        document = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text()) or {}
    except (OSError, yaml.YAMLError):
        return "unknown"
    return str(document.get("version", "unknown")) if isinstance(document, dict) else "unknown"


def applicable_packs(tier: str) -> list[str]:
    # Fail closed like the packs do: a tier that is not exactly "standard" gets the regulated pack too.
    return [BASELINE_PACK] if tier == STANDARD_TIER else [BASELINE_PACK, REGULATED_PACK]


@functools.cache
def quiet_program_noise() -> None:
    """The SDK leaves a few pending RPC tasks when a mock run's loop closes; they are not findings."""
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)


@contextlib.contextmanager
def program_environment(project_dir: Path) -> Iterator[None]:
    """Run the program as the Pulumi CLI would: from its project directory, which is on sys.path."""
    previous_cwd = Path.cwd()
    entry = str(project_dir)
    sys.path.insert(0, entry)
    os.chdir(project_dir)
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)


def check_stack(stack: str, options: CheckOptions) -> StackResult:
    """Check one stack in this process. Never raises for stack problems: they become the status."""
    from landingzone.config import ConfigError, read_stack_config, stack_file
    from tenantctl.analyzer import AnalyzerCrash, PolicyConfigError
    from tenantctl.program import ProgramError

    started = time.perf_counter()
    result = StackResult(stack=stack, checked_at=_now())
    scrub = Scrubber()
    try:
        raw = read_stack_config(stack_file(options.project_dir, stack))
        scrub.add_ciphertexts(raw)
        result.tenant, result.tier = _tenant_id_and_tier(raw)
        _run_stack(stack, options, result, scrub)
    except ConfigError as err:
        result.status, result.error = CONFIG_ERROR, scrub(str(err))
    except PolicyConfigError as err:
        result.status, result.error = USAGE_ERROR, scrub(f"--policy-pack-config: {err}")
    except (ProgramError, AnalyzerCrash) as err:
        result.status, result.error = CRASH, scrub(str(err))
    except Exception as err:  # noqa: BLE001 - anything unexpected must fail the gate closed, not pass it
        result.status, result.error = (
            CRASH,
            scrub(f"tenantctl failed on stack {stack}: {type(err).__name__}: {err}"),
        )
    result.duration_s = round(time.perf_counter() - started, 3)
    return result


def _run_stack(stack: str, options: CheckOptions, result: StackResult, scrub: Scrubber) -> None:
    from tenantctl.analyzer import AnalyzerRequests
    from tenantctl.program import ProgramRun, pulumi_config, record_stack

    packs = applicable_packs(result.tier)
    config, secret_keys = pulumi_config(options.project_dir, stack)
    # The packs only need the stack's config to start, so they start while the program runs: pack
    # startup (a Python process importing the SDK and the rules) then costs no wall time.
    env_run = ProgramRun(stack=stack, preview=True, config=config, secret_keys=secret_keys)
    with contextlib.ExitStack() as cleanup, ThreadPoolExecutor(max_workers=len(packs)) as pool:
        sessions = {pack: _PackSession(options.packs_dir / pack, env_run) for pack in packs}
        for session in sessions.values():
            cleanup.callback(session.close)
        starting = {pack: pool.submit(session.start) for pack, session in sessions.items()}
        quiet_program_noise()
        with program_environment(options.project_dir):
            run = record_stack(options.project_dir, stack)
        for future in starting.values():
            future.result()
        for resource in run.resources:
            scrub.add_from_properties(resource.properties)
        requests = AnalyzerRequests.build(run)
        analyses = {
            pack: pool.submit(sessions[pack].analyze, requests, options.policy_config) for pack in packs
        }
        pack_results = {pack: future.result() for pack, future in analyses.items()}
    _check_policy_names(options, pack_results, packs)
    result.resources = [_resource_ref(r) for r in run.resources]
    custom_urns = {r.urn for r in run.resources if r.custom}
    for pack, (pack_result, kinds) in pack_results.items():
        result.packs[pack] = pack_version(options.packs_dir / pack)
        _classify(result, pack_result, kinds, custom_urns, scrub)


def _check_policy_names(
    options: CheckOptions, pack_results: Mapping[str, tuple[PackResult, dict[str, str]]], ran: list[str]
) -> None:
    from tenantctl.analyzer import PolicyConfigError

    every_pack = (
        {p.name for p in options.packs_dir.iterdir() if p.is_dir()} if options.packs_dir.is_dir() else set()
    )
    known = {name for result, kinds in pack_results.values() for name in kinds}
    unknown = unknown_policy_names(options.policy_config, every_pack, known)
    # A name only another (not applicable) pack declares is fine: one file serves every tier. When
    # every pack ran, a name nobody declares is a typo, and a typo in a gate's config must not pass.
    if unknown and set(ran) >= every_pack:
        raise PolicyConfigError(f"the file names policies no pack has: {unknown}")


def _tenant_id_and_tier(raw: Mapping[str, Any]) -> tuple[str, str]:
    tenant = raw.get("landingzone:tenant")
    if not isinstance(tenant, dict):
        return "", ""
    # Only plain strings: a `secure:` value here is ciphertext and must not reach a report.
    tenant_id, tier = tenant.get("id"), tenant.get("tier")
    return (tenant_id if isinstance(tenant_id, str) else ""), (tier if isinstance(tier, str) else "")


def _resource_ref(resource: Any) -> ResourceRef:
    depends = list(resource.dependencies)
    for urns in resource.property_dependencies.values():
        depends.extend(urns)
    return ResourceRef(
        type=resource.type,
        name=resource.name,
        urn=resource.urn,
        parent=resource.parent,
        custom=resource.custom,
        depends_on=tuple(dict.fromkeys(u for u in depends if u)),
    )


def _classify(
    result: StackResult, pack: PackResult, kinds: Mapping[str, str], custom_urns: set[str], scrub: Scrubber
) -> None:
    from landingzone.controls import load_controls

    catalog = load_controls().controls
    infos = {p.name: p for p in pack.policies}
    not_applicable: dict[str, set[str]] = {}
    for na in pack.not_applicable:
        not_applicable.setdefault(na.policy, set()).add(na.urn)
        if na.reason.startswith("exempted by"):
            result.exemptions.append(ExemptionUse(pack.pack, na.policy, na.urn, scrub(na.reason)))
    by_policy: dict[str, list[Finding]] = {}
    for diagnostic in pack.diagnostics:
        info = infos.get(diagnostic.policy)
        if diagnostic.undecided:
            kind = UNDECIDED
            # The SDK reports "cannot decide" as advisory whatever the policy is; the policy's own
            # (configured) enforcement says whether --strict must fail on it. A remediation policy
            # that still violates is reported as mandatory by the SDK, so it counts as one here too.
            configured = _effective_enforcement(
                pack, diagnostic.policy, info.enforcement if info else "advisory"
            )
            enforcement = "mandatory" if configured == "remediate" else configured
        elif diagnostic.enforcement == "mandatory":
            kind, enforcement = VIOLATION, "mandatory"
        elif diagnostic.enforcement == "disabled":
            continue
        else:
            kind, enforcement = ADVISORY, diagnostic.enforcement
        control = info.control if info else ""
        resource_type, resource_name = split_urn(diagnostic.urn)
        finding = Finding(
            kind=kind,
            pack=pack.pack,
            policy=diagnostic.policy,
            control=control,
            area=_area(control, info.tags if info else (), catalog),
            enforcement=enforcement,
            severity=info.severity if info else diagnostic.severity,
            urn=diagnostic.urn,
            resource_type=resource_type,
            resource_name=resource_name,
            message=scrub(_specific_message(diagnostic.message, info.description if info else "")),
            remediation=info.remediation if info else "",
        )
        result.findings.append(finding)
        by_policy.setdefault(diagnostic.policy, []).append(finding)
    for name, policy in infos.items():
        entry = catalog.get(policy.control)
        result.policies.append(
            PolicyMeta(
                pack=pack.pack,
                name=name,
                control=policy.control,
                area=_area(policy.control, policy.tags, catalog),
                title=entry.title if entry else policy.display_name,
                description=policy.description,
                display_name=policy.display_name,
                enforcement=_effective_enforcement(pack, name, policy.enforcement),
                declared=policy.enforcement,
                severity=policy.severity,
                remediation=policy.remediation,
                tags=policy.tags,
                kind=kinds.get(name, "resource"),
                status=_policy_status(
                    by_policy.get(name, []),
                    not_applicable.get(name, set()),
                    kinds.get(name, "resource"),
                    custom_urns,
                    _effective_enforcement(pack, name, policy.enforcement),
                ),
            )
        )


def _effective_enforcement(pack: PackResult, policy: str, fallback: str) -> str:
    return str(pack.config.get(policy, {}).get("enforcementLevel", fallback))


def _area(control: str, tags: tuple[str, ...], catalog: Mapping[str, Any]) -> str:
    if control in catalog:
        return str(catalog[control].area)
    return tags[0] if tags else "other"


def _specific_message(message: str, description: str) -> str:
    """The SDK sends "<policy description>\\n<message>"; reports show the description separately.

    "Cannot decide" diagnostics read "can't run policy 'p' from policy pack 'x@v0.0.1' during preview:
    <why>"; the why is what a reader needs (the policy and pack are shown next to it anyway).
    """
    if message.startswith(UNDECIDED_PREFIX) and UNDECIDED_REASON in message:
        return message.split(UNDECIDED_REASON, 1)[1].strip()
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


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- one policy pack, over the protocol


class _PackSession:
    """One pack process for one stack, driven by `analyzer.converse` like `analyzer.analyze` drives it.

    Two differences the gate needs: the process is started before the program has finished, and the
    user's config file is narrowed to this pack's policies (a fleet shares one file across packs).
    """

    def __init__(self, pack_dir: Path, env_run: ProgramRun) -> None:
        from tenantctl.analyzer import pack_server

        self.pack_dir = pack_dir
        self._server = pack_server(pack_dir, env_run)
        self._stub: Any = None
        self._started = False

    def start(self) -> None:
        from tenantctl.analyzer import AnalyzerCrash

        if not self.pack_dir.is_dir():
            raise AnalyzerCrash(f"policy pack folder {self.pack_dir} does not exist")
        try:
            self._stub, _engine = self._server.__enter__()
        except AnalyzerCrash:
            raise
        except Exception as err:  # noqa: BLE001 - e.g. the channel never became ready: fail closed
            raise AnalyzerCrash(f"policy pack {self.pack_dir.name} did not start: {err}") from None
        self._started = True

    def close(self) -> None:
        if self._started:
            self._started = False
            with contextlib.suppress(Exception):
                self._server.__exit__(None, None, None)

    def analyze(
        self, requests: AnalyzerRequests, user_config: Mapping[str, Any]
    ) -> tuple[PackResult, dict[str, str]]:
        from pulumi.runtime.proto import analyzer_pb2

        from tenantctl import analyzer

        packs = {p.name for p in self.pack_dir.parent.iterdir() if p.is_dir()}

        def narrowed(names: set[str]) -> Mapping[str, Any]:
            return config_for_pack(user_config, self.pack_dir.name, names, packs)

        result, info = analyzer.converse(self._stub, requests, narrowed, self.pack_dir.name)
        kinds = {
            p.name: "stack" if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK else "resource"
            for p in info.policies
        }
        return result, kinds
