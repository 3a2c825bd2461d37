"""mlops_policies.workloads: every pod-template kind of the pinned SDK, Patch kinds, inline manifests."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from mlops_policies import workloads
from tests.policies.provenance_fixtures import DEPLOYMENT, POD_SPEC, WORKLOADS

POD = {"containers": [{"name": "main", "image": "x"}], "initContainers": [{"name": "init", "image": "y"}]}


def _sdk_pod_template_kinds() -> set[tuple[str, str]]:
    """(apiVersion, kind) of every pulumi-kubernetes args class holding a pod spec, a pod template or a job
    template (which holds a pod template); the template classes themselves are wrappers, not kinds."""
    spec = importlib.util.find_spec("pulumi_kubernetes")
    assert spec is not None and spec.submodule_search_locations
    root = Path(next(iter(spec.submodule_search_locations)))
    found = set()
    for path in root.glob("*/*/_inputs.py"):
        for block in re.split(r"\nclass ", path.read_text(encoding="utf-8"))[1:]:
            name = re.split(r"[(:]", block, maxsplit=1)[0]
            holds_pod = re.search(
                r"'(?:_core\.v1\.)?(?:PodTemplateSpec|PodSpec|JobTemplateSpec)(?:Patch)?Args'", block
            )
            wrapper = name.startswith(("PodTemplateSpec", "JobTemplateSpec"))
            if name.endswith("Args") and holds_pod and not wrapper:
                kind = re.sub(r"(?:Spec)?(?:Patch)?Args$", "", name)
                found.add((f"{path.parent.parent.name}/{path.parent.name}", kind))
    return found


def test_every_pod_template_kind_of_the_pinned_sdk_is_a_workload_type():
    listed = {(version, kind) for version, kinds in workloads.API_VERSION_KINDS.items() for kind in kinds}
    assert _sdk_pod_template_kinds() == listed


def test_every_workload_kind_has_its_patch_kind():
    for token in list(workloads.POD_SPEC_PATHS):
        if not token.endswith("Patch"):
            assert workloads.POD_SPEC_PATHS[f"{token}Patch"] == workloads.POD_SPEC_PATHS[token]


def test_replica_set_replication_controller_and_pod_template_locate_their_pod_spec():
    for token, props in [
        ("kubernetes:apps/v1:ReplicaSet", {"spec": {"template": {"spec": POD}}}),
        ("kubernetes:core/v1:ReplicationController", {"spec": {"template": {"spec": POD}}}),
        ("kubernetes:extensions/v1beta1:Deployment", {"spec": {"template": {"spec": POD}}}),
        ("kubernetes:core/v1:PodTemplate", {"template": {"spec": POD}}),
    ]:
        [spec] = workloads.pod_specs(token, props)
        assert spec.spec == POD and not spec.patch
        assert [c.path.rsplit(".", 1)[-1] for c in workloads.containers(spec)] == [
            "initContainers[0]",
            "containers[0]",
        ]


def test_patch_kinds_are_marked_so_defaults_are_not_applied():
    [spec] = workloads.pod_specs("kubernetes:apps/v1:DeploymentPatch", {"spec": {"template": {"spec": POD}}})
    assert spec.patch and spec.path == "spec.template.spec"


def test_inline_manifests_of_yaml_components_yield_their_workloads():
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
        "spec:\n  template:\n    spec:\n      containers: [{name: web, image: nginx}]\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: debug}\n"
        "spec: {containers: [{name: sh, image: busybox}]}\n"
    )
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once"}}
    objs = [{**job, "spec": {"template": {"spec": POD}}}]
    specs = workloads.pod_specs("kubernetes:yaml/v2:ConfigGroup", {"yaml": manifest, "objs": objs})
    assert [s.path for s in specs] == [
        "objs[0] (Job 'once').spec.template.spec",
        "yaml[0] document 2 (Deployment 'web').spec.template.spec",
        "yaml[0] document 3 (Pod 'debug').spec",
    ]


def test_unparsable_inline_yaml_yields_nothing():
    assert workloads.pod_specs("kubernetes:yaml:ConfigGroup", {"yaml": "kind: [unclosed"}) == []


def test_kinds_are_read_without_their_patch_suffix():
    assert workloads.kind_of("kubernetes:apps/v1:StatefulSetPatch") == "StatefulSet"
    assert workloads.kind_of("aws:s3/bucket:Bucket") == ""


def test_workload_helpers_locate_pod_specs_and_containers():
    specs = workloads.pod_specs("kubernetes:batch/v1:CronJob", WORKLOADS["kubernetes:batch/v1:CronJob"])
    assert [s.path for s in specs] == ["spec.jobTemplate.spec.template.spec"]
    paths = [c.path for c in workloads.containers(specs[0])]
    assert paths == [
        "spec.jobTemplate.spec.template.spec.initContainers[0]",
        "spec.jobTemplate.spec.template.spec.containers[0]",
    ]
    assert [c.path for c in workloads.containers(POD_SPEC)] == ["initContainers[0]", "containers[0]"]
    assert workloads.pod_specs("kubernetes:core/v1:Service", {"spec": {}}) == []
    assert workloads.pod_specs(DEPLOYMENT, {"spec": {"template": ["not", "a", "map"]}}) == []
