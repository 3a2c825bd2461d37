"""Cases for `data-04-bucket-encryption-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.data_04.bucket_encryption_tenant_key import bucket_encryption_tenant_key
from tests.policies.data_leakage_fixtures import BUCKET, BUCKET_V2, bucket_stack, tenant_key, with_props
from tests.policies.harness import Res, run_stack

SSE_ALGORITHM = "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"
SSE_KEY = "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId"


def test_fail_bucket_encryption_with_s3_managed_keys():
    stack = with_props(bucket_stack(), "data-sse", SSE_ALGORITHM, "AES256")
    assert run_stack(bucket_encryption_tenant_key, stack).violations == [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration 'data-sse' "
        "has rules[0].applyServerSideEncryptionByDefault.sseAlgorithm 'AES256'; required: 'aws:kms' or "
        "'aws:kms:dsse'"
    ]


def test_fail_bucket_encryption_with_aws_managed_key():
    stack = with_props(bucket_stack(), "data-sse", SSE_KEY, "alias/aws/s3")
    outcome = run_stack(bucket_encryption_tenant_key, stack)
    assert len(outcome.violations) == 1
    assert "kmsMasterKeyId 'alias/aws/s3'" in outcome.violations[0]
    assert outcome.violations[0].endswith("required: a KMS key of this stack tagged tenant=acme")
    assert outcome.violations == [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration "
        "'data-sse' has rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId 'alias/aws/s3' "
        "(an AWS-managed key); required: a KMS key of this stack tagged tenant=acme",
    ]


def test_fail_bucket_encryption_with_another_tenants_key():
    stack = [*bucket_stack()[1:], tenant_key(tenant="globex")]
    outcome = run_stack(bucket_encryption_tenant_key, stack)
    assert len(outcome.violations) == 1 and "which is not tagged tenant=acme" in outcome.violations[0]
    assert outcome.violations == [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration "
        "'data-sse' has rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId aws:kms/key:Key "
        "'data-key', which is not tagged tenant=acme; required: a KMS key of this stack tagged "
        "tenant=acme",
    ]


def test_undecided_bucket_encryption_key_unknown_without_dependency():
    stack = [
        Res(r.type, r.name, r.props, prop_deps={"bucket": ["data"]}) if r.name == "data-sse" else r
        for r in bucket_stack()
    ]
    outcome = run_stack(bucket_encryption_tenant_key, stack)
    assert outcome.undecided is not None and outcome.violations == []


@pytest.mark.parametrize("bucket_type", [BUCKET, BUCKET_V2])
def test_pass_secure_bucket_decides_in_first_preview(bucket_type: str):
    assert run_stack(bucket_encryption_tenant_key, bucket_stack(bucket_type)).passed
