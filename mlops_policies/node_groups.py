"""EKS node groups as the GPU rules read them: labels, instance types, whether a group has GPUs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.gpu import is_gpu_instance_type as _is_gpu_family
from mlops_policies.props import as_list, as_str, get

SHARING_LABEL = "gpu-sharing"
MIG_CONFIG_LABEL = "nvidia.com/mig.config"


def node_labels(props: Any) -> Mapping[str, Any]:
    raw = get(props, "labels")
    return raw if isinstance(raw, Mapping) else {}


def node_label(props: Any, key: str) -> Any:
    # Unknown label values raise: a rule cannot judge what it cannot see.
    return get(node_labels(props), key)


def instance_types(props: Any) -> list[str]:
    return [t for t in as_list(get(props, "instanceTypes")) if isinstance(t, str)]


def is_gpu_node_group(props: Any) -> bool:
    """p*/g* instance types or an NVIDIA/GPU AMI type; judged on the node group's own inputs only."""
    ami = (as_str(get(props, "amiType")) or "").upper()
    if "NVIDIA" in ami or "GPU" in ami:
        return True
    return any(_is_gpu_family(t) for t in instance_types(props))
