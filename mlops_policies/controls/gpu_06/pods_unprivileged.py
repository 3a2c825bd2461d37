"""The rule `gpu-06-pods-unprivileged`, one of the GPU-06 rules.

GPU-06: Workloads stay on their tenant's nodes and off the host.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import k8s_defaults
from mlops_policies.props import as_bool, as_list, get
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.workloads import WORKLOAD_TYPES, containers, pod_specs


@resource_rule(
    "gpu-06-pods-unprivileged",
    control="GPU-06",
    types=WORKLOAD_TYPES,
    severity=Severity.CRITICAL,
    description="No container is privileged, allows privilege escalation, or adds capabilities. An unset "
    "allowPrivilegeEscalation allows it (the Kubernetes default; see mlops_policies.k8s_defaults), except in "
    "...Patch kinds, where an unset field keeps the live object's value.",
    remediation="Remove privileged=True from every container's security_context, set "
    "allow_privilege_escalation=False and remove capabilities.add (use capabilities={'drop': ['ALL']}).",
)
def pods_unprivileged(r: ResourceCheck) -> None:
    for pod in pod_specs(r.type, r.props):
        for where, _, container in containers(pod):
            context = get(container, "securityContext")
            if as_bool(get(context, "privileged")) is True:
                r.fail(f"{r.label} has {where}.securityContext.privileged true; required: false or absent")
            # privileged and CAP_SYS_ADMIN imply escalation; they are reported as themselves.
            escalation = k8s_defaults.allow_privilege_escalation(container)
            if escalation == (True, k8s_defaults.SET) or (
                escalation.source == k8s_defaults.UNSET_TRUE and not pod.patch
            ):
                found = "true" if escalation.source == k8s_defaults.SET else escalation.source
                r.fail(
                    f"{r.label} has {where}.securityContext.allowPrivilegeEscalation {found}; required: false"
                )
            added = [c for c in as_list(get(context, "capabilities", "add")) if isinstance(c, str)]
            if added:
                r.fail(f"{r.label} has {where}.securityContext.capabilities.add {added}; required: none")
