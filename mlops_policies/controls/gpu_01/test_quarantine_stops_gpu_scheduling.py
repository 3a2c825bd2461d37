from __future__ import annotations

from typing import Any

import pytest

from mlops_policies.controls.gpu_01.quarantine_stops_gpu_scheduling import (
    quarantine_stops_gpu_scheduling as rule,
)
from tests.policies.harness import UNKNOWN, Res, run_stack
from tests.policies.incident import quarantined

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
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


@pytest.mark.parametrize(
    ("ami_type", "instance_type"),
    [("AL2_x86_64_GPU", "g5.xlarge"), ("BOTTLEROCKET_x86_64", "g6.xlarge"), ("CUSTOM", "p5.48xlarge")],
)
def test_fail_a_gpu_node_group_without_an_nvidia_ami_type_and_without_the_incident_taint(
    ami_type: str, instance_type: str
) -> None:
    group = {"amiType": ami_type, "instanceTypes": [instance_type], "taints": [TENANT]}
    with quarantined():
        outcome = run_stack(rule, [Res(NODE_GROUP, "acme-gpu-nodes", group)])

    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'acme-gpu-nodes' has no taint "
        "landingzone/incident=quarantined:NO_SCHEDULE while quarantined (ticket INC-42); required: present"
    ]


def test_fail_a_group_typed_gpu_by_its_launch_template_without_the_incident_taint() -> None:
    group = {"amiType": "CUSTOM", "taints": [TENANT], "launchTemplate": {"id": UNKNOWN, "version": "1"}}
    with quarantined():
        outcome = run_stack(
            rule,
            [
                Res(LAUNCH_TEMPLATE, "gpu-template", {"instanceType": "g6e.xlarge"}),
                Res(NODE_GROUP, "acme-gpu-nodes", group, prop_deps={"launchTemplate": ["gpu-template"]}),
            ],
        )

    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'acme-gpu-nodes' has no taint "
        "landingzone/incident=quarantined:NO_SCHEDULE while quarantined (ticket INC-42); required: present"
    ]


def test_pass_a_group_typed_cpu_by_its_launch_template_needs_no_incident_taint() -> None:
    group = {"amiType": "CUSTOM", "taints": [], "launchTemplate": {"id": UNKNOWN, "version": "1"}}
    with quarantined():
        outcome = run_stack(
            rule,
            [
                Res(LAUNCH_TEMPLATE, "cpu-template", {"instanceType": "m7i.large"}),
                Res(NODE_GROUP, "acme-cpu-nodes", group, prop_deps={"launchTemplate": ["cpu-template"]}),
            ],
        )

    assert outcome.passed


def test_undecided_a_group_whose_launch_template_cannot_be_found_in_a_first_preview() -> None:
    group = {"amiType": "CUSTOM", "taints": [], "launchTemplate": {"id": UNKNOWN, "version": "1"}}
    with quarantined():
        outcome = run_stack(rule, [Res(NODE_GROUP, "acme-nodes", group)])

    assert outcome.violations == []
    assert outcome.undecided == (
        "aws:eks/nodeGroup:NodeGroup 'acme-nodes': launchTemplate id/name is unknown and has no dependency "
        "information"
    )
