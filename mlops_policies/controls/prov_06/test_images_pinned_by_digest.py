"""Cases for `prov-06-images-pinned-by-digest`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.prov_06.images_pinned_by_digest import images_pinned_by_digest
from tests.policies.harness import UNKNOWN, changed, run_resource
from tests.policies.provenance_fixtures import DEPLOYMENT, DIGEST, WORKLOADS


@pytest.mark.parametrize("type_", sorted(WORKLOADS))
def test_pass_workload_with_images_pinned_by_digest(type_):
    assert run_resource(images_pinned_by_digest, type_, WORKLOADS[type_]).passed


@pytest.mark.parametrize("type_", sorted(WORKLOADS))
def test_fail_workload_with_latest_tag_names_the_container_path(type_):
    props = WORKLOADS[type_]
    path = {
        "kubernetes:core/v1:Pod": "spec",
        "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template.spec",
    }
    pod_path = path.get(type_, "spec.template.spec")
    props = changed(props, f"{pod_path}.containers.0.image", "nginx:latest")
    assert run_resource(images_pinned_by_digest, type_, props).violations == [
        f"{type_} 'subject' has {pod_path}.containers[0].image 'nginx:latest'; "
        "required: an image pinned by digest (<repository>@sha256:<64 hex characters>)"
    ]


def test_pass_tag_and_digest_together():
    props = changed(
        WORKLOADS[DEPLOYMENT], "spec.template.spec.containers.0.image", f"acme/serving:1.2@{DIGEST}"
    )
    assert run_resource(images_pinned_by_digest, DEPLOYMENT, props).passed


@pytest.mark.parametrize(
    "image",
    ["acme/serving", "acme/serving@sha256:abc", f"acme/serving@{DIGEST}0", "acme/serving@sha256:" + "A" * 64],
)
def test_fail_untagged_short_or_malformed_digest(image):
    props = changed(WORKLOADS[DEPLOYMENT], "spec.template.spec.initContainers.0.image", image)
    outcome = run_resource(images_pinned_by_digest, DEPLOYMENT, props)
    assert outcome.violations == [
        f"kubernetes:apps/v1:Deployment 'subject' has spec.template.spec.initContainers[0].image {image!r}; "
        "required: an image pinned by digest (<repository>@sha256:<64 hex characters>)"
    ]


def test_fail_container_without_image_and_ephemeral_containers_are_judged():
    props = changed(WORKLOADS["kubernetes:core/v1:Pod"], "spec.ephemeralContainers", [{"name": "debug"}])
    outcome = run_resource(images_pinned_by_digest, "kubernetes:core/v1:Pod", props)
    assert outcome.violations == [
        "kubernetes:core/v1:Pod 'subject' has spec.ephemeralContainers[0].image missing; "
        "required: an image pinned by digest (<repository>@sha256:<64 hex characters>)"
    ]


def test_undecided_image_unknown_in_preview():
    props = changed(WORKLOADS[DEPLOYMENT], "spec.template.spec.containers.0.image", UNKNOWN)
    outcome = run_resource(images_pinned_by_digest, DEPLOYMENT, props)
    assert outcome.undecided is not None and outcome.violations == []
