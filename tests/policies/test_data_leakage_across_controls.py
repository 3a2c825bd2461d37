"""Shared by the data leakage tests of several controls."""

from __future__ import annotations

import pytest

from mlops_policies.controls.data_03.bucket_has_ownership_controls import bucket_has_ownership_controls
from mlops_policies.controls.data_03.bucket_has_public_access_block import bucket_has_public_access_block
from mlops_policies.controls.data_03.bucket_tls_only_policy import bucket_tls_only_policy
from mlops_policies.controls.data_04.bucket_encryption_tenant_key import bucket_encryption_tenant_key
from mlops_policies.controls.data_04.bucket_has_encryption_config import bucket_has_encryption_config
from mlops_policies.controls.data_05.artifact_bucket_lifecycle import artifact_bucket_lifecycle
from mlops_policies.rule import Rule
from tests.policies.data_leakage_fixtures import BUCKET, BUCKET_NAME, BUCKET_V2, KEY, bucket_stack
from tests.policies.harness import Res, run_stack


def bucket_rules() -> list[Rule]:
    return [
        bucket_has_public_access_block,
        bucket_tls_only_policy,
        bucket_has_ownership_controls,
        bucket_has_encryption_config,
        bucket_encryption_tenant_key,
        artifact_bucket_lifecycle,
    ]


@pytest.mark.parametrize("bucket_type", [BUCKET, BUCKET_V2])
def test_pass_secure_bucket_decides_in_first_preview(bucket_type: str):
    stack = bucket_stack(bucket_type)
    assert run_stack(bucket_has_public_access_block, stack).passed
    assert run_stack(bucket_tls_only_policy, stack).passed
    assert run_stack(bucket_has_ownership_controls, stack).passed
    assert run_stack(bucket_has_encryption_config, stack).passed
    assert run_stack(bucket_encryption_tenant_key, stack).passed
    assert run_stack(artifact_bucket_lifecycle, stack).passed


def test_pass_sub_resources_found_by_known_bucket_name_without_dependencies():
    stack = [
        Res(
            r.type,
            r.name,
            r.props if r.type in (BUCKET, KEY) else {**r.props, "bucket": BUCKET_NAME},
            prop_deps={k: v for k, v in r.prop_deps.items() if k != "bucket"},
        )
        for r in bucket_stack()
    ]
    for rule in bucket_rules():
        assert run_stack(rule, stack).passed, rule.name
