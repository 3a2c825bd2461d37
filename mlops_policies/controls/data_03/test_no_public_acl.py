"""Cases for `data-03-no-public-acl`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_03.no_public_acl import no_public_acl
from tests.policies.data_leakage_fixtures import BUCKET, BUCKET_NAME, BUCKET_V2, TAGS
from tests.policies.harness import UNKNOWN, run_resource

ACL = "aws:s3/bucketAcl:BucketAcl"


def test_pass_private_acl_and_bucket_without_acl():
    assert run_resource(no_public_acl, ACL, {"bucket": UNKNOWN, "acl": "private"}).passed
    assert run_resource(no_public_acl, BUCKET, {"bucket": BUCKET_NAME, "tags": TAGS}).passed


def test_fail_public_canned_acl():
    assert run_resource(no_public_acl, ACL, {"bucket": UNKNOWN, "acl": "public-read"}).violations == [
        "aws:s3/bucketAcl:BucketAcl 'subject' has acl 'public-read'; required: no public-read, "
        "public-read-write or authenticated-read ACL"
    ]


def test_fail_acl_grant_to_all_users():
    grant = {
        "grantee": {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"},
        "permission": "READ",
    }
    outcome = run_resource(
        no_public_acl, ACL, {"bucket": UNKNOWN, "accessControlPolicy": {"grants": [grant]}}
    )
    assert outcome.violations == [
        "aws:s3/bucketAcl:BucketAcl 'subject' has accessControlPolicy.grants[0].grantee.uri "
        "'http://acs.amazonaws.com/groups/global/AllUsers'; required: no grant to AllUsers or "
        "AuthenticatedUsers"
    ]


def test_fail_bucket_with_legacy_public_acl_input():
    outcome = run_resource(no_public_acl, BUCKET_V2, {"bucket": BUCKET_NAME, "acl": "authenticated-read"})
    assert outcome.violations[0].startswith("aws:s3/bucketV2:BucketV2 'subject' has acl 'authenticated-read'")
    assert outcome.violations == [
        "aws:s3/bucketV2:BucketV2 'subject' has acl 'authenticated-read'; required: no "
        "public-read, public-read-write or authenticated-read ACL",
    ]
