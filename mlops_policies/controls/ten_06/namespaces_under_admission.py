"""TEN-06: the bindings select every Namespace of the stack (by label tenant=<stack tenant>)."""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.ten_06._expected import NAMESPACE
from mlops_policies.props import UNKNOWN, known, shown
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule


@stack_rule(
    "ten-06-namespaces-under-admission",
    control="TEN-06",
    types=[NAMESPACE],
    severity=Severity.HIGH,
    description="Every Namespace of the stack carries label tenant=<stack tenant>, the label the admission "
    "bindings select, so no tenant namespace escapes the admission policies.",
    remediation="Set metadata.labels['tenant'] to the tenant id on every kubernetes.core.v1.Namespace (the "
    "landing zone's TenantWorkspace does).",
)
def namespaces_under_admission(stack: StackCheck) -> None:
    for namespace in stack.of_type(NAMESPACE):
        with stack.deciding(namespace):
            if stack.tenant.id is None:
                stack.fail(namespace, f"{label(namespace)}: stack config landingzone:tenant.id is missing; "
                           "required to judge the namespace's tenant label")  # fmt: skip
                continue
            value = known(namespace.props, "metadata", "labels", "tenant")
            if value is UNKNOWN:
                raise Undecided(["metadata.labels.tenant is unknown"])
            if value != stack.tenant.id:
                stack.fail(namespace, f"{label(namespace)} has metadata.labels.tenant {shown(value)}, so no "
                           f"admission binding selects it; required: '{stack.tenant.id}'")  # fmt: skip
