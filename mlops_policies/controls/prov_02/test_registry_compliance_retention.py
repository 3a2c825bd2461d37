"""Cases for `prov-02-registry-compliance-retention`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.prov_02.registry_compliance_retention import registry_compliance_retention
from tests.policies.harness import GLOBEX, changed, run_stack
from tests.policies.provenance_fixtures import COMPLIANT_LOCK, COMPLIANT_REGISTRY, registry_stack

GLOBEX_REGISTRY = changed(
    changed(COMPLIANT_REGISTRY, "bucket", "globex-model-registry-1"), "tags.tenant", "globex"
)


COMPLIANCE_LOCK = changed(COMPLIANT_LOCK, "rule.defaultRetention.mode", "COMPLIANCE")


def test_pass_regulated_registry_in_compliance_mode():
    outcome = run_stack(
        registry_compliance_retention, registry_stack(GLOBEX_REGISTRY, COMPLIANCE_LOCK), tenant=GLOBEX
    )
    assert outcome.passed


def test_fail_regulated_registry_in_governance_mode():
    outcome = run_stack(registry_compliance_retention, registry_stack(GLOBEX_REGISTRY), tenant=GLOBEX)
    assert outcome.violations == [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration 'registry-lock' has "
        "rule.defaultRetention.mode 'GOVERNANCE'; required: 'COMPLIANCE'"
    ]


def test_fail_regulated_registry_without_lock_configuration():
    outcome = run_stack(registry_compliance_retention, registry_stack(GLOBEX_REGISTRY)[:1], tenant=GLOBEX)
    assert outcome.violations[0].endswith("required: a COMPLIANCE-mode default retention")
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry) has no "
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration; required: a "
        "COMPLIANCE-mode default retention",
    ]


def test_not_applicable_compliance_mode_for_standard_tenant():
    outcome = run_stack(registry_compliance_retention, registry_stack())
    assert outcome.not_applicable == "PROV-02 applies to regulated tenants; tenant acme is standard"
