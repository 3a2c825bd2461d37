"""The launch template of each GPU node group (GPU-05)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pulumi_policy import PolicyResource

from landingzone.gpu import is_gpu_instance_type as _is_gpu_family
from mlops_policies.node_groups import NODE_GROUP_JUDGES, WithInstanceType, instance_types, is_gpu_node_group
from mlops_policies.props import UNKNOWN, as_str, get, known
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP
from mlops_policies.rule import ResourceCheck, StackCheck, Undecided, label


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


def groups_typed_by_template(stack: StackCheck) -> Iterator[tuple[PolicyResource, PolicyResource, str]]:
    """Node groups naming no instance type (and no GPU AMI type) themselves whose launch template of the
    stack has an instanceType of a GPU family, with that template and type."""
    for group in stack.of_type(NODE_GROUP):
        with stack.deciding(group):
            if instance_types(group.props) or is_gpu_node_group(group.props):
                continue  # judged by the resource rules on the group's own inputs
            template = _launch_template(stack, group)
            instance_type = _template_instance_type(template) if template is not None else ""
            if template is not None and _is_gpu_family(instance_type):
                yield group, template, instance_type


def judge_typed_by_template(stack: StackCheck, control: str) -> None:
    """Run the control's node group judges on groups typed by their launch template, as if the group
    named the template's instance type; messages name where the type came from."""
    for group, template, instance_type in groups_typed_by_template(stack):
        origin = f" (instance type '{instance_type}' from {label(template)})"

        def report(
            message: str, urn: str | None = None, group: PolicyResource = group, origin: str = origin
        ) -> None:
            stack.fail(group, message.replace(label(group), label(group) + origin, 1))

        check = ResourceCheck(
            group.resource_type, group.name, group.urn, WithInstanceType(group.props, instance_type),
            stack.tenant, stack.config, report,
        )  # fmt: skip
        with stack.deciding(group):
            # By name, so messages come in the same order whatever imported the judges first.
            for judge in sorted(NODE_GROUP_JUDGES[control], key=lambda j: j.__name__):
                judge(check)
