"""Cases for `ten-01-aws-tenant-tags`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.ten_01._fixtures import BUCKET_V2, COMPLIANT_BUCKET
from mlops_policies.controls.ten_01.aws_tenant_tags import aws_tenant_tags
from mlops_policies.controls.ten_01.bucket_purpose_tags import bucket_purpose_tags
from tests.policies.harness import UNKNOWN, changed, run_resource
from tests.policies.tenancy_fixtures import BUCKET, KEY, NO_TENANT, TAGS


def test_pass_tagged_bucket():
    for type_ in (BUCKET, BUCKET_V2):
        assert run_resource(aws_tenant_tags, type_, COMPLIANT_BUCKET).passed
        assert run_resource(bucket_purpose_tags, type_, COMPLIANT_BUCKET).passed


def test_fail_tag_of_another_tenant():
    outcome = run_resource(aws_tenant_tags, BUCKET, changed(COMPLIANT_BUCKET, "tags.tenant", "globex"))
    assert outcome.violations == ["aws:s3/bucket:Bucket 'subject' has tags.tenant 'globex'; required: 'acme'"]


def test_fail_taggable_type_without_any_tags():
    outcome = run_resource(aws_tenant_tags, KEY, {"enableKeyRotation": True})
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' has tags.tenant missing; required: 'acme'",
        "aws:kms/key:Key 'subject' has tags.environment missing; required: a non-empty value",
        "aws:kms/key:Key 'subject' has tags.managed-by missing; required: a non-empty value",
    ]


def test_pass_types_without_tags_input_and_non_aws_types_are_not_judged():
    assert run_resource(aws_tenant_tags, "aws:s3/bucketVersioning:BucketVersioning", {"bucket": "b"}).passed
    assert run_resource(aws_tenant_tags, "pulumi:providers:aws", {"region": "us-east-1"}).passed
    assert run_resource(aws_tenant_tags, "mlops:tenant:LandingZone", {}).passed


def test_fail_type_unknown_to_pulumi_aws_is_judged_when_it_passes_tags():
    outcome = run_resource(aws_tenant_tags, "aws:future/thing:Thing", {"tags": {"tenant": "acme"}})
    assert len(outcome.violations) == 2
    assert outcome.violations == [
        "aws:future/thing:Thing 'subject' has tags.environment missing; required: a non-empty value",
        "aws:future/thing:Thing 'subject' has tags.managed-by missing; required: a non-empty value",
    ]


def test_pass_autoscaling_group_tags_as_a_list():
    tags = [{"key": k, "value": v, "propagateAtLaunch": True} for k, v in TAGS.items()]
    assert run_resource(aws_tenant_tags, "aws:autoscaling/group:Group", {"maxSize": 1, "tags": tags}).passed


def test_fail_every_resource_when_the_stack_has_no_tenant_id():
    outcome = run_resource(aws_tenant_tags, BUCKET, COMPLIANT_BUCKET, tenant=NO_TENANT)
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'subject': stack config landingzone:tenant.id is missing; required to check "
        "tags.tenant"
    ]


def test_undecided_unknown_tags():
    outcome = run_resource(aws_tenant_tags, BUCKET, changed(COMPLIANT_BUCKET, "tags", UNKNOWN))
    assert outcome.undecided is not None and outcome.violations == []
