from __future__ import annotations

from typing import Any

from mlops_policies.controls.gpu_01.quarantine_stops_gpu_scheduling import (
    quarantine_stops_gpu_scheduling as rule,
)
from tests.policies.harness import Res, run_stack
from tests.policies.incident import quarantined

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
TENANT = {"key": "tenant", "value": "acme", "effect": "NO_SCHEDULE"}
INCIDENT = {"key": "landingzone/incident", "value": "quarantined", "effect": "NO_SCHEDULE"}


def stack(*taints: dict[str, Any]) -> list[Res]:
    return [
        Res(NODE_GROUP, "acme-gpu-l40s-nodes", {"amiType": "AL2023_x86_64_NVIDIA", "taints": list(taints)}),
        Res(NODE_GROUP, "acme-system-nodes", {"amiType": "AL2023_x86_64_STANDARD", "taints": []}),
    ]


def test_pass_gpu_node_groups_carry_the_incident_no_schedule_taint() -> None:
    with quarantined():
        assert run_stack(rule, stack(TENANT, INCIDENT)).passed


def test_pass_is_not_applicable_to_a_stack_that_is_not_quarantined() -> None:
    with quarantined(None):
        assert (
            run_stack(rule, stack(TENANT)).not_applicable
            == "the stack is not quarantined (no landingzone:incident)"
        )


def test_fail_a_gpu_node_group_without_the_incident_taint() -> None:
    with quarantined():
        outcome = run_stack(rule, stack(TENANT))

    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'acme-gpu-l40s-nodes' has no taint "
        "landingzone/incident=quarantined:NO_SCHEDULE while quarantined (ticket INC-42); required: present"
    ]


def test_fail_a_no_execute_taint_that_would_evict_running_pods() -> None:
    with quarantined():
        outcome = run_stack(
            rule, stack(TENANT, INCIDENT, {"key": "drain", "value": "now", "effect": "NO_EXECUTE"})
        )

    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'acme-gpu-l40s-nodes' has NO_EXECUTE taint(s) drain=now while "
        "quarantined (ticket INC-42); required: none (they evict running pods and their evidence)"
    ]
