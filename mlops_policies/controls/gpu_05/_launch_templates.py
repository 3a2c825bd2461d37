"""The launch template of each GPU node group (GPU-05)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pulumi_policy import PolicyResource

from landingzone.gpu import is_gpu_instance_type as _is_gpu_family
from mlops_policies.core import StackCheck, Undecided, label
from mlops_policies.node_groups import instance_types, is_gpu_node_group
from mlops_policies.props import UNKNOWN, as_str, get, known
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP


def _launch_template(stack: StackCheck, group: PolicyResource) -> PolicyResource | None:
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


def gpu_groups_with_templates(stack: StackCheck) -> Iterator[tuple[PolicyResource, PolicyResource]]:
    """GPU node groups and their launch templates; a group without one is reported here."""
    for group in stack.of_type(NODE_GROUP):
        with stack.deciding(group):
            gpu = is_gpu_node_group(group.props)
            if not gpu and instance_types(group.props):
                continue
            template = _launch_template(stack, group)
            # Without instanceTypes on the group, the launch template's instanceType decides.
            if not gpu and not (template and _is_gpu_family(_template_instance_type(template))):
                continue
            if template is None:
                stack.fail(group, f"{label(group)} has launchTemplate {_template_ref(group)}; required: a "
                           f"{LAUNCH_TEMPLATE} of this stack")  # fmt: skip
                continue
            yield group, template


def _template_instance_type(template: PolicyResource) -> str:
    return as_str(get(template.props, "instanceType")) or ""


def _template_ref(group: PolicyResource) -> str:
    reference = get(group.props, "launchTemplate")
    if not isinstance(reference, Mapping):
        return "missing"
    named = get(reference, "name") or get(reference, "id")
    return f"{named!r}, not a launch template of this stack" if named else "without id or name"
