"""The hardened node group (components.node_group): the GPU pools and the system pool launch from
templates with the same hardening and run node groups with the same update and capacity settings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.components.recording import Recording

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
HARDENED_METADATA = {
    "httpEndpoint": "enabled",
    "httpTokens": "required",
    "httpPutResponseHopLimit": 1,
    "instanceMetadataTags": "disabled",
}


def _hardening(template: dict[str, Any]) -> dict[str, Any]:
    """A template's hardening: everything but what a pool chooses (name, disk size, tags)."""
    (device,) = template["blockDeviceMappings"]
    ebs = {k: v for k, v in device["ebs"].items() if k != "volumeSize"}
    return {
        "metadataOptions": template["metadataOptions"],
        "device": device["deviceName"],
        "ebs": ebs,
        "updateDefaultVersion": template["updateDefaultVersion"],
        "vpcSecurityGroupIds": template["vpcSecurityGroupIds"],
        "keyName": template.get("keyName"),
        "tagged": [spec["resourceType"] for spec in template["tagSpecifications"]],
    }


@pytest.fixture(scope="module")
def zone(recorded) -> Recording:
    return recorded("zone-acme")


def test_every_pool_of_the_zone_launches_from_an_identically_hardened_template(zone):
    templates = zone.of_type(LAUNCH_TEMPLATE)
    assert sorted(t.name for t in templates) == ["acme-gpu-a100-mig-lt", "acme-gpu-l40s-lt", "acme-system-lt"]
    hardening = [_hardening(t.inputs) for t in templates]
    assert hardening[0]["metadataOptions"] == HARDENED_METADATA
    assert hardening[0]["ebs"]["encrypted"] == "true"
    assert hardening[0]["keyName"] is None
    assert all(h == hardening[0] for h in hardening)


def test_every_pool_of_the_zone_updates_one_node_at_a_time_on_demand_after_the_node_role(zone):
    groups = zone.of_type(NODE_GROUP)
    attachments = [r for r in zone.resources if r.name.startswith("acme-cluster-node-Amazon")]
    assert len(groups) == 3 and len(attachments) == 3
    for group in groups:
        assert group.inputs["capacityType"] == "ON_DEMAND"
        assert group.inputs["updateConfig"] == {"maxUnavailable": 1}
        assert "remoteAccess" not in group.inputs
        assert {a.urn for a in attachments} <= set(group.dependencies), group.name
        template = zone.named(group.name.removesuffix("-nodes").removeprefix("acme-") + "-lt")
        assert group.inputs["launchTemplate"]["id"] == f"{template.name}-id"
