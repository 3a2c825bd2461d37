"""The pod spec of a workload and the GPUs its containers request (GPU-06)."""

from __future__ import annotations

from collections.abc import Mapping

from mlops_policies.props import get
from mlops_policies.workloads import PodSpec, containers


def gpu_requests(pod: PodSpec) -> list[str]:
    """'<container path>.resources.<requests|limits>.<resource>' for every GPU or MIG device requested."""
    found = []
    for where, _, container in containers(pod):
        for section in ("requests", "limits"):
            amounts = get(container, "resources", section)
            for key in amounts if isinstance(amounts, Mapping) else ():
                if isinstance(key, str) and (key == "nvidia.com/gpu" or key.startswith("nvidia.com/mig-")):
                    found.append(f"{where}.resources.{section}.{key}")
    return found


def is_extended_resource(name: object) -> bool:
    """Kubernetes' helper.IsExtendedResourceName, as far as a toleration key can show it: a domain-prefixed
    name outside kubernetes.io that is not a quota `requests.` name."""
    return (
        isinstance(name, str)
        and "/" in name
        and "kubernetes.io/" not in name
        and not name.startswith("requests.")
    )


def requested_resources(pod: PodSpec) -> set[str]:
    """Every resource name a container of the pod requests or limits (any amount)."""
    found: set[str] = set()
    for _, _, container in containers(pod):
        for section in ("requests", "limits"):
            amounts = get(container, "resources", section)
            found.update(k for k in (amounts if isinstance(amounts, Mapping) else ()) if isinstance(k, str))
    return found
