"""Drive a policy pack over the real analyzer protocol, as the Pulumi CLI does.

The pack is started exactly like the CLI starts it (`python -m pulumi.policy <engine> .` in the pack
folder, with PULUMI_CONFIG, PULUMI_PROJECT, PULUMI_STACK and PULUMI_DRY_RUN), its config is
reconciled like the CLI reconciles it, then `Configure`, `Analyze` per resource and `AnalyzeStack`
are called over gRPC. Anything that goes wrong in the pack is an `AnalyzerCrash`: the gate fails closed.

Long (about 450 lines) because it is the CLI's side of the protocol in one place: starting the pack,
the engine it logs to, config reconciliation, the requests and reading the answers.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import grpc
import jsonschema
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, engine_pb2, engine_pb2_grpc

from mlops_policies import undecided
from mlops_policies.policy_facts import RESOURCE, STACK, PolicyFacts
from tenantctl import pack_processes
from tenantctl.model import SourceLine
from tenantctl.program import ProgramRun, RecordedResource
from tenantctl.sources import summarize_traceback

STARTUP_TIMEOUT_S = 60
CALL_TIMEOUT_S = 120
ENFORCEMENT_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.DISABLED: "disabled",
    analyzer_pb2.REMEDIATE: "remediate",
}
ENFORCEMENT_VALUES = {name: value for value, name in ENFORCEMENT_NAMES.items()}
SEVERITY_NAMES = {0: "unspecified", 1: "low", 2: "medium", 3: "high", 4: "critical"}


class AnalyzerCrash(Exception):
    """The pack failed to start, crashed, or answered with an error: nothing can be trusted.

    `source` is the line of the project's code (a rule, the pack) where it happened, when known.
    """

    def __init__(self, message: str, source: SourceLine | None = None) -> None:
        super().__init__(message)
        self.source = source


class PolicyConfigError(Exception):
    """The user's policy-pack config file is unusable (exit 2 material)."""


@dataclass(frozen=True)
class Diagnostic:
    pack: str
    policy: str
    message: str
    urn: str
    enforcement: str
    severity: str

    @property
    def undecided(self) -> bool:
        """The SDK's way of saying a policy could not run because a value is unknown during preview."""
        return undecided.is_undecided(self.message)


@dataclass(frozen=True)
class NotApplicable:
    pack: str
    policy: str
    urn: str
    reason: str


@dataclass
class PackResult:
    pack: str
    version: str
    policies: list[PolicyFacts]
    config: dict[str, dict[str, Any]]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    engine_log: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the engine side the pack logs to


class _Engine(engine_pb2_grpc.EngineServicer):
    def __init__(self) -> None:
        self.messages: list[str] = []
        self._lock = threading.Lock()

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:
        with self._lock:
            self.messages.append(request.message)
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.GetRootResourceResponse(urn="")

    def SetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.SetRootResourceResponse()


@contextmanager
def _engine() -> Iterator[tuple[str, _Engine]]:
    servicer = _Engine()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    engine_pb2_grpc.add_EngineServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}", servicer
    finally:
        server.stop(grace=None)


# ---------------------------------------------------------------- starting the pack


@contextmanager
def pack_server(
    pack_dir: Path, run: ProgramRun, python: str = sys.executable, warm: bool = False
) -> Iterator[tuple[analyzer_pb2_grpc.AnalyzerStub, _Engine]]:
    """Start a pack like the CLI does and yield a connected analyzer stub.

    `warm`: fork the pack from this process's warm zygote (tenantctl.pack_processes) instead of
    spawning it; the gate's workers do, since they start one pack process per stack.
    """
    env = {
        **os.environ,
        "PULUMI_CONFIG": json.dumps(run.config),
        "PULUMI_CONFIG_SECRET_KEYS": json.dumps(run.secret_keys),
        "PULUMI_PROJECT": run.project,
        "PULUMI_STACK": run.stack,
        "PULUMI_DRY_RUN": "true" if run.preview else "false",
    }
    with _engine() as (engine_address, engine):
        process = pack_processes.start(python, pack_dir, engine_address, env, warm)
        try:
            port = _read_port(process, pack_dir)
            channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            try:
                grpc.channel_ready_future(channel).result(timeout=STARTUP_TIMEOUT_S)
                yield analyzer_pb2_grpc.AnalyzerStub(channel), engine
            finally:
                channel.close()
        finally:
            process.kill()
            process.close()


def _read_port(process: pack_processes.PackProcess, pack_dir: Path) -> int:
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(STARTUP_TIMEOUT_S)
    line = result[0].strip() if result else b""
    if not line.isdigit():
        process.kill()
        stderr = process.stderr.read().decode(errors="replace")
        raise crash_from_stderr(f"policy pack {pack_dir.name} did not start", stderr, pack_dir)
    return int(line)


def crash_from_stderr(what: str, stderr: str, pack_dir: Path) -> AnalyzerCrash:
    """`what`, then the exception the pack printed and the project line it names, not the traceback.

    The project is the folder holding the packs' folder (policy_packs/ of the project root).
    """
    resolved = pack_dir.resolve()
    summary, source = summarize_traceback(stderr, resolved.parent.parent, cwd=resolved)
    where = f" at {source}" if source else ""
    return AnalyzerCrash(f"{what}{where}: {tail(summary, 3) if summary else '(no output)'}", source)


def tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:]) or "(no output)"


# ---------------------------------------------------------------- config, as the CLI reconciles it


def policy_facts(info: analyzer_pb2.AnalyzerInfo) -> list[PolicyFacts]:
    """The facts of every policy the pack describes, as `mlops_policies.rule` declared them.

    Area and title come from the gate's control catalog when it knows the control (reports group
    by the catalog's areas, and a config finding names the same area); a foreign policy keeps its
    first tag and its display name.
    """
    from landingzone.controls import load_controls

    catalog = load_controls().controls
    facts = []
    for p in info.policies:
        control, tags = p.framework.reference, tuple(p.tags)
        entry = catalog.get(control)
        facts.append(
            PolicyFacts(
                pack=info.name,
                name=p.name,
                control=control,
                area=entry.area if entry else (tags[0] if tags else "other"),
                title=entry.title if entry else p.displayName,
                description=p.description,
                display_name=p.displayName,
                declared=ENFORCEMENT_NAMES.get(p.enforcementLevel, "advisory"),
                severity=SEVERITY_NAMES.get(p.severity, "unspecified"),
                remediation=p.remediation_steps,
                tags=tags,
                kind=STACK if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK else RESOURCE,
                framework_version=p.framework.version,
                properties=json_format.MessageToDict(p.configSchema.properties),
            )
        )
    return facts


def reconcile_config(
    info: analyzer_pb2.AnalyzerInfo, user_config: Mapping[str, Any] | None
) -> dict[str, dict[str, Any]]:
    """`reconcile` for a pack's GetAnalyzerInfo reply."""
    return reconcile(policy_facts(info), info.initialConfig, user_config)


def reconcile(
    policies: Sequence[PolicyFacts],
    initial_config: Mapping[str, Any],
    user_config: Mapping[str, Any] | None,
) -> dict[str, dict[str, Any]]:
    """Per policy: enforcement level and properties from schema defaults, initial config, then the user.

    `initial_config` is the pack's (GetAnalyzerInfo's initialConfig). The user file has the CLI's
    `--policy-pack-config` shape: `{"all": "advisory", "<policy>": "mandatory" | {"enforcementLevel":
    ..., "<property>": ...}}`. Properties are validated against the policy's schema like the CLI does.
    """
    by_name = {p.name: p for p in policies}
    initial = {k: _normalize(json_format.MessageToDict(v)) for k, v in initial_config.items()}
    user = {k: _normalize(v) for k, v in (user_config or {}).items()}
    unknown = sorted(set(user) - set(by_name) - {"all"})
    if unknown:
        raise PolicyConfigError(f"policy config names policies the pack does not have: {unknown}")
    reconciled: dict[str, dict[str, Any]] = {}
    for name, policy in by_name.items():
        merged: dict[str, Any] = {"enforcementLevel": policy.declared, **policy.defaults}
        for layer in (initial.get("all", {}), initial.get(name, {}), user.get("all", {}), user.get(name, {})):
            merged.update(layer)
        properties = {k: v for k, v in merged.items() if k != "enforcementLevel"}
        # As jsonschema.validate reports it (the best match of all errors), without re-checking the schema.
        validator = _validator(
            json.dumps({"type": "object", "properties": policy.properties}, sort_keys=True)
        )
        error = jsonschema.exceptions.best_match(validator.iter_errors(properties))
        if error is not None:
            raise PolicyConfigError(f"policy {name}: {error.message}")
        if merged["enforcementLevel"] not in ENFORCEMENT_VALUES:
            raise PolicyConfigError(
                f"policy {name}: enforcementLevel {merged['enforcementLevel']!r}; "
                f"allowed: {sorted(ENFORCEMENT_VALUES)}"
            )
        reconciled[name] = merged
    return reconciled


@functools.lru_cache(maxsize=256)
def _validator(schema_json: str) -> Any:
    """A checked validator per distinct schema: most policies share one (exemptions only), and checking
    a schema against its meta-schema is what made `jsonschema.validate` cost ~6 ms per policy."""
    schema = json.loads(schema_json)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _normalize(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return {"enforcementLevel": value}
    if isinstance(value, Mapping):
        return dict(value)
    raise PolicyConfigError(f"policy config entries are a level or an object, found {value!r}")


def configure_request(config: Mapping[str, Mapping[str, Any]]) -> analyzer_pb2.ConfigureAnalyzerRequest:
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, settings in config.items():
        properties = struct_pb2.Struct()
        properties.update({k: v for k, v in settings.items() if k != "enforcementLevel"})
        request.policyConfig[name].CopyFrom(
            analyzer_pb2.PolicyConfig(
                enforcementLevel=ENFORCEMENT_VALUES[settings["enforcementLevel"]], properties=properties
            )
        )
    return request


# ---------------------------------------------------------------- analysis


def _options(resource: RecordedResource) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(parent=resource.parent)


def analyze_request(resource: RecordedResource) -> analyzer_pb2.AnalyzeRequest:
    return analyzer_pb2.AnalyzeRequest(
        type=resource.type,
        properties=resource.struct(),
        urn=resource.urn,
        name=resource.name,
        options=_options(resource),
    )


def analyzer_resource(resource: RecordedResource) -> analyzer_pb2.AnalyzerResource:
    return analyzer_pb2.AnalyzerResource(
        type=resource.type,
        properties=resource.struct(),
        urn=resource.urn,
        name=resource.name,
        options=_options(resource),
        parent=resource.parent,
        dependencies=list(resource.dependencies),
        propertyDependencies={
            k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
            for k, v in resource.property_dependencies.items()
        },
    )


@dataclass(frozen=True)
class AnalyzerRequests:
    """Every request one recorded run needs, built once and sent to each pack.

    Each resource's property Struct is converted once instead of once per request and pack: the
    conversion is the costliest part of tenantctl's own work.
    """

    analyze: list[tuple[str, analyzer_pb2.AnalyzeRequest]]
    analyze_stack: analyzer_pb2.AnalyzeStackRequest

    @classmethod
    def build(cls, run: ProgramRun) -> AnalyzerRequests:
        resources = [cast(RecordedResource, _StructOnce(r)) for r in run.resources]
        return cls(
            analyze=[(r.urn, analyze_request(r)) for r in resources if r.custom],
            analyze_stack=analyze_stack_request(resources),
        )


def analyze_stack_request(resources: Sequence[RecordedResource]) -> analyzer_pb2.AnalyzeStackRequest:
    """The whole stack, as AnalyzeStack takes it (the gate streams the per-resource requests itself)."""
    return analyzer_pb2.AnalyzeStackRequest(resources=[analyzer_resource(r) for r in resources])


class _StructOnce:
    """A recorded resource whose `struct()` is computed on first use and then reused."""

    def __init__(self, resource: RecordedResource) -> None:
        self._resource = resource
        self._struct: struct_pb2.Struct | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._resource, name)

    def struct(self) -> struct_pb2.Struct:
        if self._struct is None:
            self._struct = self._resource.struct()
        return self._struct


class Requests(Protocol):
    """What a conversation sends: AnalyzerRequests (all at once) or a RequestStream (as recorded)."""

    @property
    def analyze(self) -> Iterable[tuple[str, analyzer_pb2.AnalyzeRequest]]: ...

    @property
    def analyze_stack(self) -> analyzer_pb2.AnalyzeStackRequest: ...


def converse(
    stub: Any,
    requests: Requests,
    config_for: Callable[[set[str]], Mapping[str, Any] | None],
    pack_name: str,
) -> tuple[PackResult, analyzer_pb2.AnalyzerInfo]:
    """The CLI's conversation with one pack: describe, configure, analyze each resource, then the stack.

    `stub` is the gRPC AnalyzerStub, or anything answering the same calls (tests use the SDK's servicer).
    `config_for` gives the user's policy config for the policy names the pack declares.
    """
    try:
        info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=CALL_TIMEOUT_S)
        policies = policy_facts(info)
        config = reconcile(policies, info.initialConfig, config_for({p.name for p in policies}))
        stub.Configure(configure_request(config), timeout=CALL_TIMEOUT_S)
        result = PackResult(info.name, info.version, policies, config)
        during = "while analyzing"
        for urn, request in requests.analyze:
            during = f"on {request.type} {request.name}"
            collect(result, stub.Analyze(request, timeout=CALL_TIMEOUT_S), urn)
        during = "on the whole stack"
        collect(result, stub.AnalyzeStack(requests.analyze_stack, timeout=CALL_TIMEOUT_S), "")
    except grpc.RpcError as error:
        # The pack's gRPC server keeps the traceback to itself (grpc logs it to a NullHandler): the
        # details carry only "Exception calling application: <message>".
        details = str(error.details() if hasattr(error, "details") else error)
        details = details.removeprefix("Exception calling application: ")
        raise AnalyzerCrash(f"policy pack {pack_name} failed {during}: {tail(details, 3)}") from None
    return result, info


def analyze(
    pack_dir: Path,
    run: ProgramRun,
    user_config: Mapping[str, Any] | None = None,
    python: str = sys.executable,
) -> PackResult:
    """Run one pack over one recorded program run."""
    with pack_server(pack_dir, run, python) as (stub, engine):
        result, _info = converse(stub, AnalyzerRequests.build(run), lambda _names: user_config, pack_dir.name)
        result.engine_log = list(engine.messages)
        return result


def collect(result: PackResult, response: analyzer_pb2.AnalyzeResponse, default_urn: str) -> None:
    for d in response.diagnostics:
        result.diagnostics.append(
            Diagnostic(
                pack=d.policyPackName or result.pack,
                policy=d.policyName,
                message=d.message,
                urn=d.urn or default_urn,
                enforcement=ENFORCEMENT_NAMES.get(d.enforcementLevel, "advisory"),
                severity=SEVERITY_NAMES.get(d.severity, "unspecified"),
            )
        )
    for na in response.not_applicable:
        result.not_applicable.append(NotApplicable(result.pack, na.policy_name, default_urn, na.reason))
