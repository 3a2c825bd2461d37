"""Where Kubernetes workload kinds keep their pod spec, and the containers inside it.

Rules about pods (image pinning, GPU placement, host access, secrets in env) judge every workload kind
the same way; this module is the one place that knows the kinds' shapes:

- Pod: `spec`; PodTemplate: `template.spec`
- Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job: `spec.template.spec`
- CronJob: `spec.jobTemplate.spec.template.spec`

in every API group/version pulumi-kubernetes (the pinned SDK) registers them under, and their `...Patch`
kinds (server-side apply patches of objects the stack may not own). `WORKLOAD_TYPES` lists them all;
tests/policies/test_workloads.py fails when the SDK gains a pod-template type that is not listed.

Manifests given inline to `kubernetes:yaml` components (ConfigGroup `objs` / `yaml`) are read too: their
workload objects are judged like typed resources (the component's children, which the engine also
registers, are typed resources as well). A `file`/`files` path cannot be read by a policy; its children
are judged when they are registered.

Readers follow `mlops_policies.props`: a wrong shape reads as absent and never raises, while an unknown
value raises `UnknownValueError` (a resource rule then reports "cannot decide during preview").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import yaml

from mlops_policies.props import as_list, get, known

POD = "kubernetes:core/v1:Pod"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
DAEMON_SET = "kubernetes:apps/v1:DaemonSet"
REPLICA_SET = "kubernetes:apps/v1:ReplicaSet"
REPLICATION_CONTROLLER = "kubernetes:core/v1:ReplicationController"
JOB = "kubernetes:batch/v1:Job"
CRON_JOB = "kubernetes:batch/v1:CronJob"

_TEMPLATE = ("spec", "template", "spec")
KIND_POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "Deployment": _TEMPLATE,
    "StatefulSet": _TEMPLATE,
    "DaemonSet": _TEMPLATE,
    "ReplicaSet": _TEMPLATE,
    "ReplicationController": _TEMPLATE,
    "Job": _TEMPLATE,
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
# apiVersion -> kinds with a pod template, as pulumi-kubernetes 4.x registers them (current and removed
# API versions alike: an old apiVersion still deploys on clusters that serve it).
API_VERSION_KINDS: dict[str, tuple[str, ...]] = {
    "core/v1": ("Pod", "PodTemplate", "ReplicationController"),
    "apps/v1": ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"),
    "apps/v1beta1": ("Deployment", "StatefulSet"),
    "apps/v1beta2": ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"),
    "extensions/v1beta1": ("Deployment", "DaemonSet", "ReplicaSet"),
    "batch/v1": ("Job", "CronJob"),
    "batch/v1beta1": ("CronJob",),
    "batch/v2alpha1": ("CronJob",),
}
PATCH = "Patch"
YAML_TYPES = (
    "kubernetes:yaml:ConfigGroup",
    "kubernetes:yaml:ConfigFile",
    "kubernetes:yaml/v2:ConfigGroup",
    "kubernetes:yaml/v2:ConfigFile",
)

POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    f"kubernetes:{version}:{kind}{suffix}": KIND_POD_SPEC_PATHS[kind]
    for version, kinds in API_VERSION_KINDS.items()
    for kind in kinds
    for suffix in ("", PATCH)
}
WORKLOAD_TYPES: tuple[str, ...] = (*POD_SPEC_PATHS, *YAML_TYPES)

# Ephemeral containers run in the pod too (kubectl debug), so they are judged like the others.
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
MAX_MANIFEST_CHARS = 1 << 20
"""Inline YAML read per component; a larger manifest is judged from its registered children only."""


class PodSpec(NamedTuple):
    """A pod spec, its dotted path inside the resource's inputs (for messages), and whether it comes
    from a `...Patch` kind, where an unset field leaves the live object's value rather than the API
    default (so defaults must not be applied to it)."""

    path: str
    spec: Mapping[str, Any]
    patch: bool = False


class Container(NamedTuple):
    """A container, its list (containers, initContainers, ephemeralContainers) and its dotted path."""

    path: str
    kind: str
    container: Mapping[str, Any]


def kind_of(resource_type: str) -> str:
    """The Kubernetes kind of a type token without the Patch suffix ('' for non-Kubernetes types)."""
    if not resource_type.startswith("kubernetes:"):
        return ""
    kind = resource_type.rsplit(":", 1)[-1]
    return kind.removesuffix(PATCH)


def is_patch(resource_type: str) -> bool:
    return resource_type.startswith("kubernetes:") and resource_type.endswith(PATCH)


def is_workload(resource_type: str) -> bool:
    return resource_type in POD_SPEC_PATHS or resource_type in YAML_TYPES


def manifest_objects(resource_type: str, props: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(path, object) of the Kubernetes objects given inline to a `kubernetes:yaml` component."""
    if resource_type not in YAML_TYPES:
        return []
    found: list[tuple[str, Mapping[str, Any]]] = []
    for index, obj in enumerate(as_list(get(props, "objs"))):
        if isinstance(obj, Mapping):
            found.append((f"objs[{index}]", obj))
    for index, text in enumerate(as_list(get(props, "yaml"))):
        if not isinstance(text, str) or len(text) > MAX_MANIFEST_CHARS:
            continue
        try:
            documents = list(yaml.safe_load_all(text))
        except yaml.YAMLError:
            continue  # the provider rejects it too: nothing is deployed from it
        for number, obj in enumerate(documents):
            if isinstance(obj, Mapping):
                found.append((f"yaml[{index}] document {number + 1}", obj))
    return found


def _object_type(obj: Mapping[str, Any]) -> str | None:
    """The type token a manifest object would be registered as (`v1` is `core/v1`)."""
    api_version, kind = get(obj, "apiVersion"), get(obj, "kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return None
    return f"kubernetes:{api_version if '/' in api_version else 'core/' + api_version}:{kind}"


def pod_specs(resource_type: str, props: Mapping[str, Any]) -> list[PodSpec]:
    """Every pod spec of a resource: one for a workload kind, one per workload object of an inline
    manifest, none for other types or shapes."""
    path = POD_SPEC_PATHS.get(resource_type)
    if path is not None:
        spec = get(props, *path)
        if not isinstance(spec, Mapping):
            return []
        return [PodSpec(".".join(path), spec, is_patch(resource_type))]
    found = []
    for where, obj in manifest_objects(resource_type, props):
        object_type = _object_type(obj)
        inner = POD_SPEC_PATHS.get(object_type or "")
        spec = get(obj, *inner) if inner else None
        if inner and isinstance(spec, Mapping):
            name = known(obj, "metadata", "name")
            label = f"{where} ({get(obj, 'kind')} '{name}')" if isinstance(name, str) else where
            found.append(PodSpec(f"{label}.{'.'.join(inner)}", spec, False))
    return found


def containers(pod_spec: PodSpec | Mapping[str, Any]) -> list[Container]:
    """Every container of a pod spec (init, regular, ephemeral); entries that are not objects are skipped.

    Given a `PodSpec`, paths are full (`spec.template.spec.containers[0]`); given a bare mapping they are
    relative to the pod spec (`containers[0]`).
    """
    prefix, spec = (f"{pod_spec.path}.", pod_spec.spec) if isinstance(pod_spec, PodSpec) else ("", pod_spec)
    found = []
    for kind in CONTAINER_LISTS:
        for index, container in enumerate(as_list(get(spec, kind))):
            if isinstance(container, Mapping):
                found.append(Container(f"{prefix}{kind}[{index}]", kind, container))
    return found


def namespace_of(props: Mapping[str, Any]) -> Any:
    """metadata.namespace; 'default' when unset (the provider's default namespace is assumed)."""
    value = known(props, "metadata", "namespace")
    return "default" if value is None else value


CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
CONFIG_MAP_TYPES = (CONFIG_MAP, f"{CONFIG_MAP}{PATCH}", *YAML_TYPES)


def config_maps(resource_type: str, props: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(where, object) of every ConfigMap a resource declares: itself, or the ConfigMaps of an inline
    manifest (`where` then names the object, e.g. "yaml[0] document 2 (ConfigMap 'cfg') ")."""
    if resource_type in (CONFIG_MAP, f"{CONFIG_MAP}{PATCH}"):
        return [("", props)]
    found = []
    for where, obj in manifest_objects(resource_type, props):
        if _object_type(obj) == CONFIG_MAP:
            name = known(obj, "metadata", "name")
            found.append((f"{where} (ConfigMap '{name}') " if isinstance(name, str) else f"{where} ", obj))
    return found
