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
UNREADABLE = object()
"""An entry neither YAML nor JSON parses (see `_parse`)."""


def _parse(text: str) -> Any:
    """What the device plugin reads from `text`, or UNREADABLE.

    The plugin parses with sigs.k8s.io/yaml, which decodes the first YAML document only and ignores what
    follows a `---`; yaml.safe_load would refuse the whole entry, so read the first document alone.
    """
    try:
        return next(yaml.safe_load_all(text), None)
    except yaml.YAMLError:
        pass
    try:
        return json.loads(text)
    except ValueError:
        return UNREADABLE


def _documents(props: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(where, text, parsed value or UNREADABLE) for every data and binaryData entry of text."""
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
            yield f"{section}['{key}']", value, _parse(value)


def _fields(obj: Any, name: str) -> list[tuple[str, Any]]:
    """(key, value) of every key of mapping `obj` naming field `name` for the plugin.

    sigs.k8s.io/yaml decodes through Go's encoding/json, which matches struct fields case-insensitively
    with Unicode folding: `Sharing`, `timeslicing`, even a long s (U+017F) for the s of `sharing` select
    the field; str.casefold folds the same way. When several keys match, Go keeps the last one; every
    one is returned, so a sharing entry cannot hide behind another.
    """
    if not isinstance(obj, Mapping):
        return []
    folded = name.casefold()
    return [(k, v) for k, v in obj.items() if isinstance(k, str) and k.casefold() == folded]


def sharing_replicas(config: Any) -> Iterator[tuple[str, str, Any, Any]]:
    """(mode, path, resource name, replicas) of every shared resource with replicas other than 1.

    The path spells the keys as the config does."""
    for sharing_key, sharing in _fields(config, "sharing"):
        for field, mode in SHARING_MODES.items():
            for mode_key, section in _fields(sharing, field):
                for resources_key, resources in _fields(section, "resources"):
                    for index, resource in enumerate(as_list(resources)):
                        names = [n for _, n in _fields(resource, "name")]
                        name = names[-1] if names else None
                        found = _fields(resource, "replicas") or [("replicas", None)]
                        for replicas_key, replicas in found:
                            count = as_int(replicas)
                            if count is None or count > 1:
                                path = f"{sharing_key}.{mode_key}.{resources_key}[{index}].{replicas_key}"
                                yield mode, path, name, replicas


@resource_rule(
    "gpu-02-device-plugin-no-sharing",
    control="GPU-02",
    types=list(workloads.CONFIG_MAP_TYPES),
    severity=Severity.HIGH,
    description="No ConfigMap holds an NVIDIA device plugin config sharing GPUs: no "
    "sharing.timeSlicing.resources[].replicas or sharing.mps.resources[].replicas above 1 (or unreadable) "
    "in any data or binaryData entry (of a ConfigMap, a ConfigMapPatch or an inline kubernetes:yaml "
    "manifest), read as the plugin reads it (the first YAML document, field names in any case); an entry "
    "that mentions sharing but parses as neither YAML nor JSON fails too.",
    remediation="Remove the sharing section (timeSlicing / mps) from the device plugin config in the "
    "ConfigMap; partition GPUs with MIG (gpu-sharing 'mig') or give workloads whole GPUs.",
)
def device_plugin_no_sharing(r: ResourceCheck) -> None:
    for prefix, config_map in workloads.config_maps(r.type, r.props):
        _judge(r, prefix, config_map)


def _judge(r: ResourceCheck, prefix: str, config_map: Mapping[str, Any]) -> None:
    for entry, text, config in _documents(config_map):
        where = prefix + entry
        if config is UNREADABLE:
            # Most ConfigMaps hold scripts or other formats no YAML parser reads, and the plugin cannot
            # load those either. One that names sharing may be a plugin config written in YAML that Go's
            # parser accepts and PyYAML does not: it cannot be shown to share nothing, so it fails
            # (undecided would never resolve, since the value is known).
            if "sharing" in text.casefold():
                r.fail(
                    f"{r.label} has {where} that mentions sharing but is neither YAML nor JSON; required: "
                    "a device plugin config that parses, with no time-slicing or MPS sharing"
                )
            continue
        for mode, path, resource, replicas in sharing_replicas(config):
            found = "missing" if replicas is None else repr(replicas)
            name = f" ({resource})" if isinstance(resource, str) else ""
            r.fail(
                f"{r.label} has {where} {path} {found}{name}, configuring {mode}; required: no "
                "time-slicing or MPS sharing (replicas at most 1: whole GPUs or MIG partitions)"
            )
