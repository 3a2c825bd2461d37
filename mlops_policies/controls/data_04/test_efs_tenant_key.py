"""Cases for `data-04-efs-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_04._fixtures import STORAGE, keyed
from mlops_policies.controls.data_04.efs_tenant_key import efs_tenant_key
from tests.policies.harness import run_stack


def test_pass_file_system_with_tenant_key_in_first_preview():
    assert run_stack(efs_tenant_key, keyed(*STORAGE["data-04-efs-tenant-key"])).passed


def test_fail_file_system_with_aws_managed_key():
    type_, prop, props = STORAGE["data-04-efs-tenant-key"]
    assert run_stack(efs_tenant_key, keyed(type_, prop, props, "alias/aws/ebs")).violations == [
        f"{type_} 'store' has {prop} 'alias/aws/ebs' (an AWS-managed key); required: a KMS key of this "
        "stack tagged tenant=acme"
    ]
