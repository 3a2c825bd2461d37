"""The launch template of each GPU node group (GPU-05)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pulumi_policy import PolicyResource

from landingzone.gpu import is_gpu_instance_type as _is_gpu_family
from mlops_policies.node_groups import (
    NODE_GROUP_JUDGES,
    WithInstanceType,
    instance_types,
    is_gpu_node_group,
    is_gpu_node_group_of_stack,
    launch_template_of,
    template_instance_type,
)
from mlops_policies.props import get
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP
from mlops_policies.rule import ResourceCheck, StackCheck, label


def gpu_groups_with_templates(
    stack: StackCheck, *, report_missing: bool = True
) -> Iterator[tuple[PolicyResource, PolicyResource]]:
    """GPU node groups and their launch templates; a group without one is reported here (once per stack
    rule that requires a template: `report_missing=False` for rules that only judge templates present)."""
    for group in stack.of_type(NODE_GROUP):
        with stack.deciding(group):
            # Without instanceTypes on the group, the launch template's instanceType decides.
            if not is_gpu_node_group_of_stack(stack, group):
                continue
            template = launch_template_of(stack, group)
            if template is None:
                if not report_missing:
                    continue
                stack.fail(group, f"{label(group)} has launchTemplate {_template_ref(group)}; required: a "
                           f"{LAUNCH_TEMPLATE} of this stack")  # fmt: skip
                continue
            yield group, template


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
            template = launch_template_of(stack, group)
            instance_type = template_instance_type(template) if template is not None else ""
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
