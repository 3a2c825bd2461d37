"""gpu-02-device-plugin-no-sharing: the NVIDIA device plugin's config shares no GPU by time-slicing or MPS.

The device plugin (and the GPU Operator, which points it at a ConfigMap by name) reads its sharing config
from ConfigMap data: `sharing.timeSlicing.resources[].replicas` or `sharing.mps.resources[].replicas`
above 1 advertise one GPU (or MIG device) as several, so pods of different workloads share its memory and
compute: that breaks the dedicated/MIG partitioning GPU-02 requires, whatever the node labels say.
Every ConfigMap is read: the plugin's config is found by the name the operator is given, not by a label.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from typing import Any

import yaml
from pulumi_policy import Severity

from mlops_policies import workloads
from mlops_policies.props import as_int, as_list, get, known
from mlops_policies.rule import ResourceCheck, resource_rule

MAX_CONFIG_CHARS = 1 << 20  # the API server's limit for a whole ConfigMap
SHARING_MODES = {"timeSlicing": "time-slicing", "mps": "MPS"}


def _documents(props: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """(where, parsed value) for every data and binaryData entry that parses as YAML (JSON included)."""
    for section in ("data", "binaryData"):
        entries = get(props, section)
        if not isinstance(entries, Mapping):
            continue
        for key in entries:
            value = known(entries, key)
            if not isinstance(value, str) or len(value) > MAX_CONFIG_CHARS:
                continue
            if section == "binaryData":
                try:
                    value = base64.b64decode(value, validate=True).decode("utf-8")
                except (binascii.Error, ValueError):
                    continue
            try:
                yield f"{section}['{key}']", yaml.safe_load(value)
            except yaml.YAMLError:
                try:
                    yield f"{section}['{key}']", json.loads(value)
                except ValueError:
                    continue


def sharing_replicas(config: Any) -> Iterator[tuple[str, str, Any, Any]]:
    """(mode, path, resource name, replicas) of every shared resource with replicas other than 1."""
    for key, mode in SHARING_MODES.items():
        for index, resource in enumerate(as_list(get(config, "sharing", key, "resources"))):
            replicas = get(resource, "replicas")
            count = as_int(replicas)
            if count is None or count > 1:
                yield mode, f"sharing.{key}.resources[{index}].replicas", get(resource, "name"), replicas


@resource_rule(
    "gpu-02-device-plugin-no-sharing",
    control="GPU-02",
    types=list(workloads.CONFIG_MAP_TYPES),
    severity=Severity.HIGH,
    description="No ConfigMap holds an NVIDIA device plugin config sharing GPUs: no "
    "sharing.timeSlicing.resources[].replicas or sharing.mps.resources[].replicas above 1 (or unreadable) "
    "in any data or binaryData entry (of a ConfigMap, a ConfigMapPatch or an inline kubernetes:yaml "
    "manifest).",
    remediation="Remove the sharing section (timeSlicing / mps) from the device plugin config in the "
    "ConfigMap; partition GPUs with MIG (gpu-sharing 'mig') or give workloads whole GPUs.",
)
def device_plugin_no_sharing(r: ResourceCheck) -> None:
    for prefix, config_map in workloads.config_maps(r.type, r.props):
        _judge(r, prefix, config_map)


def _judge(r: ResourceCheck, prefix: str, config_map: Mapping[str, Any]) -> None:
    for entry, config in _documents(config_map):
        where = prefix + entry
        for mode, path, resource, replicas in sharing_replicas(config):
            found = "missing" if replicas is None else repr(replicas)
            name = f" ({resource})" if isinstance(resource, str) else ""
            r.fail(
                f"{r.label} has {where} {path} {found}{name}, configuring {mode}; required: no "
                "time-slicing or MPS sharing (replicas at most 1: whole GPUs or MIG partitions)"
            )
