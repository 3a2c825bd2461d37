"""Cases for `data-04-endpoint-config-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_04._fixtures import STORAGE, keyed
from mlops_policies.controls.data_04.endpoint_config_tenant_key import endpoint_config_tenant_key
from tests.policies.harness import run_stack


def test_pass_endpoint_configuration_with_tenant_key_in_first_preview():
    assert run_stack(endpoint_config_tenant_key, keyed(*STORAGE["data-04-endpoint-config-tenant-key"])).passed


def test_fail_endpoint_configuration_with_aws_managed_key():
    type_, prop, props = STORAGE["data-04-endpoint-config-tenant-key"]
    assert run_stack(endpoint_config_tenant_key, keyed(type_, prop, props, "alias/aws/ebs")).violations == [
        f"{type_} 'store' has {prop} 'alias/aws/ebs' (an AWS-managed key); required: a KMS key of this "
        "stack tagged tenant=acme"
    ]
