"""gpu-02-device-plugin-no-sharing: one compliant device plugin ConfigMap, one change per failing case."""

from __future__ import annotations

import base64
import json

import pytest

from mlops_policies.controls.gpu_02.device_plugin_no_sharing import device_plugin_no_sharing
from tests.policies.harness import run_resource

CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
PATCH = "kubernetes:core/v1:ConfigMapPatch"
DEDICATED = "version: v1\nflags:\n  migStrategy: mixed\n"
TIME_SLICED = (
    "version: v1\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 4\n"
)
REQUIRED = "required: no time-slicing or MPS sharing (replicas at most 1: whole GPUs or MIG partitions)"


def config_map(data: dict[str, str], type_: str = CONFIG_MAP) -> dict[str, object]:
    return {"metadata": {"name": "device-plugin-config", "namespace": "gpu-operator"}, "data": data}


def test_pass_device_plugin_config_without_sharing():
    assert run_resource(device_plugin_no_sharing, CONFIG_MAP, config_map({"default": DEDICATED})).passed


def test_pass_config_map_that_is_not_yaml():
    assert run_resource(device_plugin_no_sharing, CONFIG_MAP, config_map({"notes": "key: [unclosed"})).passed


def test_pass_time_slicing_with_one_replica_shares_nothing():
    one = TIME_SLICED.replace("replicas: 4", "replicas: 1")
    assert run_resource(device_plugin_no_sharing, CONFIG_MAP, config_map({"default": one})).passed


def test_fail_time_slicing_replicas_above_one():
    outcome = run_resource(
        device_plugin_no_sharing, CONFIG_MAP, config_map({"any": DEDICATED, "ts": TIME_SLICED})
    )
    assert outcome.violations == [
        "kubernetes:core/v1:ConfigMap 'subject' has data['ts'] sharing.timeSlicing.resources[0].replicas 4 "
        f"(nvidia.com/gpu), configuring time-slicing; {REQUIRED}"
    ]


def test_fail_mps_replicas_in_a_json_config_of_a_patch():
    mps = json.dumps(
        {"version": "v1", "sharing": {"mps": {"resources": [{"name": "nvidia.com/gpu", "replicas": "2"}]}}}
    )
    outcome = run_resource(device_plugin_no_sharing, PATCH, config_map({"mps.json": mps}, PATCH))
    assert outcome.violations == [
        "kubernetes:core/v1:ConfigMapPatch 'subject' has data['mps.json'] sharing.mps.resources[0].replicas "
        f"'2' (nvidia.com/gpu), configuring MPS; {REQUIRED}"
    ]


def test_fail_time_slicing_in_binary_data():
    props = {
        "metadata": {"name": "cfg"},
        "binaryData": {"ts": base64.b64encode(TIME_SLICED.encode()).decode()},
    }
    outcome = run_resource(device_plugin_no_sharing, CONFIG_MAP, props)
    assert outcome.violations == [
        "kubernetes:core/v1:ConfigMap 'subject' has binaryData['ts'] sharing.timeSlicing.resources[0]."
        f"replicas 4 (nvidia.com/gpu), configuring time-slicing; {REQUIRED}"
    ]


def test_fail_time_slicing_in_a_config_map_of_an_inline_manifest():
    objs = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "plugin"}, "data": {"ts": TIME_SLICED}}
    ]
    outcome = run_resource(device_plugin_no_sharing, "kubernetes:yaml/v2:ConfigGroup", {"objs": objs})
    assert outcome.violations == [
        "kubernetes:yaml/v2:ConfigGroup 'subject' has objs[0] (ConfigMap 'plugin') data['ts'] "
        f"sharing.timeSlicing.resources[0].replicas 4 (nvidia.com/gpu), configuring time-slicing; {REQUIRED}"
    ]


@pytest.mark.parametrize("text", [TIME_SLICED + "---\n", TIME_SLICED + "---\nversion: v1\n"])
def test_fail_time_slicing_in_the_first_of_several_yaml_documents(text: str):
    outcome = run_resource(device_plugin_no_sharing, CONFIG_MAP, config_map({"ts": text}))
    assert outcome.violations == [
        "kubernetes:core/v1:ConfigMap 'subject' has data['ts'] sharing.timeSlicing.resources[0].replicas 4 "
        f"(nvidia.com/gpu), configuring time-slicing; {REQUIRED}"
    ]


def test_pass_time_slicing_after_the_first_yaml_document_is_not_read_by_the_plugin():
    text = DEDICATED + "---\n" + TIME_SLICED
    assert run_resource(device_plugin_no_sharing, CONFIG_MAP, config_map({"ts": text})).passed


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("timeSlicing", "timeslicing", "sharing.timeslicing.resources[0].replicas"),
        ("sharing:", "Sharing:", "Sharing.timeSlicing.resources[0].replicas"),
        ("timeSlicing", "TimeSlicing", "sharing.TimeSlicing.resources[0].replicas"),
        ("resources:", "Resources:", "sharing.timeSlicing.Resources[0].replicas"),
        ("replicas:", "REPLICAS:", "sharing.timeSlicing.resources[0].REPLICAS"),
        ("sharing:", "\u017fharing:", "\u017fharing.timeSlicing.resources[0].replicas"),
    ],
)
def test_fail_time_slicing_with_field_names_in_another_case(old: str, new: str, path: str):
    text = TIME_SLICED.replace(old, new)
    outcome = run_resource(device_plugin_no_sharing, CONFIG_MAP, config_map({"ts": text}))
    assert outcome.violations == [
        f"kubernetes:core/v1:ConfigMap 'subject' has data['ts'] {path} 4 (nvidia.com/gpu), configuring "
        f"time-slicing; {REQUIRED}"
    ]


def test_fail_sharing_config_that_parses_as_neither_yaml_nor_json():
    text = TIME_SLICED + "  bad: [unclosed\n"
    outcome = run_resource(device_plugin_no_sharing, CONFIG_MAP, config_map({"ts": text}))
    assert outcome.violations == [
        "kubernetes:core/v1:ConfigMap 'subject' has data['ts'] that mentions sharing but is neither YAML nor "
        "JSON; required: a device plugin config that parses, with no time-slicing or MPS sharing"
    ]
