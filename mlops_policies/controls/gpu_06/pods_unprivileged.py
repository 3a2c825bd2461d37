"""The rule `gpu-06-pods-unprivileged`, one of the GPU-06 rules.

GPU-06: Workloads stay on their tenant's nodes and off the host.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.gpu_06._pods import pod_spec
from mlops_policies.core import ResourceCheck, resource_rule
from mlops_policies.props import as_bool, as_list, get
from mlops_policies.workloads import WORKLOAD_TYPES, containers


@resource_rule(
    "gpu-06-pods-unprivileged",
    control="GPU-06",
    types=WORKLOAD_TYPES,
    severity=Severity.CRITICAL,
    description="No container is privileged, sets allowPrivilegeEscalation true, or adds capabilities.",
    remediation="In every container's security_context drop privileged=True, set "
    "allow_privilege_escalation=False and remove capabilities.add (use capabilities={'drop': ['ALL']}).",
)
def pods_unprivileged(r: ResourceCheck) -> None:
    pod = pod_spec(r.type, r.props)
    if pod is None:
        return
    for where, _, container in containers(pod):
        context = get(container, "securityContext")
        if as_bool(get(context, "privileged")) is True:
            r.fail(f"{r.label} has {where}.securityContext.privileged true; required: false or absent")
        if as_bool(get(context, "allowPrivilegeEscalation")) is True:
            r.fail(f"{r.label} has {where}.securityContext.allowPrivilegeEscalation true; required: false")
        added = [c for c in as_list(get(context, "capabilities", "add")) if isinstance(c, str)]
        if added:
            r.fail(f"{r.label} has {where}.securityContext.capabilities.add {added}; required: none")
