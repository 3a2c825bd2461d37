"""PROV: one compliant fixture per resource type, one changed property per failing case."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies import iam, workloads
from mlops_policies.controls.prov_01.registry_bucket_object_lock import registry_bucket_object_lock
from mlops_policies.controls.prov_01.registry_default_retention import registry_default_retention
from mlops_policies.controls.prov_01.registry_versioning import registry_versioning
from mlops_policies.controls.prov_02.registry_compliance_retention import registry_compliance_retention
from mlops_policies.controls.prov_03.ecr_immutable_tags import ecr_immutable_tags
from mlops_policies.controls.prov_03.ecr_scan_on_push import ecr_scan_on_push
from mlops_policies.controls.prov_04.ecr_kms_encryption import ecr_kms_encryption
from mlops_policies.controls.prov_04.ecr_tenant_key import ecr_tenant_key
from mlops_policies.controls.prov_05.signing_profile import signing_profile
from mlops_policies.controls.prov_06.images_pinned_by_digest import images_pinned_by_digest
from mlops_policies.controls.prov_07.separation_of_duties import separation_of_duties
from tests.policies.harness import DELETE, GLOBEX, UNKNOWN, Res, area_rules, changed, run_resource, run_stack

RULES = area_rules("provenance")

REPOSITORY = "aws:ecr/repository:Repository"
COMPLIANT_REPOSITORY = {
    "name": "acme/models",
    "imageTagMutability": "IMMUTABLE",
    "imageScanningConfiguration": {"scanOnPush": True},
    "encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": "arn:aws:kms:us-east-1:1:key/k"}],
    "tags": {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"},
}


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
    assert len(outcome.violations) == 1
    assert "exclusion filter that matches every tag" in outcome.violations[0]


def test_pass_exclusion_filter_limited_to_dev_tags():
    props = changed(COMPLIANT_REPOSITORY, "imageTagMutability", "IMMUTABLE_WITH_EXCLUSION")
    props["imageTagMutabilityExclusionFilters"] = [{"filter": "dev-*", "filterType": "WILDCARD"}]
    assert run_resource(ecr_immutable_tags, REPOSITORY, props).passed


def test_fail_scan_on_push_disabled():
    props = changed(COMPLIANT_REPOSITORY, "imageScanningConfiguration.scanOnPush", False)
    assert run_resource(ecr_scan_on_push, REPOSITORY, props).violations == [
        "aws:ecr/repository:Repository 'subject' has imageScanningConfiguration.scanOnPush False; "
        "required: true"
    ]


def test_unknown_tag_mutability_is_undecided_not_passed():
    outcome = run_resource(
        ecr_immutable_tags, REPOSITORY, changed(COMPLIANT_REPOSITORY, "imageTagMutability", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []


def test_other_resource_types_are_not_applicable():
    outcome = run_resource(ecr_immutable_tags, "aws:s3/bucket:Bucket", {"bucket": "x"})
    assert outcome.not_applicable is not None


def test_valid_exemption_skips_the_resource_and_says_who_approved_it():
    config = {
        "exemptions": [
            {"urn": "*::legacy", "reason": "vendor image", "approver": "ciso", "expires": "2999-01-01"}
        ]
    }
    outcome = run_resource(
        ecr_immutable_tags, REPOSITORY, changed(COMPLIANT_REPOSITORY, "imageTagMutability", "MUTABLE"),
        name="legacy", config=config,
    )  # fmt: skip
    assert outcome.violations == []
    assert outcome.not_applicable == "exempted by ciso until 2999-01-01: vendor image"


def test_expired_exemption_is_itself_a_violation_and_does_not_apply():
    config = {
        "exemptions": [{"urn": "*::legacy", "reason": "old", "approver": "ciso", "expires": "2020-01-01"}]
    }
    outcome = run_resource(
        ecr_immutable_tags, REPOSITORY, changed(COMPLIANT_REPOSITORY, "imageTagMutability", "MUTABLE"),
        name="legacy", config=config,
    )  # fmt: skip
    assert outcome.violations == [
        "exemption #1 for '*::legacy' expired on 2020-01-01; the exemption does not apply",
        "aws:ecr/repository:Repository 'legacy' has imageTagMutability 'MUTABLE'; required: 'IMMUTABLE'",
    ]


def test_incomplete_exemption_names_the_missing_fields():
    config = {"exemptions": [{"urn": "*::legacy", "expires": "2999-01-01"}]}
    outcome = run_resource(ecr_immutable_tags, REPOSITORY, COMPLIANT_REPOSITORY, name="legacy", config=config)
    assert outcome.violations == [
        "exemption #1 is incomplete: missing reason, approver; the exemption does not apply"
    ]


# ---------------------------------------------------------------- PROV-01: immutable model registry

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
REGISTRY_NAME = "acme-model-registry-111122223333"
TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}
COMPLIANT_REGISTRY = {
    "bucket": REGISTRY_NAME,
    "objectLockEnabled": True,
    "tags": {**TAGS, "purpose": "model-registry", "data-classification": "confidential"},
}
# First preview: the sub-resources' `bucket` is `registry.id`, unknown, with a property dependency.
COMPLIANT_LOCK = {
    "bucket": UNKNOWN,
    "objectLockEnabled": "Enabled",
    "rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": 30}},
}
COMPLIANT_VERSIONING = {"bucket": UNKNOWN, "versioningConfiguration": {"status": "Enabled"}}


def registry_stack(
    bucket=COMPLIANT_REGISTRY, lock=COMPLIANT_LOCK, versioning=COMPLIANT_VERSIONING, type_=BUCKET
):
    return [
        Res(type_, "registry", bucket),
        Res(LOCK, "registry-lock", lock, prop_deps={"bucket": ["registry"]}),
        Res(VERSIONING, "registry-versioning", versioning, prop_deps={"bucket": ["registry"]}),
    ]


@pytest.mark.parametrize("type_", [BUCKET, BUCKET_V2])
def test_pass_registry_bucket_created_with_object_lock(type_):
    assert run_resource(registry_bucket_object_lock, type_, COMPLIANT_REGISTRY).passed


def test_fail_registry_bucket_without_object_lock_names_property_and_required_value():
    props = changed(COMPLIANT_REGISTRY, "objectLockEnabled", DELETE)
    assert run_resource(registry_bucket_object_lock, BUCKET, props).violations == [
        "aws:s3/bucket:Bucket 'subject' (purpose model-registry) has objectLockEnabled missing; "
        "required: true"
    ]
    props = changed(COMPLIANT_REGISTRY, "objectLockEnabled", False)
    assert (
        "objectLockEnabled false" in run_resource(registry_bucket_object_lock, BUCKET_V2, props).violations[0]
    )


def test_pass_bucket_of_another_purpose_needs_no_object_lock():
    props = changed(changed(COMPLIANT_REGISTRY, "tags.purpose", "dataset"), "objectLockEnabled", DELETE)
    assert run_resource(registry_bucket_object_lock, BUCKET, props).passed


def test_undecided_registry_bucket_whose_purpose_is_unknown():
    props = changed(changed(COMPLIANT_REGISTRY, "tags.purpose", UNKNOWN), "objectLockEnabled", DELETE)
    outcome = run_resource(registry_bucket_object_lock, BUCKET, props)
    assert outcome.undecided is not None and outcome.violations == []


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
    assert (
        run_stack(registry_default_retention, registry_stack(lock=lock))
        .violations[0]
        .endswith(
            "has rule.defaultRetention missing; required: mode GOVERNANCE or COMPLIANCE, at least 30 days"
        )
    )


def test_fail_lock_configuration_not_enabled():
    lock = changed(COMPLIANT_LOCK, "objectLockEnabled", "Disabled")
    assert (
        run_stack(registry_default_retention, registry_stack(lock=lock))
        .violations[0]
        .endswith("has objectLockEnabled 'Disabled'; required: 'Enabled'")
    )


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


def test_fail_versioning_suspended_or_missing():
    versioning = changed(COMPLIANT_VERSIONING, "versioningConfiguration.status", "Suspended")
    assert run_stack(registry_versioning, registry_stack(versioning=versioning)).violations == [
        "aws:s3/bucketVersioning:BucketVersioning 'registry-versioning' has versioningConfiguration.status "
        "'Suspended'; required: 'Enabled'"
    ]
    outcome = run_stack(registry_versioning, registry_stack()[:2])
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry) has no "
        "aws:s3/bucketVersioning:BucketVersioning; "
        "required: versioningConfiguration.status 'Enabled'"
    ]


def test_undecided_bucket_whose_purpose_is_unknown_in_stack_rules():
    stack = registry_stack(bucket=changed(COMPLIANT_REGISTRY, "tags.purpose", UNKNOWN))[:1]
    outcome = run_stack(registry_versioning, stack)
    assert outcome.violations == [] and "tags.purpose" in (outcome.undecided or "")


# ---------------------------------------------------------------- PROV-02: COMPLIANCE mode when regulated

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


def test_not_applicable_compliance_mode_for_standard_tenant():
    outcome = run_stack(registry_compliance_retention, registry_stack())
    assert outcome.not_applicable == "PROV-02 applies to regulated tenants; tenant acme is standard"


# ---------------------------------------------------------------- PROV-04: ECR with the tenant key

KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
GLOBEX_KEY = {
    "description": "globex data key",
    "enableKeyRotation": True,
    "tags": {**TAGS, "tenant": "globex"},
}
GLOBEX_REPOSITORY = changed(
    changed(COMPLIANT_REPOSITORY, "encryptionConfigurations.0.kmsKey", UNKNOWN), "tags.tenant", "globex"
)


def repository_stack(repository=GLOBEX_REPOSITORY, key=GLOBEX_KEY, deps=("key",)):
    return [
        Res(KEY, "key", key),
        Res(REPOSITORY, "models", repository, prop_deps={"encryptionConfigurations": list(deps)}),
    ]


def test_pass_regulated_repository_encrypted_with_kms():
    assert run_resource(ecr_kms_encryption, REPOSITORY, GLOBEX_REPOSITORY, tenant=GLOBEX).passed


def test_fail_repository_without_encryption_configuration_is_aes256():
    props = changed(GLOBEX_REPOSITORY, "encryptionConfigurations", DELETE)
    assert run_resource(ecr_kms_encryption, REPOSITORY, props, tenant=GLOBEX).violations == [
        "aws:ecr/repository:Repository 'subject' has encryptionConfigurations[0].encryptionType 'AES256'; "
        "required: 'KMS'"
    ]


def test_not_applicable_ecr_kms_for_standard_tenant():
    props = changed(COMPLIANT_REPOSITORY, "encryptionConfigurations", DELETE)
    assert run_resource(ecr_kms_encryption, REPOSITORY, props).not_applicable is not None
    assert run_stack(ecr_tenant_key, repository_stack()).not_applicable is not None


def test_pass_repository_key_in_a_first_preview_decided_through_the_dependency():
    assert run_stack(ecr_tenant_key, repository_stack(), tenant=GLOBEX).passed


def test_pass_repository_key_through_an_alias_of_the_tenant_key():
    stack = [
        Res(KEY, "key", GLOBEX_KEY),
        Res(
            ALIAS,
            "alias",
            {"name": "alias/globex-data", "targetKeyId": UNKNOWN},
            prop_deps={"targetKeyId": ["key"]},
        ),
        Res(REPOSITORY, "models", GLOBEX_REPOSITORY, prop_deps={"encryptionConfigurations": ["alias"]}),
    ]
    assert run_stack(ecr_tenant_key, stack, tenant=GLOBEX).passed


def test_fail_repository_key_of_another_tenant():
    outcome = run_stack(
        ecr_tenant_key, repository_stack(key=changed(GLOBEX_KEY, "tags.tenant", "acme")), tenant=GLOBEX
    )
    assert outcome.violations == [
        "aws:ecr/repository:Repository 'models' has encryptionConfigurations[0].kmsKey "
        "aws:kms/key:Key 'key', "
        "which is not tagged tenant=globex; required: a KMS key of this stack tagged tenant=globex"
    ]


def test_fail_repository_with_aws_managed_or_missing_key():
    props = changed(GLOBEX_REPOSITORY, "encryptionConfigurations.0.kmsKey", "alias/aws/ecr")
    outcome = run_stack(ecr_tenant_key, repository_stack(props, deps=()), tenant=GLOBEX)
    assert "kmsKey 'alias/aws/ecr' (an AWS-managed key)" in outcome.violations[0]
    props = changed(GLOBEX_REPOSITORY, "encryptionConfigurations.0.kmsKey", DELETE)
    outcome = run_stack(ecr_tenant_key, repository_stack(props, deps=()), tenant=GLOBEX)
    assert "kmsKey missing; required" in outcome.violations[0]


def test_pass_known_alias_following_the_tenant_naming_and_fail_a_foreign_key_arn():
    props = changed(GLOBEX_REPOSITORY, "encryptionConfigurations.0.kmsKey", "alias/globex-registry")
    assert run_stack(ecr_tenant_key, repository_stack(props, deps=()), tenant=GLOBEX).passed
    arn = "arn:aws:kms:eu-central-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    props = changed(GLOBEX_REPOSITORY, "encryptionConfigurations.0.kmsKey", arn)
    outcome = run_stack(ecr_tenant_key, repository_stack(props, deps=()), tenant=GLOBEX)
    assert (
        f"kmsKey '{arn}', a key in account 999999999999, not the tenant's account 111122223333"
        in outcome.violations[0]
    )


def test_known_key_arn_is_matched_against_the_keys_of_this_stack():
    arn = "arn:aws:kms:eu-central-1:444455556666:key/0f1e2d3c"
    props = changed(GLOBEX_REPOSITORY, "encryptionConfigurations.0.kmsKey", arn)
    tenant_key = changed(GLOBEX_KEY, "arn", arn)  # an analyzer that also sees the key's outputs
    assert run_stack(ecr_tenant_key, repository_stack(props, tenant_key, deps=()), tenant=GLOBEX).passed
    other_key = changed(tenant_key, "tags.tenant", "shared")
    outcome = run_stack(ecr_tenant_key, repository_stack(props, other_key, deps=()), tenant=GLOBEX)
    assert f"kmsKey '{arn}', a key of this stack not tagged tenant=globex" in outcome.violations[0]
    unsure_key = changed(tenant_key, "tags.tenant", UNKNOWN)
    outcome = run_stack(ecr_tenant_key, repository_stack(props, unsure_key, deps=()), tenant=GLOBEX)
    assert outcome.violations == [] and "whose tags.tenant is unknown" in (outcome.undecided or "")


def test_undecided_repository_key_unknown_without_dependency_information():
    outcome = run_stack(ecr_tenant_key, repository_stack(deps=()), tenant=GLOBEX)
    assert outcome.violations == []
    assert outcome.undecided == (
        "aws:ecr/repository:Repository 'models': encryptionConfigurations[0].kmsKey is an unknown value "
        "with no dependency on a KMS key"
    )


# ---------------------------------------------------------------- PROV-05: a signing profile

PROFILE = "aws:signer/signingProfile:SigningProfile"
COMPLIANT_PROFILE = {"platformId": "Notation-OCI-SHA384-ECDSA", "tags": {**TAGS, "tenant": "globex"}}


def test_pass_regulated_stack_with_notation_signing_profile():
    assert run_stack(signing_profile, [Res(PROFILE, "signer", COMPLIANT_PROFILE)], tenant=GLOBEX).passed


def test_fail_regulated_stack_without_signing_profile_is_a_stack_violation():
    outcome = run_stack(signing_profile, [Res(KEY, "key", GLOBEX_KEY)], tenant=GLOBEX)
    assert outcome.violations == [
        "the stack has no aws:signer/signingProfile:SigningProfile; required: one with platformId "
        "'Notation-OCI-SHA384-ECDSA' tagged tenant=globex"
    ]
    assert outcome.urns == [None]


def test_fail_signing_profile_for_another_platform_or_tenant():
    profile = changed(COMPLIANT_PROFILE, "platformId", "AWSLambda-SHA384-ECDSA")
    assert run_stack(signing_profile, [Res(PROFILE, "signer", profile)], tenant=GLOBEX).violations == [
        "aws:signer/signingProfile:SigningProfile 'signer' has platformId 'AWSLambda-SHA384-ECDSA'; "
        "required: 'Notation-OCI-SHA384-ECDSA'"
    ]
    profile = changed(COMPLIANT_PROFILE, "tags.tenant", DELETE)
    outcome = run_stack(signing_profile, [Res(PROFILE, "signer", profile)], tenant=GLOBEX)
    assert outcome.violations[0].endswith("has tags.tenant missing; required: 'globex'")


def test_pass_one_compliant_profile_among_others():
    lambda_profile = changed(COMPLIANT_PROFILE, "platformId", "AWSLambda-SHA384-ECDSA")
    stack = [Res(PROFILE, "lambda", lambda_profile), Res(PROFILE, "signer", COMPLIANT_PROFILE)]
    assert run_stack(signing_profile, stack, tenant=GLOBEX).passed


def test_undecided_signing_profile_with_unknown_platform():
    outcome = run_stack(
        signing_profile,
        [Res(PROFILE, "signer", changed(COMPLIANT_PROFILE, "platformId", UNKNOWN))],
        tenant=GLOBEX,
    )
    assert outcome.violations == [] and outcome.undecided is not None


def test_not_applicable_signing_profile_for_standard_tenant():
    assert run_stack(signing_profile, []).not_applicable is not None


# ---------------------------------------------------------------- PROV-06: images pinned by digest

DIGEST = "sha256:" + "a" * 64
PINNED = f"111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/serving@{DIGEST}"
POD_SPEC = {
    "initContainers": [{"name": "fetch", "image": PINNED}],
    "containers": [{"name": "serve", "image": PINNED}],
}
METADATA = {"name": "serving", "namespace": "acme-prod", "labels": {"tenant": "acme"}}
WORKLOADS = {
    "kubernetes:core/v1:Pod": {"metadata": METADATA, "spec": POD_SPEC},
    "kubernetes:apps/v1:Deployment": {"metadata": METADATA, "spec": {"template": {"spec": POD_SPEC}}},
    "kubernetes:apps/v1:StatefulSet": {"metadata": METADATA, "spec": {"template": {"spec": POD_SPEC}}},
    "kubernetes:apps/v1:DaemonSet": {"metadata": METADATA, "spec": {"template": {"spec": POD_SPEC}}},
    "kubernetes:batch/v1:Job": {"metadata": METADATA, "spec": {"template": {"spec": POD_SPEC}}},
    "kubernetes:batch/v1:CronJob": {
        "metadata": METADATA,
        "spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": POD_SPEC}}}},
    },
}
DEPLOYMENT = "kubernetes:apps/v1:Deployment"


@pytest.mark.parametrize("type_", sorted(WORKLOADS))
def test_pass_workload_with_images_pinned_by_digest(type_):
    assert run_resource(images_pinned_by_digest, type_, WORKLOADS[type_]).passed


@pytest.mark.parametrize("type_", sorted(WORKLOADS))
def test_fail_workload_with_latest_tag_names_the_container_path(type_):
    props = WORKLOADS[type_]
    path = {
        "kubernetes:core/v1:Pod": "spec",
        "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template.spec",
    }
    pod_path = path.get(type_, "spec.template.spec")
    props = changed(props, f"{pod_path}.containers.0.image", "nginx:latest")
    assert run_resource(images_pinned_by_digest, type_, props).violations == [
        f"{type_} 'subject' has {pod_path}.containers[0].image 'nginx:latest'; "
        "required: an image pinned by digest (<repository>@sha256:<64 hex characters>)"
    ]


def test_pass_tag_and_digest_together():
    props = changed(
        WORKLOADS[DEPLOYMENT], "spec.template.spec.containers.0.image", f"acme/serving:1.2@{DIGEST}"
    )
    assert run_resource(images_pinned_by_digest, DEPLOYMENT, props).passed


@pytest.mark.parametrize(
    "image",
    ["acme/serving", "acme/serving@sha256:abc", f"acme/serving@{DIGEST}0", "acme/serving@sha256:" + "A" * 64],
)
def test_fail_untagged_short_or_malformed_digest(image):
    props = changed(WORKLOADS[DEPLOYMENT], "spec.template.spec.initContainers.0.image", image)
    outcome = run_resource(images_pinned_by_digest, DEPLOYMENT, props)
    assert outcome.violations == [
        f"kubernetes:apps/v1:Deployment 'subject' has spec.template.spec.initContainers[0].image {image!r}; "
        "required: an image pinned by digest (<repository>@sha256:<64 hex characters>)"
    ]


def test_fail_container_without_image_and_ephemeral_containers_are_judged():
    props = changed(WORKLOADS["kubernetes:core/v1:Pod"], "spec.ephemeralContainers", [{"name": "debug"}])
    outcome = run_resource(images_pinned_by_digest, "kubernetes:core/v1:Pod", props)
    assert outcome.violations == [
        "kubernetes:core/v1:Pod 'subject' has spec.ephemeralContainers[0].image missing; "
        "required: an image pinned by digest (<repository>@sha256:<64 hex characters>)"
    ]


def test_undecided_image_unknown_in_preview():
    props = changed(WORKLOADS[DEPLOYMENT], "spec.template.spec.containers.0.image", UNKNOWN)
    outcome = run_resource(images_pinned_by_digest, DEPLOYMENT, props)
    assert outcome.undecided is not None and outcome.violations == []


# ---------------------------------------------------------------- PROV-07: separation of duties

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
POLICY = "aws:iam/policy:Policy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
REGISTRY_OBJECTS = f"arn:aws:s3:::{REGISTRY_NAME}/*"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": []})


def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


WRITE_REGISTRY = document(allow(["s3:PutObject", "s3:GetObject"], REGISTRY_OBJECTS))
DEPLOY = document(allow(["eks:DescribeCluster", "sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint"]))


def duties_stack(trainer_extra=(), deployer_doc=DEPLOY):
    """First preview: role and policyArn inputs are unknown and decided by property dependencies."""
    return [
        Res(BUCKET, "registry", COMPLIANT_REGISTRY),
        Res(ROLE, "trainer", {"name": "acme-trainer", "assumeRolePolicy": TRUST}),
        Res(ROLE, "deployer", {"name": "acme-deployer", "assumeRolePolicy": TRUST}),
        Res(
            ROLE_POLICY,
            "trainer-registry",
            {"role": UNKNOWN, "policy": WRITE_REGISTRY},
            prop_deps={"role": ["trainer"]},
        ),
        Res(POLICY, "deploy", {"name": "acme-deploy", "policy": deployer_doc}),
        Res(
            ATTACHMENT,
            "deployer-deploy",
            {"role": UNKNOWN, "policyArn": UNKNOWN},
            prop_deps={"role": ["deployer"], "policyArn": ["deploy"]},
        ),
        *trainer_extra,
    ]


def attach_deploy_to_trainer(name="trainer-deploy", props=None, prop_deps=None):
    return Res(
        ATTACHMENT,
        name,
        props or {"role": UNKNOWN, "policyArn": UNKNOWN},
        prop_deps=prop_deps if prop_deps is not None else {"role": ["trainer"], "policyArn": ["deploy"]},
    )


def test_pass_registry_writer_and_deployer_are_separate_roles():
    assert run_stack(separation_of_duties, duties_stack()).passed


def test_fail_role_that_writes_the_registry_and_deploys_in_a_first_preview():
    outcome = run_stack(separation_of_duties, duties_stack([attach_deploy_to_trainer()]))
    assert outcome.violations == [
        "aws:iam/role:Role 'trainer' can both write to the model registry (s3:PutObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via "
        "aws:iam/rolePolicy:RolePolicy 'trainer-registry') and deploy (eks:*, via "
        "aws:iam/policy:Policy 'deploy'); required: separate roles for registry writes and deployments"
    ]
    assert outcome.urns == ["urn:pulumi:acme::mlops-landing-zone::aws:iam/role:Role::trainer"]


def test_fail_role_found_by_known_names_and_policy_by_known_arn():
    attachment = attach_deploy_to_trainer(
        props={"role": "acme-trainer", "policyArn": "arn:aws:iam::111122223333:policy/acme-deploy"},
        prop_deps={},
    )
    outcome = run_stack(separation_of_duties, duties_stack([attachment]))
    assert len(outcome.violations) == 1 and "'trainer' can both write" in outcome.violations[0]


def test_fail_full_wildcard_in_one_document():
    extra = Res(ROLE_POLICY, "trainer-admin", {"role": "acme-trainer", "policy": document(allow("*"))})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert "deploy (eks:*, via aws:iam/rolePolicy:RolePolicy 'trainer-admin')" in outcome.violations[0]


def test_fail_not_action_grants_everything_it_does_not_exclude():
    statement = {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}
    extra = Res(ROLE_POLICY, "trainer-broad", {"role": "acme-trainer", "policy": document(statement)})
    assert run_stack(separation_of_duties, duties_stack([extra])).violations


def test_fail_wildcard_deploy_actions_and_administrator_access():
    doc = document(allow("sagemaker:*Endpoint*"))
    extra = Res(ROLE_POLICY, "trainer-sm", {"role": "acme-trainer", "policy": doc})
    assert (
        "deploy (sagemaker:CreateEndpoint*"
        in run_stack(separation_of_duties, duties_stack([extra])).violations[0]
    )
    admin = attach_deploy_to_trainer(
        props={"role": "acme-trainer", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
        prop_deps={},
    )
    outcome = run_stack(separation_of_duties, duties_stack([admin]))
    assert (
        "via aws:iam/rolePolicyAttachment:RolePolicyAttachment 'trainer-deploy' policyArn "
        in outcome.violations[0]
    )


def test_fail_deploy_policy_attached_through_managed_policy_arns_or_policy_attachment():
    stack = duties_stack()
    trainer = {"name": "acme-trainer", "assumeRolePolicy": TRUST, "managedPolicyArns": [UNKNOWN]}
    stack[1] = Res(ROLE, "trainer", trainer, prop_deps={"managedPolicyArns": ["deploy"]})
    assert (
        "deploy (eks:*, via aws:iam/policy:Policy 'deploy')"
        in run_stack(separation_of_duties, stack).violations[0]
    )
    attachment = Res("aws:iam/policyAttachment:PolicyAttachment", "shared-deploy",
                     {"roles": ["acme-deployer", UNKNOWN], "policyArn": UNKNOWN},
                     prop_deps={"roles": ["trainer"], "policyArn": ["deploy"]})  # fmt: skip
    assert run_stack(separation_of_duties, duties_stack([attachment])).violations


def test_pass_unconditional_deny_removes_the_wildcard_write():
    doc = document(allow("*"), {"Effect": "Deny", "Action": "s3:Put*", "Resource": "*"})
    extra = Res(ROLE_POLICY, "trainer-admin", {"role": "acme-trainer", "policy": doc})
    stack = duties_stack([extra])
    stack[3] = Res(
        ROLE_POLICY, "trainer-registry", {"role": "acme-trainer", "policy": document(allow("s3:GetObject"))}
    )
    assert run_stack(separation_of_duties, stack).passed


def test_pass_deploy_role_that_writes_only_to_another_bucket():
    doc = document(allow("s3:PutObject", "arn:aws:s3:::acme-dataset-111122223333/*"))
    extra = Res(ROLE_POLICY, "deployer-data", {"role": "acme-deployer", "policy": doc})
    assert run_stack(separation_of_duties, duties_stack([extra])).passed


def test_fail_registry_of_the_tenant_named_by_convention_even_outside_the_stack():
    stack = duties_stack([attach_deploy_to_trainer()])[1:]
    assert run_stack(separation_of_duties, stack).violations


def test_pass_custom_deploy_actions_in_config():
    extra = Res(
        ROLE_POLICY, "trainer-describe", {"role": "acme-trainer", "policy": document(allow("eks:Describe*"))}
    )
    config = {
        "deployActions": [
            "eks:Create*",
            "eks:Update*",
            "sagemaker:CreateEndpoint*",
            "sagemaker:UpdateEndpoint*",
        ]
    }
    assert run_stack(separation_of_duties, duties_stack([extra]), config=config).passed
    assert run_stack(separation_of_duties, duties_stack([extra])).violations


def test_undecided_policy_document_unknown_in_preview():
    extra = Res(ROLE_POLICY, "trainer-more", {"role": "acme-trainer", "policy": UNKNOWN})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert outcome.violations == []
    assert (
        outcome.undecided
        == "aws:iam/role:Role 'trainer': aws:iam/rolePolicy:RolePolicy 'trainer-more' has an unknown policy"
    )


def test_undecided_role_policy_whose_role_is_unknown_without_dependency_information():
    extra = Res(ROLE_POLICY, "orphan", {"role": UNKNOWN, "policy": document(allow("eks:*"))})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert outcome.violations == []
    assert outcome.undecided == (
        "aws:iam/rolePolicy:RolePolicy 'orphan': its role is unknown with no dependency information"
    )


# ---------------------------------------------------------------- shared helpers: IAM wildcard semantics


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("s3:*", "s3:PutObject", True),
        ("S3:put*", "s3:PutObject", True),
        ("s3:Get*", "s3:PutObject", False),
        ("sagemaker:*Endpoint*", "sagemaker:CreateEndpoint*", True),
        ("eks:Describe*", "eks:*", True),
        ("arn:aws:s3:::acme-*", REGISTRY_OBJECTS, True),
        ("arn:aws:s3:::globex-*/*", REGISTRY_OBJECTS, False),
    ],
)
def test_patterns_overlap(a, b, expected):
    assert iam.patterns_overlap(a, b, ignore_case=True) is expected


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("*", "eks:*", True),
        ("eks:*", "eks:Describe*", True),
        ("eks:Describe*", "eks:*", False),
        ("s3:Delete?bject", "s3:DeleteObject", True),
        ("s3:Delete?bject", "s3:Delete*", False),
        ("arn:aws:s3:::acme-*", f"{REGISTRY_OBJECTS}", True),
    ],
)
def test_pattern_covers(outer, inner, expected):
    assert iam.pattern_covers(outer, inner) is expected


def test_allows_with_not_action_not_resource_and_narrowing_denies():
    broad = {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::other/*"}]}
    assert iam.allows(broad, "eks:*") and not iam.allows(broad, "iam:PassRole")
    assert not iam.allows(broad, "s3:PutObject", "arn:aws:s3:::other/*")
    denied = {
        "Statement": [allow("eks:Describe*"), {"Effect": "Deny", "Action": "eks:Describe*", "Resource": "*"}]
    }
    assert not iam.allows(denied, "eks:*")
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
    conditional = {
        "Statement": [allow("eks:*"), {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": mfa}]
    }
    assert iam.allows(conditional, "eks:CreateCluster")
    assert not iam.allows({"Statement": [{"Effect": "Allow", "Resource": "*"}]}, "eks:*")
    assert not iam.allows(None, "eks:*")


def test_workload_helpers_locate_pod_specs_and_containers():
    specs = workloads.pod_specs("kubernetes:batch/v1:CronJob", WORKLOADS["kubernetes:batch/v1:CronJob"])
    assert [s.path for s in specs] == ["spec.jobTemplate.spec.template.spec"]
    paths = [c.path for c in workloads.containers(specs[0])]
    assert paths == [
        "spec.jobTemplate.spec.template.spec.initContainers[0]",
        "spec.jobTemplate.spec.template.spec.containers[0]",
    ]
    assert [c.path for c in workloads.containers(POD_SPEC)] == ["initContainers[0]", "containers[0]"]
    assert workloads.pod_specs("kubernetes:core/v1:Service", {"spec": {}}) == []
    assert workloads.pod_specs(DEPLOYMENT, {"spec": {"template": ["not", "a", "map"]}}) == []


# ---------------------------------------------------------------- malformed inputs never raise

PROP_NAMES = [
    "bucket", "tags", "purpose", "tenant", "objectLockEnabled", "rule", "defaultRetention", "mode", "days",
    "years", "versioningConfiguration", "status", "policy", "role", "roles", "policyArn", "managedPolicyArns",
    "inlinePolicies", "name", "path", "encryptionConfigurations", "encryptionType", "kmsKey", "targetKeyId",
    "platformId", "spec", "template", "jobTemplate", "containers", "initContainers", "ephemeralContainers",
    "image", "imageTagMutability", "imageScanningConfiguration", "scanOnPush", "arn", "keyId",
]  # fmt: skip
STATEMENT_KEYS = ["Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal"]
WORDS = [
    "Allow", "Deny", "*", "s3:*", "eks:*", "s3:PutObject", REGISTRY_OBJECTS, "model-registry", "Enabled",
    "COMPLIANCE", "GOVERNANCE", "KMS", "acme", "globex", "alias/aws/ecr", "acme-trainer", PINNED,
    "Notation-OCI-SHA384-ECDSA", "arn:aws:iam::aws:policy/AdministratorAccess",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 400), st.text(max_size=6), st.sampled_from(WORDS)
)
JSONABLE = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
STATEMENTS = st.lists(st.dictionaries(st.sampled_from([*STATEMENT_KEYS, "Condition"]), JSONABLE), max_size=3)
POLICY_JSON = st.builds(
    lambda statements: json.dumps({"Version": "2012-10-17", "Statement": statements}), STATEMENTS | JSONABLE
)
VALUES = st.recursive(
    SCALARS | st.just(UNKNOWN) | POLICY_JSON,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(PROP_NAMES), inner, max_size=4)
    ),
    max_leaves=20,
)
PROPS = st.dictionaries(st.sampled_from(PROP_NAMES), VALUES, max_size=6)
STACK_TYPES = sorted({t for rule in RULES for t in rule.resource_types} | {BUCKET_V2, ALIAS})


@st.composite
def random_stacks(draw):
    names = [f"r{i}" for i in range(draw(st.integers(0, 6)))]
    deps = (
        st.dictionaries(st.sampled_from(PROP_NAMES), st.lists(st.sampled_from(names), max_size=2))
        if names
        else st.just({})
    )
    return [
        Res(draw(st.sampled_from(STACK_TYPES)), name, draw(PROPS), prop_deps=draw(deps)) for name in names
    ]


def leaf_paths(value, prefix=""):
    """Dotted paths (as `changed` takes them) to every value inside `value`."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return []
    paths = []
    for key, child in items:
        path = f"{prefix}{key}"
        paths += [path, *leaf_paths(child, f"{path}.")]
    return paths


BASE_STACKS = [
    registry_stack(),
    repository_stack(),
    duties_stack([attach_deploy_to_trainer()]),
    [Res(PROFILE, "signer", COMPLIANT_PROFILE)],
]


@st.composite
def mutated_stacks(draw):
    """A compliant fixture stack with a few values replaced by random shapes and some dependencies dropped."""
    stack = copy.deepcopy(draw(st.sampled_from(BASE_STACKS)))
    for _ in range(draw(st.integers(1, 3))):
        resource = draw(st.sampled_from(stack))
        path = draw(st.sampled_from(leaf_paths(resource.props) or ["extra"]))
        resource.props = changed(resource.props, path, draw(VALUES))
        if resource.prop_deps and draw(st.booleans()):
            resource.prop_deps.pop(draw(st.sampled_from(sorted(resource.prop_deps))))
    return stack


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=PROPS, tenant=st.sampled_from([GLOBEX, None]))
def test_resource_rules_never_raise_on_malformed_props(props, tenant):
    for rule in (r for r in RULES if r.kind == "resource"):
        for type_ in rule.resource_types:
            run_resource(rule, type_, props, tenant=tenant)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack=random_stacks() | mutated_stacks(), tenant=st.sampled_from([GLOBEX, None]))
def test_stack_rules_never_raise_on_malformed_stacks(stack, tenant):
    for rule in (r for r in RULES if r.kind == "stack"):
        run_stack(rule, stack, tenant=tenant)
