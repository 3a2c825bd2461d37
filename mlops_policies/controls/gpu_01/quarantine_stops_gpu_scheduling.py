"""GPU-01 on a quarantined stack: GPU node groups take no new pods, and keep the ones they run."""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies.incident import quarantine
from mlops_policies.props import as_list, get
from mlops_policies.rule import StackCheck, label, stack_rule

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
INCIDENT_TAINT = ("landingzone/incident", "quarantined", "NO_SCHEDULE")


def _is_gpu(group: PolicyResource) -> bool:
    """GpuNodePool's groups run an NVIDIA AMI; the system pool's do not."""
    return "NVIDIA" in str(get(group.props, "amiType", default="")).upper()


@stack_rule(
    "gpu-01-quarantine-stops-gpu-scheduling",
    control="GPU-01",
    types=[NODE_GROUP],
    description="On a quarantined stack every GPU node group (NVIDIA AMI) carries the taint "
    "landingzone/incident=quarantined:NO_SCHEDULE, so no new pod lands on it, and no NO_EXECUTE taint, "
    "so running pods (and the evidence in their memory and disks) stay.",
    remediation="Deploy the stack as `tenantctl quarantine` left it: GpuNodePool adds the NoSchedule taint; "
    "do not scale the pools to zero or add NoExecute taints until the evidence is collected.",
    severity=Severity.HIGH,
)
def quarantine_stops_gpu_scheduling(stack: StackCheck) -> None:
    incident = quarantine()
    for group in stack.of_type(NODE_GROUP):
        with stack.deciding(group):
            if not _is_gpu(group):
                continue
            taints = [
                (get(t, "key"), get(t, "value"), get(t, "effect"))
                for t in as_list(get(group.props, "taints"))
            ]
            if INCIDENT_TAINT not in taints:
                stack.fail(
                    group,
                    f"{label(group)} has no taint landingzone/incident=quarantined:NO_SCHEDULE while "
                    f"quarantined (ticket {incident.ticket}); required: present",
                )
            evicting = sorted(f"{k}={v}" for k, v, effect in taints if effect == "NO_EXECUTE")
            if evicting:
                stack.fail(
                    group,
                    f"{label(group)} has NO_EXECUTE taint(s) {', '.join(evicting)} while quarantined "
                    f"(ticket {incident.ticket}); required: none "
                    "(they evict running pods and their evidence)",
                )
