"""EKS node groups as the GPU rules read them: labels, instance types, whether a group has GPUs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource

from landingzone.gpu import is_gpu_instance_type as _is_gpu_family
from mlops_policies.props import UNKNOWN, as_list, as_str, get, known
from mlops_policies.resource_types import LAUNCH_TEMPLATE
from mlops_policies.rule import ResourceCheck, StackCheck, Undecided

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


def launch_template_of(stack: StackCheck, group: PolicyResource) -> PolicyResource | None:
    """The stack's LaunchTemplate the group uses; None when none; Undecided when it cannot tell."""
    for dep in stack.referenced_by(group, "launchTemplate"):
        if dep.resource_type == LAUNCH_TEMPLATE:
            return dep
    reference = get(group.props, "launchTemplate")
    if not isinstance(reference, Mapping):
        return None
    ident, name = known(reference, "id"), known(reference, "name")
    for template in stack.of_type(LAUNCH_TEMPLATE):
        if (isinstance(name, str) and name == known(template.props, "name")) or (
            isinstance(ident, str) and ident == known(template.props, "id")
        ):
            return template
    if UNKNOWN in (ident, name):
        raise Undecided(["launchTemplate id/name is unknown and has no dependency information"])
    return None


def template_instance_type(template: PolicyResource) -> str:
    return as_str(get(template.props, "instanceType")) or ""


def stack_instance_types(stack: StackCheck, group: PolicyResource) -> list[str]:
    """The instance types EKS launches for the group: its own instanceTypes, or when it names none, its
    launch template's instanceType. May raise Undecided (call inside `stack.deciding(group)`)."""
    own = instance_types(group.props)
    if own:
        return own
    template = launch_template_of(stack, group)
    instance_type = template_instance_type(template) if template is not None else ""
    return [instance_type] if instance_type else []


def is_gpu_node_group_of_stack(stack: StackCheck, group: PolicyResource) -> bool:
    """`is_gpu_node_group`, or a group naming no instance type whose launch template's is of a GPU family.
    The template is looked up only when the group's own inputs do not decide, so a GPU group whose
    template reference is unknown is still judged. May raise Undecided (call inside `stack.deciding`)."""
    if is_gpu_node_group(group.props):
        return True
    if instance_types(group.props):
        return False
    return any(_is_gpu_family(t) for t in stack_instance_types(stack, group))


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
