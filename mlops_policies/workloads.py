"""Where Kubernetes workload kinds keep their pod spec, and the containers inside it.

Rules about pods (image pinning, GPU placement, host access, secrets in env) judge every workload kind
the same way; this module is the one place that knows the kinds' shapes:

- Pod: `spec`
- Deployment, StatefulSet, DaemonSet, Job: `spec.template.spec`
- CronJob: `spec.jobTemplate.spec.template.spec`

Readers follow `mlops_policies.props`: a wrong shape reads as absent and never raises, while an unknown
value raises `UnknownValueError` (a resource rule then reports "cannot decide during preview").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from mlops_policies.props import as_list, get

POD = "kubernetes:core/v1:Pod"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
DAEMON_SET = "kubernetes:apps/v1:DaemonSet"
JOB = "kubernetes:batch/v1:Job"
CRON_JOB = "kubernetes:batch/v1:CronJob"

POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    POD: ("spec",),
    DEPLOYMENT: ("spec", "template", "spec"),
    STATEFUL_SET: ("spec", "template", "spec"),
    DAEMON_SET: ("spec", "template", "spec"),
    JOB: ("spec", "template", "spec"),
    CRON_JOB: ("spec", "jobTemplate", "spec", "template", "spec"),
}
WORKLOAD_TYPES: tuple[str, ...] = tuple(POD_SPEC_PATHS)

# Ephemeral containers run in the pod too (kubectl debug), so they are judged like the others.
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


class PodSpec(NamedTuple):
    """A pod spec and its dotted path inside the resource's inputs, for messages."""

    path: str
    spec: Mapping[str, Any]


class Container(NamedTuple):
    """A container, its list (containers, initContainers, ephemeralContainers) and its dotted path."""

    path: str
    kind: str
    container: Mapping[str, Any]


def is_workload(resource_type: str) -> bool:
    return resource_type in POD_SPEC_PATHS


def pod_specs(resource_type: str, props: Mapping[str, Any]) -> list[PodSpec]:
    """The pod spec of a workload resource: one for the six kinds, none for other types or shapes."""
    path = POD_SPEC_PATHS.get(resource_type)
    if path is None:
        return []
    spec = get(props, *path)
    if not isinstance(spec, Mapping):
        return []
    return [PodSpec(".".join(path), spec)]


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
