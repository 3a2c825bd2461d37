"""The rule `gpu-06-pods-off-the-host`, one of the GPU-06 rules.

GPU-06: Workloads stay on their tenant's nodes and off the host.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import as_bool, as_list, get
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.workloads import WORKLOAD_TYPES, pod_specs


@resource_rule(
    "gpu-06-pods-off-the-host",
    control="GPU-06",
    types=WORKLOAD_TYPES,
    severity=Severity.CRITICAL,
    description="No pod spec uses hostNetwork, hostPID, hostIPC or hostPath volumes.",
    remediation="Remove host_network/host_pid/host_ipc and host_path volumes from the pod spec; use "
    "persistent volume claims or emptyDir instead.",
)
def pods_off_the_host(r: ResourceCheck) -> None:
    for pod in pod_specs(r.type, r.props):
        path, spec = pod.path, pod.spec
        for field_name in ("hostNetwork", "hostPID", "hostIPC"):
            if as_bool(get(spec, field_name)) is True:
                r.fail(f"{r.label} has {path}.{field_name} true; required: false or absent")
        for index, volume in enumerate(as_list(get(spec, "volumes"))):
            if get(volume, "hostPath") is not None:
                r.fail(f"{r.label} has {path}.volumes[{index}].hostPath; required: no hostPath volumes")
