"""Fixtures shared by the tests of several GPU-05 rules."""

from __future__ import annotations

from typing import Any

from tests.policies.gpu_isolation_fixtures import KEY, LAUNCH_TEMPLATE, MIG_GROUP, NODE_GROUP, TAGS
from tests.policies.harness import UNKNOWN, Res

TEMPLATE = {
    "name": "acme-gpu-nodes",
    "metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 1, "httpEndpoint": "enabled"},
    "blockDeviceMappings": [
        {"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "kmsKeyId": UNKNOWN, "volumeSize": 200}}
    ],
    "tags": TAGS,
}


KEY_DEPS = {"blockDeviceMappings": ["acme-ebs"]}
TEMPLATE_DEPS = {"launchTemplate": ["gpu-template"]}


def node_stack(
    group: dict[str, Any] = MIG_GROUP,
    template: dict[str, Any] = TEMPLATE,
    group_deps: dict[str, list[str]] = TEMPLATE_DEPS,
    template_deps: dict[str, list[str]] = KEY_DEPS,
) -> list[Res]:
    """A first preview: the key ARN and launch template id are unknown; dependencies say what they are."""
    return [
        Res(KEY, "acme-ebs", {"enableKeyRotation": True, "tags": TAGS}),
        Res(LAUNCH_TEMPLATE, "gpu-template", template, prop_deps=dict(template_deps)),
        Res(NODE_GROUP, "a100", group, prop_deps=dict(group_deps)),
    ]
