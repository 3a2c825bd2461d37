"""Cases for `prov-01-registry-versioning`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.prov_01.registry_versioning import registry_versioning
from tests.policies.harness import UNKNOWN, changed, run_stack
from tests.policies.provenance_fixtures import (
    BUCKET,
    BUCKET_V2,
    COMPLIANT_REGISTRY,
    COMPLIANT_VERSIONING,
    registry_stack,
)


def test_fail_versioning_suspended_or_missing():
    versioning = changed(COMPLIANT_VERSIONING, "versioningConfiguration.status", "Suspended")
    assert run_stack(registry_versioning, registry_stack(versioning=versioning)).violations == [
        "aws:s3/bucketVersioning:BucketVersioning 'registry-versioning' has versioningConfiguration.status "
        "'Suspended'; required: 'Enabled'"
    ]
    outcome = run_stack(registry_versioning, registry_stack()[:2])
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry) has no "
        "aws:s3/bucketVersioning:BucketVersioning; "
        "required: versioningConfiguration.status 'Enabled'"
    ]


def test_undecided_bucket_whose_purpose_is_unknown_in_stack_rules():
    stack = registry_stack(bucket=changed(COMPLIANT_REGISTRY, "tags.purpose", UNKNOWN))[:1]
    outcome = run_stack(registry_versioning, stack)
    assert outcome.violations == [] and "tags.purpose" in (outcome.undecided or "")


@pytest.mark.parametrize("type_", [BUCKET, BUCKET_V2])
def test_pass_registry_stack_in_a_first_preview_decides_through_dependencies(type_):
    assert run_stack(registry_versioning, registry_stack(type_=type_)).passed
