"""Run the project's Pulumi program in-process, under the SDK's mock engine, and record what it registers.

This is what `pulumi preview` would send to the policy analyzers, without the CLI, a backend, provider
plugins or cloud credentials. In preview mode (the default) the mock returns only the inputs, so
computed outputs such as ids and ARNs are unknown, exactly as in a first preview.

Long (about 320 lines) because the stack config hand-over, the mock engine and the run that drains it
are one mechanism: the mocks answer from the config the run hands over, and the run owns the mocks'
event loop.
"""

from __future__ import annotations

import asyncio
import json
import runpy
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pulumi.runtime
from google.protobuf import json_format, struct_pb2
from pulumi.runtime import mocks, settings
from pulumi.runtime.stack import wait_for_rpcs

from landingzone.config import ConfigError, read_stack_config, stack_file
from tenantctl import provider_loading, stack_traces
from tenantctl.model import SourceLine
from tenantctl.sources import exception_source, original_exception, registration_source

PROJECT_NAME = "mlops-landing-zone"
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_PLACEHOLDER = "[secret]"
SECURE_PLACEHOLDER = "secret-value-from-pulumi-config"


class ProgramError(Exception):
    """The program crashed (not a config problem): the gate fails closed on it.

    `source` is the line of the project's code where it happened, when the traceback shows one.
    """

    def __init__(self, message: str, source: SourceLine | None = None) -> None:
        super().__init__(message)
        self.source = source


@dataclass(frozen=True)
class RecordedResource:
    """One resource registration, as the engine hands it to analyzers."""

    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    dependencies: tuple[str, ...]
    property_dependencies: dict[str, list[str]]
    properties: dict[str, Any]
    """Inputs as the wire format carries them (unknown sentinels, secret envelopes); never print these."""
    source: tuple[SourceLine, ...] = ()
    """Where the program constructs it, nearest project frame first (tenantctl.sources)."""
    wire: struct_pb2.Struct | None = field(default=None, init=False, repr=False, compare=False)
    """The registration's own Struct (`properties` is its JSON form), set by the recorder: what goes
    to the analyzers without converting `properties` back. Not an init field, so a copy made with
    `dataclasses.replace(resource, properties=...)` converts its own properties. Never modify it."""

    @property
    def inputs(self) -> dict[str, Any]:
        """Inputs safe to show: secret values replaced by a placeholder."""
        return redact(self.properties)

    def struct(self) -> struct_pb2.Struct:
        if self.wire is not None:
            return self.wire
        message = struct_pb2.Struct()
        json_format.ParseDict(self.properties, message)
        return message


@dataclass
class ProgramRun:
    stack: str
    preview: bool
    resources: list[RecordedResource] = field(default_factory=list)
    config: dict[str, str] = field(default_factory=dict)
    secret_keys: list[str] = field(default_factory=list)
    project: str = PROJECT_NAME
    """The Pulumi project the run belongs to (the packs see it as PULUMI_PROJECT)."""


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        if SECRET_SIG in value:
            return SECRET_PLACEHOLDER
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


# ---------------------------------------------------------------- stack config as the CLI hands it over


def pulumi_config(project_dir: Path, stack: str) -> tuple[dict[str, str], list[str]]:
    """The stack's config as PULUMI_CONFIG carries it: strings, objects as JSON, plus the secret keys.

    Values set with `pulumi config set --secret` are ciphertext we cannot (and must not) decrypt here;
    they become a placeholder marked secret, so the program still runs and nothing leaks.
    """
    return config_of(read_stack_config(stack_file(project_dir, stack)))


def config_of(raw: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """`pulumi_config` of a stack file already read (the gate reads each stack file once)."""
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in raw.items():
        cleaned, secret = _without_ciphertext(value)
        if secret:
            secret_keys.append(key)
        config[key] = cleaned if isinstance(cleaned, str) else json.dumps(cleaned)
    return config, secret_keys


def plain_config(raw: dict[str, Any]) -> dict[str, Any]:
    """A stack file's config with every `secure:` value replaced by the placeholder the program sees."""
    return {key: _without_ciphertext(value)[0] for key, value in raw.items()}


def _without_ciphertext(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECURE_PLACEHOLDER, True
        items = {k: _without_ciphertext(v) for k, v in value.items()}
        return {k: v for k, (v, _) in items.items()}, any(s for _, s in items.values())
    if isinstance(value, list):
        items_list = [_without_ciphertext(v) for v in value]
        return [v for v, _ in items_list], any(s for _, s in items_list)
    # Inside objects values keep their JSON types, as the CLI hands them over (a nested `true` must
    # reach the program as the boolean the stack file says, so the program's message matches validate's).
    return value, False


# ---------------------------------------------------------------- the mock engine


OnRecord = Callable[[RecordedResource], None]
"""Called with each resource as it is recorded, in registration order (tenantctl.request_stream)."""


class _RecordingMonitor(mocks.MockMonitor):
    def __init__(
        self, mock: mocks.Mocks, run: ProgramRun, project_dir: Path, on_record: OnRecord | None
    ) -> None:
        super().__init__(mock)
        self.run = run
        self.project_dir = project_dir
        self.on_record = on_record
        # The SDK registers from executor threads: the list and the listener must see one order.
        self._order = threading.Lock()

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            resource = RecordedResource(
                type=request.type,
                name=request.name,
                urn=response.urn,
                parent=request.parent,
                custom=bool(request.custom),
                # The SDK sends dependency sets in set order, which differs between processes
                # (string hashing is seeded per process); sorted, two recordings of one program
                # are equal and so are their reports and cache entries.
                dependencies=tuple(sorted(request.dependencies)),
                property_dependencies={
                    k: sorted(v.urns) for k, v in sorted(request.propertyDependencies.items())
                },
                properties=json_format.MessageToDict(request.object),
                source=registration_source(request, self.project_dir),
            )
            wire = struct_pb2.Struct()
            wire.CopyFrom(request.object)
            object.__setattr__(resource, "wire", wire)
            self._record(resource)
        return response

    def _record(self, resource: RecordedResource) -> None:
        with self._order:
            self.run.resources.append(resource)
            if self.on_record is not None:
                self.on_record(resource)


class _Mocks(mocks.Mocks):
    """Preview: inputs only, ids and computed outputs unknown. Known: plausible ids, ARNs and endpoints."""

    def __init__(self, preview: bool, account_id: str, region: str) -> None:
        self.preview = preview
        self.account_id = account_id
        self.region = region

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if self.preview:
            return "", dict(args.inputs)
        if args.typ == "pulumi:pulumi:StackReference":
            return args.name, {
                **args.inputs,
                "outputs": referenced_outputs(str(args.inputs.get("name")), self),
            }
        return f"{args.name}-id", {**computed_outputs(args.typ, args.name, args.inputs, self), **args.inputs}

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        # The program makes no provider invokes; one appearing here is a bug the gate must surface.
        raise ProgramError(f"the program called provider function {args.token}; it must make no look-ups")


def computed_outputs(type_: str, name: str, inputs: dict[str, Any], where: _Mocks) -> dict[str, Any]:
    """What AWS would fill in after creation, shaped like the real thing where policies look at it."""
    account, region = where.account_id, where.region
    service = type_.split(":")[1].split("/")[0] if type_.startswith("aws:") else "k8s"
    outputs: dict[str, Any] = {"arn": f"arn:aws:{service}:{region}:{account}:{name}"}
    if type_ == "aws:kms/key:Key":
        outputs.update(keyId=f"{name}-key-id", arn=f"arn:aws:kms:{region}:{account}:key/{name}-key-id")
    elif type_ == "aws:s3/bucket:Bucket":
        outputs.update(arn=f"arn:aws:s3:::{inputs.get('bucket', name)}")
    elif type_ == "aws:iam/role:Role":
        outputs.update(arn=f"arn:aws:iam::{account}:role/{inputs.get('name', name)}")
    elif type_ == "aws:eks/cluster:Cluster":
        issuer = f"https://oidc.eks.{region}.amazonaws.com/id/{name.upper()}"
        outputs.update(
            endpoint=f"https://{name}.gr7.{region}.eks.amazonaws.com",
            certificateAuthority={"data": "LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t"},
            identities=[{"oidcs": [{"issuer": issuer}]}],
        )
    elif type_ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
        host = str(inputs.get("url", "")).removeprefix("https://")
        outputs.update(arn=f"arn:aws:iam::{account}:oidc-provider/{host}")
    elif type_ == "aws:ec2/launchTemplate:LaunchTemplate":
        outputs.update(latestVersion=1)
    elif type_ == "aws:ec2/vpcEndpoint:VpcEndpoint":
        outputs.update(prefixListId=f"pl-{zlib.crc32(name.encode()):08x}")
    elif type_ == "aws:ecr/repository:Repository":
        outputs.update(repositoryUrl=f"{account}.dkr.ecr.{region}.amazonaws.com/{inputs.get('name', name)}")
    return outputs


def referenced_outputs(reference: str, where: _Mocks) -> dict[str, Any]:
    """What the in-cluster part reads from the AWS stack `<org>/<project>/<stack>`: its cluster's
    endpoint and CA as computed_outputs gives them (the cluster is `<tenant>-cluster-eks`; stack = tenant)."""
    stack = reference.rsplit("/", 1)[-1]
    cluster = computed_outputs("aws:eks/cluster:Cluster", f"{stack}-cluster-eks", {}, where)
    return {
        "cluster_endpoint": cluster["endpoint"],
        "cluster_certificate_authority": cluster["certificateAuthority"]["data"],
    }


# ---------------------------------------------------------------- running it


def record_stack(
    project_dir: Path,
    stack: str,
    preview: bool = True,
    on_record: OnRecord | None = None,
    stack_config: tuple[dict[str, str], list[str]] | None = None,
) -> ProgramRun:
    """Run `__main__.py` of `project_dir` for `stack` and record every registration.

    Raises ConfigError for bad stack config (exit 2 material) and ProgramError for anything else.
    `on_record` sees each resource as it is recorded; `stack_config` is `pulumi_config`'s answer when
    the caller has it already (default: read the stack file).
    """
    config, secret_keys = stack_config or pulumi_config(project_dir, stack)
    main = str(project_dir / "__main__.py")
    return record_program(
        lambda: runpy.run_path(main, run_name="__main__"),
        stack,
        config,
        secret_keys,
        preview,
        project_dir=project_dir,
        on_record=on_record,
    )


def record_program(
    build: Callable[[], object],
    stack: str,
    config: dict[str, str],
    secret_keys: list[str] | None = None,
    preview: bool = True,
    project_dir: Path | None = None,
    project: str = PROJECT_NAME,
    on_record: OnRecord | None = None,
) -> ProgramRun:
    """Run `build` as a Pulumi program of `project` under the mock engine with the given stack config.

    `project_dir` (default: the working directory, where the CLI runs a program) decides which frames
    are the project's own code, for resource locations and crash locations.
    """
    project_dir = (project_dir or Path.cwd()).resolve()
    provider_loading.install()
    stack_traces.install()
    run = ProgramRun(
        stack=stack, preview=preview, config=config, secret_keys=list(secret_keys or []), project=project
    )
    platform = _json_object(config.get("landingzone:platform"))
    mock = _Mocks(preview, str(platform.get("account_id", "000000000000")), config.get("aws:region", ""))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # Output tasks are queued process-wide; a previous run's (on its closed loop) would never finish.
    with settings.SETTINGS.lock:
        settings.SETTINGS.outputs.clear()
    try:
        settings.ROOT.set(None)
        pulumi.runtime.set_all_config(config, run.secret_keys)
        monitor = _RecordingMonitor(mock, run, project_dir, on_record)
        mocks.set_mocks(mock, project=project, stack=stack, preview=preview, monitor=monitor)
        build()
        loop.run_until_complete(wait_for_rpcs())
    except ConfigError:
        raise
    except pulumi.RunError as error:
        if isinstance(error.__context__, ConfigError):
            raise error.__context__ from None
        raise _crash(error, project_dir) from error
    except ProgramError:
        raise
    except Exception as error:
        raise _crash(error, project_dir) from error
    finally:
        _drain(loop)
        asyncio.set_event_loop(None)
    return run


def _crash(error: BaseException, project_dir: Path) -> ProgramError:
    """The exception the program raised and where, never the SDK frames it passed through."""
    original = original_exception(error)
    if isinstance(original, ProgramError):
        return original
    source = exception_source(error, project_dir)
    where = f" at {source}" if source else ""
    return ProgramError(f"the program crashed{where}: {type(original).__name__}: {original}", source)


def _drain(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what a failed program left running, so the loop closes cleanly and the next run starts clean."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()


def _json_object(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
