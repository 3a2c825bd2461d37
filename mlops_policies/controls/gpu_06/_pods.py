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
