"""Cases for `data-04-notebook-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_04._fixtures import STORAGE, keyed
from mlops_policies.controls.data_04.notebook_tenant_key import notebook_tenant_key
from tests.policies.harness import run_stack


def test_pass_notebook_with_tenant_key_in_first_preview():
    assert run_stack(notebook_tenant_key, keyed(*STORAGE["data-04-notebook-tenant-key"])).passed


def test_fail_notebook_with_aws_managed_key():
    type_, prop, props = STORAGE["data-04-notebook-tenant-key"]
    assert run_stack(notebook_tenant_key, keyed(type_, prop, props, "alias/aws/ebs")).violations == [
        f"{type_} 'store' has {prop} 'alias/aws/ebs' (an AWS-managed key); required: a KMS key of this "
        "stack tagged tenant=acme"
    ]
