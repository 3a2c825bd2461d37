"""EKS node groups as the GPU rules read them: labels, instance types, whether a group has GPUs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from landingzone.gpu import is_gpu_instance_type as _is_gpu_family
from mlops_policies.props import as_list, as_str, get
from mlops_policies.rule import ResourceCheck

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
    """An instance type of a GPU family (gpu-catalog.yaml gpu_families) or an NVIDIA/GPU AMI type, judged on
    the node group's own inputs; groups whose type is only in their launch template are judged by the
    gpu-0N-launch-template-node-groups stack rules through NODE_GROUP_JUDGES."""
    ami = (as_str(get(props, "amiType")) or "").upper()
    if "NVIDIA" in ami or "GPU" in ami:
        return True
    return any(_is_gpu_family(t) for t in instance_types(props))


# The node group rules judge a group's own inputs. A group whose GPU instance type is only in its launch
# template is judged by the same functions from stack rules that can see the template
# (gpu-0N-launch-template-node-groups): control -> judges, registered by `node_group_judge`.
NODE_GROUP_JUDGES: dict[str, list[Callable[[ResourceCheck], None]]] = {}


def node_group_judge(
    control: str,
) -> Callable[[Callable[[ResourceCheck], None]], Callable[[ResourceCheck], None]]:
    def register(judge: Callable[[ResourceCheck], None]) -> Callable[[ResourceCheck], None]:
        NODE_GROUP_JUDGES.setdefault(control, []).append(judge)
        return judge

    return register


class WithInstanceType(Mapping[str, Any]):
    """A node group's inputs with the launch template's instance type as instanceTypes (what EKS uses when
    the group names none). Keys are listed without reading values, so unknown inputs stay unknown."""

    def __init__(self, props: Mapping[str, Any], instance_type: str) -> None:
        self._props, self._instance_type = props, instance_type

    def __getitem__(self, key: str) -> Any:
        return [self._instance_type] if key == "instanceTypes" else self._props[key]

    def __iter__(self) -> Iterator[str]:
        yield from (k for k in self._props if k != "instanceTypes")
        yield "instanceTypes"

    def __len__(self) -> int:
        return sum(1 for _ in self)
