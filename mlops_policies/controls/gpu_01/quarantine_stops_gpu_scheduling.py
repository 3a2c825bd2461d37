"""GPU-01 on a quarantined stack: GPU node groups take no new pods, and keep the ones they run."""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.incident import quarantine
from mlops_policies.node_groups import is_gpu_node_group_of_stack
from mlops_policies.props import as_list, get
from mlops_policies.resource_types import LAUNCH_TEMPLATE, NODE_GROUP
from mlops_policies.rule import StackCheck, label, stack_rule

INCIDENT_TAINT = ("landingzone/incident", "quarantined", "NO_SCHEDULE")


@stack_rule(
    "gpu-01-quarantine-stops-gpu-scheduling",
    control="GPU-01",
    types=[NODE_GROUP, LAUNCH_TEMPLATE],
    description="On a quarantined stack every GPU node group (a GPU or NVIDIA AMI type, or an instance type "
    "of a GPU family in instanceTypes or, when it names none, in its launch template) carries the taint "
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
            # The GPU-01 node group rules' own test: any GPU AMI (AL2 GPU, Bottlerocket NVIDIA) or GPU
            # instance type (a CUSTOM AMI runs them too), and the launch template's type for a group
            # naming none.
            if not is_gpu_node_group_of_stack(stack, group):
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
