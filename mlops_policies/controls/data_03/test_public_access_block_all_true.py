"""Cases for `data-03-public-access-block-all-true`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_03.public_access_block_all_true import public_access_block_all_true
from tests.policies.data_leakage_fixtures import PAB
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource

PUBLIC_ACCESS_BLOCK = {
    "bucket": UNKNOWN,
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}


def test_pass_public_access_block_with_all_flags():
    assert run_resource(public_access_block_all_true, PAB, PUBLIC_ACCESS_BLOCK).passed


def test_fail_public_access_block_with_a_flag_off_or_missing():
    props = changed(changed(PUBLIC_ACCESS_BLOCK, "blockPublicPolicy", False), "restrictPublicBuckets", DELETE)
    assert run_resource(public_access_block_all_true, PAB, props).violations == [
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock 'subject' has blockPublicPolicy false, "
        "restrictPublicBuckets missing; required: blockPublicAcls, blockPublicPolicy, ignorePublicAcls, "
        "restrictPublicBuckets all true"
    ]
