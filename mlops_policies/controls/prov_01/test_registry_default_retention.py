"""Cases for `prov-01-registry-default-retention`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.prov_01.registry_default_retention import registry_default_retention
from mlops_policies.controls.prov_01.registry_versioning import registry_versioning
from tests.policies.harness import DELETE, Res, changed, run_stack
from tests.policies.provenance_fixtures import (
    BUCKET,
    BUCKET_V2,
    COMPLIANT_LOCK,
    COMPLIANT_REGISTRY,
    COMPLIANT_VERSIONING,
    LOCK,
    REGISTRY_NAME,
    VERSIONING,
    registry_stack,
)


@pytest.mark.parametrize("type_", [BUCKET, BUCKET_V2])
def test_pass_registry_stack_in_a_first_preview_decides_through_dependencies(type_):
    assert run_stack(registry_default_retention, registry_stack(type_=type_)).passed
    assert run_stack(registry_versioning, registry_stack(type_=type_)).passed


def test_pass_sub_resources_found_by_known_bucket_name_without_dependencies():
    stack = [
        Res(BUCKET, "registry", COMPLIANT_REGISTRY),
        Res(LOCK, "registry-lock", changed(COMPLIANT_LOCK, "bucket", REGISTRY_NAME)),
        Res(VERSIONING, "registry-versioning", changed(COMPLIANT_VERSIONING, "bucket", REGISTRY_NAME)),
    ]
    assert run_stack(registry_default_retention, stack).passed
    assert run_stack(registry_versioning, stack).passed


def test_fail_registry_without_lock_configuration_fails_the_bucket():
    outcome = run_stack(registry_default_retention, registry_stack()[:1])
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry) has no "
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration; required: a default retention "
        "rule, mode GOVERNANCE or COMPLIANCE, at least 30 days"
    ]
    assert outcome.urns == ["urn:pulumi:acme::mlops-landing-zone::aws:s3/bucket:Bucket::registry"]


def test_fail_retention_shorter_than_the_minimum():
    lock = changed(COMPLIANT_LOCK, "rule.defaultRetention.days", 7)
    assert run_stack(registry_default_retention, registry_stack(lock=lock)).violations == [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration 'registry-lock' has "
        "rule.defaultRetention.days 7; required: at least 30 days"
    ]


def test_pass_retention_in_years_counts_365_days_and_fail_above_a_configured_minimum():
    lock = changed(
        changed(COMPLIANT_LOCK, "rule.defaultRetention.days", DELETE), "rule.defaultRetention.years", 1
    )
    assert run_stack(registry_default_retention, registry_stack(lock=lock)).passed
    outcome = run_stack(
        registry_default_retention, registry_stack(lock=lock), config={"minRegistryRetentionDays": 400}
    )
    assert outcome.violations[0].endswith(
        "has rule.defaultRetention.years 1 (365 days); required: at least 400 days"
    )


def test_fail_retention_without_mode_or_rule():
    lock = changed(COMPLIANT_LOCK, "rule.defaultRetention.mode", DELETE)
    assert (
        run_stack(registry_default_retention, registry_stack(lock=lock))
        .violations[0]
        .endswith("has rule.defaultRetention.mode missing; required: GOVERNANCE or COMPLIANCE")
    )
    lock = changed(COMPLIANT_LOCK, "rule", DELETE)
    outcome = run_stack(registry_default_retention, registry_stack(lock=lock))
    assert outcome.violations[0].endswith(
        "has rule.defaultRetention missing; required: mode GOVERNANCE or COMPLIANCE, at least 30 days"
    )
    assert outcome.violations == [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration 'registry-lock' has "
        "rule.defaultRetention missing; required: mode GOVERNANCE or COMPLIANCE, at least 30 days",
    ]


def test_fail_lock_configuration_not_enabled():
    lock = changed(COMPLIANT_LOCK, "objectLockEnabled", "Disabled")
    outcome = run_stack(registry_default_retention, registry_stack(lock=lock))
    assert outcome.violations[0].endswith("has objectLockEnabled 'Disabled'; required: 'Enabled'")
    assert outcome.violations == [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration 'registry-lock' has "
        "objectLockEnabled 'Disabled'; required: 'Enabled'",
    ]


def test_pass_lock_configuration_without_object_lock_enabled_uses_the_default_enabled():
    lock = changed(COMPLIANT_LOCK, "objectLockEnabled", DELETE)
    assert run_stack(registry_default_retention, registry_stack(lock=lock)).passed


def test_fail_lock_configuration_of_another_bucket_does_not_count():
    stack = [*registry_stack(), Res(BUCKET, "data", changed(COMPLIANT_REGISTRY, "tags.purpose", "dataset"))]
    stack[1].prop_deps = {"bucket": ["data"]}
    outcome = run_stack(registry_default_retention, stack)
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry) has no "
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration; required: a default retention "
        "rule, mode GOVERNANCE or COMPLIANCE, at least 30 days"
    ]


def test_undecided_lock_configuration_whose_bucket_is_unknown_without_dependency_information():
    stack = registry_stack()
    stack[1].prop_deps = {}
    outcome = run_stack(registry_default_retention, stack)
    assert outcome.violations == []
    assert "bucket of aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration 'registry-lock'" in (
        outcome.undecided or ""
    )
