"""`tenantctl check --stack-export FILE`: judge a deployed stack from its `pulumi stack export`.

The same packs and reports as `check`, over the resources as deployed instead of a recorded preview,
fed the way `pulumi policy analyze --file` feeds them (pkg/resource/deploy/analyze_snapshot.go):
every resource not pending deletion gets `Analyze` with its inputs; `AnalyzeStack` gets every
resource with its outputs, parent, dependencies and property dependencies. The stack's config (the
tenant) comes from the project's stack file named by the export's URNs, as for `check`.

Several files of the same stack name are judged together: the AWS-level and in-cluster parts of one
tenant (two projects, same stack name) are one landing zone, so relations between them are judged.

Secrets in an export are ciphertext of the stack's secrets provider; they are never decrypted, they
reach the packs as a secret placeholder, exactly as `check` passes `secure:` config values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from tenantctl.analyzer import AnalyzerRequests
from tenantctl.program import PROJECT_NAME, SECRET_SIG, SECURE_PLACEHOLDER, ProgramRun, RecordedResource

DEPLOYMENT_VERSION = 3
SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270"
STACK_TYPE = "pulumi:pulumi:Stack"


class StackExportError(Exception):
    """The file is not a usable `pulumi stack export` (the message names the file and the field)."""


@dataclass(frozen=True)
class ExportedResource:
    resource: RecordedResource
    """Inputs as `properties`, like a recorded registration (what Analyze receives)."""
    outputs: dict[str, Any]
    """What AnalyzeStack receives."""


def _fail(path: Path, where: str, problem: str) -> StackExportError:
    return StackExportError(f"{path}: {where}: {problem}")


def read_export(path: Path) -> list[ExportedResource]:
    """The resources of one export file; refuses anything but a version 3 deployment."""
    try:
        document = json.loads(path.read_text())
    except OSError as err:
        raise StackExportError(f"{path}: cannot read: {err.strerror}") from None
    except ValueError as err:
        raise StackExportError(f"{path}: not JSON: {err}") from None
    if not isinstance(document, Mapping):
        raise _fail(path, "top level", "must be an object with version and deployment")
    if document.get("version") != DEPLOYMENT_VERSION:
        raise _fail(path, "version", f"{document.get('version')!r}; supported: {DEPLOYMENT_VERSION}")
    resources = (document.get("deployment") or {}).get("resources")
    if not isinstance(resources, list):
        raise _fail(path, "deployment.resources", "must be a list")
    exported = []
    for index, raw in enumerate(resources):
        where = f"deployment.resources[{index}]"
        if not isinstance(raw, Mapping) or not isinstance(raw.get("urn"), str) or "::" not in raw["urn"]:
            raise _fail(path, where, "needs a urn 'urn:pulumi:<stack>::<project>::<type>::<name>'")
        if raw.get("delete") or raw.get("pendingReplacement"):
            continue  # the CLI skips resources pending deletion too
        exported.append(_resource(path, where, raw))
    return exported


def _resource(path: Path, where: str, raw: Mapping[str, Any]) -> ExportedResource:
    urn = raw["urn"]
    type_ = raw.get("type")
    if not isinstance(type_, str):
        raise _fail(path, f"{where}.type", "must be a string")
    property_dependencies = raw.get("propertyDependencies") or {}
    if not isinstance(property_dependencies, Mapping):
        raise _fail(path, f"{where}.propertyDependencies", "must be an object")
    return ExportedResource(
        resource=RecordedResource(
            type=type_,
            name=urn.rsplit("::", 1)[1],
            urn=urn,
            parent=str(raw.get("parent") or ""),
            custom=bool(raw.get("custom")),
            dependencies=tuple(str(d) for d in raw.get("dependencies") or ()),
            property_dependencies={
                str(k): [str(u) for u in v or ()] for k, v in property_dependencies.items()
            },
            properties=_wire(raw.get("inputs") or {}),
        ),
        outputs=_wire(raw.get("outputs") or {}),
    )


def _wire(value: Any) -> Any:
    """State values as the analyzer wire carries them: ciphertext secrets become marked placeholders."""
    if isinstance(value, Mapping):
        if SECRET_SIG in value:
            # Ciphertext, or plaintext from `--show-secrets`: neither is passed on.
            return {SECRET_SIG: SECRET_VALUE_SIG, "value": SECURE_PLACEHOLDER}
        return {str(k): _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def stack_of(urn: str) -> str:
    return urn.removeprefix("urn:pulumi:").split("::", 1)[0]


def stack_names(paths: Iterable[Path]) -> list[str]:
    """The stacks the files hold, in order of appearance (a file holds one stack)."""
    names: list[str] = []
    for path in paths:
        stacks = {stack_of(r.resource.urn) for r in read_export(path)}
        if len(stacks) != 1:
            raise StackExportError(
                f"{path}: resources of {len(stacks)} stacks ({sorted(stacks)}); required: one"
            )
        names.extend(s for s in stacks if s not in names)
    return names


def project_of(paths: Sequence[Path], stack: str) -> str:
    """The project the packs judge the stack as: one part's export as that part, several as the whole."""
    projects = {r.resource.urn.split("::")[1] for path in paths for r in read_export(path)
                if stack_of(r.resource.urn) == stack}  # fmt: skip
    return projects.pop() if len(projects) == 1 else PROJECT_NAME


def load(
    paths: Sequence[Path], stack: str, config: dict[str, str], secret_keys: list[str]
) -> tuple[ProgramRun, AnalyzerRequests]:
    """The run (for reports) and the analyzer requests of every resource of `stack` in the files."""
    exported = [r for path in paths for r in read_export(path) if stack_of(r.resource.urn) == stack]
    run = ProgramRun(
        project=project_of(paths, stack),
        stack=stack,
        preview=False,
        resources=[r.resource for r in exported if r.resource.type != STACK_TYPE],
        config=config,
        secret_keys=secret_keys,
    )
    analyze = []
    stack_resources = []
    for item in exported:
        resource = item.resource
        options = analyzer_pb2.AnalyzerResourceOptions(parent=resource.parent)
        analyze.append(
            (
                resource.urn,
                analyzer_pb2.AnalyzeRequest(
                    type=resource.type,
                    properties=resource.struct(),
                    urn=resource.urn,
                    name=resource.name,
                    options=options,
                ),
            )
        )
        outputs = struct_pb2.Struct()
        json_format.ParseDict(item.outputs, outputs)
        stack_resources.append(
            analyzer_pb2.AnalyzerResource(
                type=resource.type,
                properties=outputs,
                urn=resource.urn,
                name=resource.name,
                options=options,
                parent=resource.parent,
                dependencies=list(resource.dependencies),
                propertyDependencies={
                    k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
                    for k, v in resource.property_dependencies.items()
                },
            )
        )
    requests = AnalyzerRequests(
        analyze=analyze, analyze_stack=analyzer_pb2.AnalyzeStackRequest(resources=stack_resources)
    )
    return run, requests
