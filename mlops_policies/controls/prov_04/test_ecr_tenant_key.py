"""Cases for `prov-04-ecr-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.prov_04.ecr_tenant_key import ecr_tenant_key
from tests.policies.harness import DELETE, GLOBEX, UNKNOWN, Res, changed, run_stack
from tests.policies.provenance_fixtures import (
    ALIAS,
    GLOBEX_KEY,
    GLOBEX_REPOSITORY,
    KEY,
    REPOSITORY,
    repository_stack,
)


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
    assert outcome.violations == [
        "aws:ecr/repository:Repository 'models' has encryptionConfigurations[0].kmsKey missing; "
        "required: a KMS key of this stack tagged tenant=globex",
    ]


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
