"""Cases for `sec-01-kms-key-rotation`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.sec_01.kms_deletion_window import kms_deletion_window
from mlops_policies.controls.sec_01.kms_key_rotation import kms_key_rotation
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource
from tests.policies.secrets_fixtures import COMPLIANT_KEY, KEY


def test_pass_symmetric_key_with_rotation_and_30_day_window():
    assert run_resource(kms_key_rotation, KEY, COMPLIANT_KEY).passed
    assert run_resource(kms_deletion_window, KEY, COMPLIANT_KEY).passed


def test_fail_rotation_disabled_names_property_and_required_value():
    outcome = run_resource(kms_key_rotation, KEY, changed(COMPLIANT_KEY, "enableKeyRotation", False))
    assert outcome.violations == ["aws:kms/key:Key 'subject' has enableKeyRotation false; required: true"]


def test_fail_rotation_missing_means_disabled():
    outcome = run_resource(kms_key_rotation, KEY, changed(COMPLIANT_KEY, "enableKeyRotation", DELETE))
    assert outcome.violations == ["aws:kms/key:Key 'subject' has enableKeyRotation missing; required: true"]


@pytest.mark.parametrize("spec", ["RSA_2048", "ECC_NIST_P256", "HMAC_256"])
def test_pass_asymmetric_and_hmac_keys_cannot_rotate_and_are_exempt(spec):
    props = changed(changed(COMPLIANT_KEY, "enableKeyRotation", DELETE), "customerMasterKeySpec", spec)
    assert run_resource(kms_key_rotation, KEY, props).passed


def test_pass_key_in_custom_key_store_is_exempt_even_if_the_store_id_is_unknown():
    props = changed(changed(COMPLIANT_KEY, "enableKeyRotation", DELETE), "customKeyStoreId", UNKNOWN)
    assert run_resource(kms_key_rotation, KEY, props).passed


def test_fail_explicit_symmetric_default_spec_still_needs_rotation():
    props = changed(
        changed(COMPLIANT_KEY, "enableKeyRotation", DELETE), "customerMasterKeySpec", "SYMMETRIC_DEFAULT"
    )
    outcome = run_resource(kms_key_rotation, KEY, props)
    assert len(outcome.violations) == 1
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' has enableKeyRotation missing; required: true",
    ]


def test_undecided_unknown_rotation_flag():
    outcome = run_resource(kms_key_rotation, KEY, changed(COMPLIANT_KEY, "enableKeyRotation", UNKNOWN))
    assert outcome.undecided is not None and outcome.violations == []
