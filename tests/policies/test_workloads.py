"""Shared by the provenance tests of several controls."""

from __future__ import annotations

from mlops_policies import workloads
from tests.policies.provenance_fixtures import DEPLOYMENT, POD_SPEC, WORKLOADS


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
