"""The rule `gpu-02-node-group-no-time-slicing`, one of the GPU-02 rules.

GPU-02: GPU sharing is a hard partition or none.
"""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import Severity

from mlops_policies.node_groups import is_gpu_node_group, node_group_judge, node_labels
from mlops_policies.props import get
from mlops_policies.resource_types import NODE_GROUP
from mlops_policies.rule import ResourceCheck, resource_rule

DEVICE_PLUGIN_CONFIG_LABEL = "nvidia.com/device-plugin.config"
_SHARING_HINTS = re.compile(r"timeslic|time-slic|time_slic")
_DEVICE_PLUGIN_HINTS = re.compile(r"shared|sharing|replica")


def _sharing_hint(key: str, value: Any) -> str | None:
    """'time-slicing' or 'MPS' when a label key or value configures GPU sharing by either."""
    text = f"{key} {value if isinstance(value, str) else ''}".lower()
    if _SHARING_HINTS.search(text):
        return "time-slicing"
    if "mps" in re.split(r"[^a-z0-9]+", text):
        return "MPS"
    plugin_config = value.lower() if key == DEVICE_PLUGIN_CONFIG_LABEL and isinstance(value, str) else ""
    if _DEVICE_PLUGIN_HINTS.search(plugin_config):
        return "time-slicing"
    return None


@resource_rule(
    "gpu-02-node-group-no-time-slicing",
    control="GPU-02",
    types=[NODE_GROUP],
    severity=Severity.HIGH,
    description="GPU node groups are not shared by time-slicing or MPS (no label key or value, nor a "
    "device-plugin config, configures either): tenants' processes never share a GPU's memory.",
    remediation="Remove time-slicing/MPS labels and nvidia.com/device-plugin.config sharing configs from the "
    "aws.eks.NodeGroup labels; partition with MIG (gpu-sharing 'mig') or use whole GPUs.",
)
@node_group_judge("GPU-02")
def node_group_no_time_slicing(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    for key in sorted(k for k in node_labels(r.props) if isinstance(k, str)):
        mode = _sharing_hint(key, get(node_labels(r.props), key))
        if mode:
            r.fail(f"{r.label} has label '{key}' configuring {mode}; required: whole GPUs or MIG partitions")
