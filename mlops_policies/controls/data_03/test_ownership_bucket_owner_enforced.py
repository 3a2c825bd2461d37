"""Cases for `data-03-ownership-bucket-owner-enforced`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_03.ownership_bucket_owner_enforced import ownership_bucket_owner_enforced
from tests.policies.data_leakage_fixtures import OWNERSHIP
from tests.policies.harness import UNKNOWN, changed, run_resource

OWNERSHIP_CONTROLS = {"bucket": UNKNOWN, "rule": {"objectOwnership": "BucketOwnerEnforced"}}


def test_pass_ownership_controls_enforcing_bucket_owner():
    assert run_resource(ownership_bucket_owner_enforced, OWNERSHIP, OWNERSHIP_CONTROLS).passed


def test_fail_ownership_controls_letting_writers_own_objects():
    props = changed(OWNERSHIP_CONTROLS, "rule.objectOwnership", "ObjectWriter")
    assert run_resource(ownership_bucket_owner_enforced, OWNERSHIP, props).violations == [
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls 'subject' has rule.objectOwnership "
        "'ObjectWriter'; required: 'BucketOwnerEnforced'"
    ]
