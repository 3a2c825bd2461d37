"""gpu-06-pods-no-host-path-claims: no pod reaches a hostPath volume through a PersistentVolumeClaim.

A pod spec without a `hostPath` volume still mounts a node directory when one of its claims binds to a
hostPath PersistentVolume. A claim may bind to a PersistentVolume of the stack when (as the
PersistentVolume controller binds them):
- the claim's spec.volumeName names it, or the volume's spec.claimRef names the claim; or
- the claim names no volume and has the volume's storage class (an unset class on both sides counts as
  the same class; an unset claim class may also receive the cluster's default class, which this stack
  cannot see, so it is matched only with class-less volumes).
A claim whose storage class provisions hostPath volumes dynamically (`HOST_PATH_PROVISIONERS`) gets a
hostPath volume without any PersistentVolume in the stack. Claims come from pod volumes
(persistentVolumeClaim.claimName), generic ephemeral volumes (ephemeral.volumeClaimTemplate) and
StatefulSet volumeClaimTemplates; a named claim must be a claim of the stack in the pod's namespace.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from pulumi_policy import PolicyResource, Severity

from mlops_policies import workloads
from mlops_policies.props import as_list, get
from mlops_policies.rule import StackCheck, label, stack_rule

PERSISTENT_VOLUME = "kubernetes:core/v1:PersistentVolume"
CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
# Provisioners whose volumes are directories on the node (the in-tree host-path provisioner and the
# local-path provisioners of Rancher, MicroK8s, minikube and Docker Desktop).
HOST_PATH_PROVISIONERS = frozenset({
    "kubernetes.io/host-path", "rancher.io/local-path", "microk8s.io/hostpath", "k8s.io/minikube-hostpath",
    "docker.io/hostpath",
})  # fmt: skip


class ClaimSpec(NamedTuple):
    """Where a pod's claim comes from (for messages) and the claim spec it binds with."""

    where: str
    spec: Mapping[str, Any]
    name: Any = None
    """metadata.name of a PersistentVolumeClaim of the stack (a claimRef names it); None otherwise."""


def _class(spec: Any) -> Any:
    return get(spec, "storageClassName", default="")


def _claims_of(stack: StackCheck, resource: PolicyResource) -> Iterator[ClaimSpec]:
    namespace = workloads.namespace_of(resource.props)
    for pod in workloads.pod_specs(resource.resource_type, resource.props):
        for index, volume in enumerate(as_list(get(pod.spec, "volumes"))):
            where = f"{pod.path}.volumes[{index}]"
            name = get(volume, "persistentVolumeClaim", "claimName")
            if name is not None:
                for claim in stack.of_type(CLAIM):
                    if get(claim.props, "metadata", "name") == name and \
                            workloads.namespace_of(claim.props) == namespace:  # fmt: skip
                        yield ClaimSpec(
                            f"{where} (PersistentVolumeClaim '{name}')", get(claim.props, "spec") or {}, name
                        )
            template = get(volume, "ephemeral", "volumeClaimTemplate", "spec")
            if isinstance(template, Mapping):
                yield ClaimSpec(f"{where}.ephemeral.volumeClaimTemplate", template)
    if workloads.kind_of(resource.resource_type) == "StatefulSet":
        for index, template in enumerate(as_list(get(resource.props, "spec", "volumeClaimTemplates"))):
            spec = get(template, "spec")
            if isinstance(spec, Mapping):
                yield ClaimSpec(f"spec.volumeClaimTemplates[{index}]", spec)


def _host_path_binding(stack: StackCheck, claim: ClaimSpec, namespace: Any) -> str | None:
    """How the claim can end up on a node directory, or None."""
    volume_name = get(claim.spec, "volumeName")
    claim_name = claim.name
    for volume in stack.of_type(PERSISTENT_VOLUME):
        if get(volume.props, "spec", "hostPath") is None:
            continue
        name = get(volume.props, "metadata", "name")
        reference = get(volume.props, "spec", "claimRef")
        if volume_name is not None:
            if volume_name == name:
                return f"bound by spec.volumeName to {label(volume)} (hostPath)"
            continue
        if claim_name is not None and get(reference, "name") == claim_name and \
                get(reference, "namespace", default="default") == namespace:  # fmt: skip
            return f"bound by spec.claimRef of {label(volume)} (hostPath)"
        if reference is None and _class(claim.spec) == _class(get(volume.props, "spec")):
            storage_class = _class(claim.spec) or "no storage class"
            return f"able to bind to {label(volume)} (hostPath) through {storage_class!r}"
    for storage_class in stack.of_type(STORAGE_CLASS):
        provisioner = get(storage_class.props, "provisioner")
        if provisioner in HOST_PATH_PROVISIONERS and \
                get(storage_class.props, "metadata", "name") == _class(claim.spec):  # fmt: skip
            return f"provisioned by {label(storage_class)} ({provisioner}, hostPath volumes)"
    return None


@stack_rule(
    "gpu-06-pods-no-host-path-claims",
    control="GPU-06",
    types=[*workloads.WORKLOAD_TYPES, CLAIM, PERSISTENT_VOLUME, STORAGE_CLASS],
    severity=Severity.HIGH,
    description="No pod spec mounts a PersistentVolumeClaim (named, ephemeral or a StatefulSet "
    "volumeClaimTemplate) that binds, or may bind, to a hostPath PersistentVolume of the stack (by "
    "volumeName, claimRef or storage class) or to a class provisioning hostPath volumes.",
    remediation="Back the claim with a network or block volume (an EBS/EFS CSI storage class); remove "
    "hostPath PersistentVolumes and host-path storage classes from the stack.",
)
def pods_no_host_path_claims(stack: StackCheck) -> None:
    for resource in stack.of_type(*workloads.WORKLOAD_TYPES):
        with stack.deciding(resource):
            namespace = workloads.namespace_of(resource.props)
            for claim in _claims_of(stack, resource):
                binding = _host_path_binding(stack, claim, namespace)
                if binding:
                    stack.fail(resource, f"{label(resource)} has {claim.where} {binding}; required: no "
                               "hostPath volumes, directly or through claims")  # fmt: skip
