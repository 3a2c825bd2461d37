"""Cases for `aud-02-audit-bucket-object-lock`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.aud_02.audit_bucket_object_lock import audit_bucket_object_lock
from tests.policies.audit_fixtures import BUCKET, BUCKET_V2, bucket_props
from tests.policies.harness import changed, run_resource


@pytest.mark.parametrize("type_", [BUCKET, BUCKET_V2])
def test_pass_audit_bucket_with_object_lock(type_):
    assert run_resource(audit_bucket_object_lock, type_, bucket_props("audit-log")).passed


def test_fail_audit_bucket_without_object_lock():
    props = changed(bucket_props("audit-log"), "objectLockEnabled", False)
    assert run_resource(audit_bucket_object_lock, BUCKET, props).violations == [
        "aws:s3/bucket:Bucket 'subject' (purpose audit-log) has objectLockEnabled false; required: true"
    ]
    assert run_resource(audit_bucket_object_lock, BUCKET, bucket_props("dataset")).passed
