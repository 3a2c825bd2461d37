"""Every component: its own `mlops:landingzone:<Component>` type, every child registered beneath it
(parent=self, recursively) and named after it, so a stack reads as a tree of components."""

from __future__ import annotations

import pytest

from tests.components.recording import COMPONENT_PREFIX, FIXTURE_PREFIX, Recording
from tests.components.scenarios import SCENARIOS

TOP_LEVEL_TYPE = {
    "keys": "TenantKeys",
    "network-none": "TenantNetwork",
    "network-nat": "TenantNetwork",
    "audit": "AuditLogSink",
    "audit-regulated": "AuditLogSink",
    "registry": "ImmutableRegistry",
    "registry-compliance": "ImmutableRegistry",
    "cluster": "TenantCluster",
    "gpu-pools": "GpuNodePool",
    "workspace": "TenantWorkspace",
    "secrets": "TenantSecrets",
    "zone-acme": "TenantLandingZone",
    "zone-globex": "TenantLandingZone",
    "zone-initech": "TenantLandingZone",
}
COMPONENT_TYPES = {
    f"{COMPONENT_PREFIX}{name}"
    for name in [
        *TOP_LEVEL_TYPE.values(),
        "SecureBucket",
        "SystemNodePool",
        "TenantAdmission",
        "TenantAccess",
    ]
}
STRUCTURE_CASES = [(sid, False) for sid in SCENARIOS] + [("zone-acme", True), ("zone-initech", True)]


def _stack_urn(stack: str) -> str:
    return f"urn:pulumi:{stack}::mlops-landing-zone::pulumi:pulumi:Stack::mlops-landing-zone-{stack}"


def _ids(case: tuple[str, bool]) -> str:
    return f"{case[0]}{'-preview' if case[1] else ''}"


@pytest.fixture(params=STRUCTURE_CASES, ids=_ids)
def case(request, recorded) -> tuple[str, Recording]:
    scenario_id, preview = request.param
    return scenario_id, recorded(scenario_id, preview)


def test_every_scenario_is_covered_by_the_structure_tests():
    assert set(TOP_LEVEL_TYPE) == set(SCENARIOS)


def test_top_level_components_have_their_own_type_token_and_sit_at_the_stack(case):
    scenario_id, recording = case
    scenario = SCENARIOS[scenario_id]
    top = [r for r in recording.resources if r.name in scenario.components]
    assert sorted(r.name for r in top) == sorted(scenario.components)
    for component in top:
        assert component.type == f"{COMPONENT_PREFIX}{TOP_LEVEL_TYPE[scenario_id]}"
        assert component.custom is False
        assert component.parent == _stack_urn(scenario.stack)


def test_every_component_type_is_in_the_landingzone_namespace(case):
    _, recording = case
    for component in recording.components():
        assert component.type in COMPONENT_TYPES, component.type
    assert not [r for r in recording.resources if not r.custom and r.type not in COMPONENT_TYPES]


def test_every_resource_is_registered_beneath_a_component(case):
    scenario_id, recording = case
    scenario = SCENARIOS[scenario_id]
    tops = [r for r in recording.resources if r.name in scenario.components]
    beneath = {r.urn for top in tops for r in recording.descendants_of(top.urn)}
    stray = [
        r.name
        for r in recording.without_fixtures()
        if r.name not in scenario.components and r.urn not in beneath
    ]
    assert stray == []
    # Fixtures (stand-in keys, log groups) are the only other resources, and they sit at the stack.
    for fixture in recording.resources:
        if fixture.name.startswith(FIXTURE_PREFIX):
            assert fixture.parent == _stack_urn(scenario.stack)


def test_every_child_is_named_after_its_parent_component(case):
    _, recording = case
    components = {c.urn: c for c in recording.components()}
    children = [r for r in recording.resources if r.parent in components]
    assert children, "the scenario registers children"
    for child in children:
        parent = components[child.parent]
        assert child.name.startswith(f"{parent.name}-"), (parent.name, child.name)


def test_every_child_of_a_component_has_its_parent_component_in_its_urn(case):
    _, recording = case
    components = {c.urn: c for c in recording.components()}
    for child in (r for r in recording.resources if r.parent in components):
        parent_type = components[child.parent].type
        assert f"{parent_type}${child.type}::{child.name}" in child.urn, child.urn


def test_resource_names_are_unique_per_type(case):
    _, recording = case
    keys = [(r.type, r.name) for r in recording.resources]
    assert len(keys) == len(set(keys))


def test_the_landing_zone_composes_every_other_component(recorded):
    recording = recorded("zone-acme")
    zone = recording.named("acme")
    direct = sorted(r.type.removeprefix(COMPONENT_PREFIX) for r in recording.children_of(zone.urn))
    assert direct == sorted(
        [
            "TenantKeys",
            "AuditLogSink",
            "TenantNetwork",
            "ImmutableRegistry",
            "TenantCluster",
            "GpuNodePool",
            "GpuNodePool",
            "SystemNodePool",
            "TenantWorkspace",
            "TenantAdmission",
            "TenantAccess",
            "TenantSecrets",
        ]
    )
    nested = {r.type.removeprefix(COMPONENT_PREFIX) for r in recording.components()}
    assert nested == {*direct, "TenantLandingZone", "SecureBucket"}
