"""Cases for `prov-04-ecr-kms-encryption`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.prov_04.ecr_kms_encryption import ecr_kms_encryption
from mlops_policies.controls.prov_04.ecr_tenant_key import ecr_tenant_key
from tests.policies.harness import DELETE, GLOBEX, changed, run_resource, run_stack
from tests.policies.provenance_fixtures import (
    COMPLIANT_REPOSITORY,
    GLOBEX_REPOSITORY,
    REPOSITORY,
    repository_stack,
)


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
