"""Cases for `prov-01-registry-bucket-object-lock`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.prov_01.registry_bucket_object_lock import registry_bucket_object_lock
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource
from tests.policies.provenance_fixtures import BUCKET, BUCKET_V2, COMPLIANT_REGISTRY


@pytest.mark.parametrize("type_", [BUCKET, BUCKET_V2])
def test_pass_registry_bucket_created_with_object_lock(type_):
    assert run_resource(registry_bucket_object_lock, type_, COMPLIANT_REGISTRY).passed


def test_fail_registry_bucket_without_object_lock_names_property_and_required_value():
    props = changed(COMPLIANT_REGISTRY, "objectLockEnabled", DELETE)
    assert run_resource(registry_bucket_object_lock, BUCKET, props).violations == [
        "aws:s3/bucket:Bucket 'subject' (purpose model-registry) has objectLockEnabled missing; "
        "required: true"
    ]
    props = changed(COMPLIANT_REGISTRY, "objectLockEnabled", False)
    assert (
        "objectLockEnabled false" in run_resource(registry_bucket_object_lock, BUCKET_V2, props).violations[0]
    )


def test_pass_bucket_of_another_purpose_needs_no_object_lock():
    props = changed(changed(COMPLIANT_REGISTRY, "tags.purpose", "dataset"), "objectLockEnabled", DELETE)
    assert run_resource(registry_bucket_object_lock, BUCKET, props).passed


def test_undecided_registry_bucket_whose_purpose_is_unknown():
    props = changed(changed(COMPLIANT_REGISTRY, "tags.purpose", UNKNOWN), "objectLockEnabled", DELETE)
    outcome = run_resource(registry_bucket_object_lock, BUCKET, props)
    assert outcome.undecided is not None and outcome.violations == []
