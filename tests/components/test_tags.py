"""TEN-01: every taggable AWS resource carries tenant, environment and managed-by (buckets also purpose and
data-classification) in its own inputs; every Kubernetes object carries label tenant."""

from __future__ import annotations

import pytest

from tests.components.recording import MANAGED_BY, Recording, accepts_tags
from tests.components.scenarios import SCENARIOS

BUCKET_PURPOSES = {
    "model-registry",
    "audit-log",
    "dataset",
    "checkpoint",
    "feature-store",
    "experiment-tracking",
    "artifacts",
}
CASES = [(sid, False) for sid in SCENARIOS] + [("zone-acme", True)]


@pytest.fixture(params=CASES, ids=lambda c: f"{c[0]}{'-preview' if c[1] else ''}")
def case(request, recorded) -> tuple[str, Recording]:
    scenario_id, preview = request.param
    return scenario_id, recorded(scenario_id, preview)


def _taggable(recording: Recording):
    return [r for r in recording.without_fixtures() if r.type.startswith("aws:") and accepts_tags(r.type)]


def test_taggability_is_read_from_the_aws_sdk():
    assert accepts_tags("aws:ec2/subnet:Subnet")
    assert accepts_tags("aws:s3/bucket:Bucket")
    assert accepts_tags("aws:eks/nodeGroup:NodeGroup")
    assert not accepts_tags("aws:ec2/route:Route")
    assert not accepts_tags("aws:kms/alias:Alias")
    assert not accepts_tags("aws:s3/bucketPolicy:BucketPolicy")


def test_every_taggable_aws_resource_carries_tenant_environment_and_managed_by(case):
    scenario_id, recording = case
    scenario = SCENARIOS[scenario_id]
    taggable = _taggable(recording)
    assert taggable, "the scenario creates taggable resources"
    for resource in taggable:
        tags = resource.inputs.get("tags")
        assert isinstance(tags, dict), f"{resource.type} {resource.name} has no tags"
        assert tags.get("tenant") == scenario.tenant, resource.name
        assert tags.get("environment") in scenario.environments, resource.name
        assert tags.get("managed-by") == MANAGED_BY, resource.name


def test_every_resource_with_tags_is_taggable_and_tagged_the_same_way(case):
    _, recording = case
    with_tags = [r for r in recording.without_fixtures() if "tags" in r.inputs]
    assert {r.urn for r in with_tags} == {r.urn for r in _taggable(recording)}
    for resource in with_tags:
        assert {"tenant", "environment", "managed-by"} <= set(resource.inputs["tags"]), resource.name


def test_every_bucket_also_carries_purpose_and_data_classification(case):
    scenario_id, recording = case
    scenario = SCENARIOS[scenario_id]
    for bucket in recording.of_type("aws:s3/bucket:Bucket"):
        tags = bucket.inputs["tags"]
        assert tags["purpose"] in BUCKET_PURPOSES, bucket.name
        assert tags["data-classification"] == scenario.classification, bucket.name
        assert bucket.inputs["bucket"].startswith(f"{scenario.tenant}-{tags['purpose']}-"), bucket.name


def test_every_kubernetes_object_carries_the_tenant_label(case):
    scenario_id, recording = case
    scenario = SCENARIOS[scenario_id]
    for resource in recording.resources:
        if resource.type.startswith("kubernetes:"):
            assert resource.inputs["metadata"]["labels"]["tenant"] == scenario.tenant, resource.name


def test_workload_roles_are_tagged_with_their_environment(recorded):
    recording = recorded("zone-globex")
    for env in ["dev", "eval", "train", "staging", "prod"]:
        role = recording.named(f"workspace-{env}-workload-role")
        assert role.inputs["tags"]["environment"] == env
