"""Cases for `prov-03-ecr-immutable-tags`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mlops_policies.controls.prov_03.ecr_immutable_tags import ecr_immutable_tags
from mlops_policies.controls.prov_03.ecr_scan_on_push import ecr_scan_on_push
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource
from tests.policies.provenance_fixtures import COMPLIANT_REPOSITORY, REPOSITORY


def test_pass_immutable_repository_with_scan_on_push():
    assert run_resource(ecr_immutable_tags, REPOSITORY, COMPLIANT_REPOSITORY).passed
    assert run_resource(ecr_scan_on_push, REPOSITORY, COMPLIANT_REPOSITORY).passed


def test_fail_mutable_tags_names_the_property_and_required_value():
    outcome = run_resource(
        ecr_immutable_tags, REPOSITORY, changed(COMPLIANT_REPOSITORY, "imageTagMutability", "MUTABLE")
    )
    assert outcome.violations == [
        "aws:ecr/repository:Repository 'subject' has imageTagMutability 'MUTABLE'; required: 'IMMUTABLE'"
    ]


def test_fail_missing_tag_mutability_counts_as_mutable():
    outcome = run_resource(
        ecr_immutable_tags, REPOSITORY, changed(COMPLIANT_REPOSITORY, "imageTagMutability", DELETE)
    )
    assert outcome.violations == [
        "aws:ecr/repository:Repository 'subject' has imageTagMutability 'MUTABLE'; required: 'IMMUTABLE'"
    ]


def test_fail_exclusion_filter_matching_every_tag():
    props = changed(COMPLIANT_REPOSITORY, "imageTagMutability", "IMMUTABLE_WITH_EXCLUSION")
    props["imageTagMutabilityExclusionFilters"] = [{"filter": "*", "filterType": "WILDCARD"}]
    outcome = run_resource(ecr_immutable_tags, REPOSITORY, props)
    assert outcome.violations == [
        "aws:ecr/repository:Repository 'subject' has imageTagMutability IMMUTABLE_WITH_EXCLUSION with "
        "imageTagMutabilityExclusionFilters[0].filter '*', which matches every tag; required: IMMUTABLE, or "
        "exclusions that never match every tag",
    ]


@pytest.mark.parametrize("wide", ["***", " ** * ", "****", ""])
def test_fail_exclusion_filter_of_only_wildcards_matches_every_tag(wide: str):
    props = changed(COMPLIANT_REPOSITORY, "imageTagMutability", "IMMUTABLE_WITH_EXCLUSION")
    props["imageTagMutabilityExclusionFilters"] = [
        {"filter": "dev-*", "filterType": "WILDCARD"},
        {"filter": wide, "filterType": "WILDCARD"},
    ]
    outcome = run_resource(ecr_immutable_tags, REPOSITORY, props)
    assert outcome.violations == [
        "aws:ecr/repository:Repository 'subject' has imageTagMutability IMMUTABLE_WITH_EXCLUSION with "
        f"imageTagMutabilityExclusionFilters[1].filter {wide!r}, which matches every tag; required: "
        "IMMUTABLE, or exclusions that never match every tag",
    ]


def test_fail_exclusion_mode_without_filters():
    props = changed(COMPLIANT_REPOSITORY, "imageTagMutability", "IMMUTABLE_WITH_EXCLUSION")
    outcome = run_resource(ecr_immutable_tags, REPOSITORY, props)
    assert outcome.violations == [
        "aws:ecr/repository:Repository 'subject' has imageTagMutability IMMUTABLE_WITH_EXCLUSION "
        "with an exclusion filter that matches every tag; required: IMMUTABLE, or exclusions that "
        "never match every tag",
    ]


def test_undecided_exclusion_filter_unknown_in_preview():
    props = changed(COMPLIANT_REPOSITORY, "imageTagMutability", "IMMUTABLE_WITH_EXCLUSION")
    props["imageTagMutabilityExclusionFilters"] = [{"filter": UNKNOWN, "filterType": "WILDCARD"}]
    outcome = run_resource(ecr_immutable_tags, REPOSITORY, props)
    assert outcome.violations == [] and outcome.undecided is not None


def test_pass_exclusion_filter_limited_to_dev_tags():
    props = changed(COMPLIANT_REPOSITORY, "imageTagMutability", "IMMUTABLE_WITH_EXCLUSION")
    props["imageTagMutabilityExclusionFilters"] = [{"filter": "dev-*", "filterType": "WILDCARD"}]
    assert run_resource(ecr_immutable_tags, REPOSITORY, props).passed


def test_unknown_tag_mutability_is_undecided_not_passed():
    outcome = run_resource(
        ecr_immutable_tags, REPOSITORY, changed(COMPLIANT_REPOSITORY, "imageTagMutability", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []


def test_other_resource_types_are_not_applicable():
    outcome = run_resource(ecr_immutable_tags, "aws:s3/bucket:Bucket", {"bucket": "x"})
    assert outcome.not_applicable is not None


LEGACY_URN = "*::aws:ecr/repository:Repository::legacy"
SOON = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def _exempting(**entry: str) -> dict[str, object]:
    exemption = {"urn": LEGACY_URN, "reason": "vendor image", "approver": "ciso", "expires": SOON, **entry}
    return {"exemptions": [exemption], "exemptionApprovers": ["ciso"]}


def test_valid_exemption_skips_the_resource_and_says_who_approved_it():
    outcome = run_resource(
        ecr_immutable_tags, REPOSITORY, changed(COMPLIANT_REPOSITORY, "imageTagMutability", "MUTABLE"),
        name="legacy", config=_exempting(),
    )  # fmt: skip
    assert outcome.violations == []
    assert outcome.not_applicable == f"exempted by ciso until {SOON}: vendor image"


def test_expired_exemption_is_itself_a_violation_and_does_not_apply():
    outcome = run_resource(
        ecr_immutable_tags, REPOSITORY, changed(COMPLIANT_REPOSITORY, "imageTagMutability", "MUTABLE"),
        name="legacy", config=_exempting(expires="2020-01-01"),
    )  # fmt: skip
    assert outcome.violations == [
        f"exemption #1 for '{LEGACY_URN}' expired on 2020-01-01; the exemption does not apply",
        "aws:ecr/repository:Repository 'legacy' has imageTagMutability 'MUTABLE'; required: 'IMMUTABLE'",
    ]


def test_incomplete_exemption_names_the_missing_fields():
    config = {"exemptions": [{"urn": LEGACY_URN, "expires": SOON}], "exemptionApprovers": ["ciso"]}
    outcome = run_resource(ecr_immutable_tags, REPOSITORY, COMPLIANT_REPOSITORY, name="legacy", config=config)
    assert outcome.violations == [
        f"exemption #1 for '{LEGACY_URN}' is incomplete: missing reason, approver; "
        "the exemption does not apply"
    ]
