"""Cases for `aud-02-audit-versioning`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_02.audit_versioning import audit_versioning
from tests.policies.audit_fixtures import audit_stack
from tests.policies.harness import UNKNOWN, run_stack


def test_fail_audit_versioning_disabled():
    versioning = {"bucket": UNKNOWN, "versioningConfiguration": {"status": "Disabled"}}
    assert run_stack(audit_versioning, audit_stack(versioning=versioning)).violations == [
        "aws:s3/bucketVersioning:BucketVersioning 'audit-versioning' has versioningConfiguration.status "
        "'Disabled'; required: 'Enabled'"
    ]


def test_pass_audit_bucket_with_versioning_enabled():
    assert run_stack(audit_versioning, audit_stack()).passed
