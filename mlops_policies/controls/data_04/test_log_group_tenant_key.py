"""Cases for `data-04-log-group-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_04._fixtures import STORAGE, keyed
from mlops_policies.controls.data_04.log_group_tenant_key import log_group_tenant_key
from tests.policies.data_leakage_fixtures import KEY, TAGS
from tests.policies.harness import Res, run_stack


def test_pass_log_group_with_known_arn_of_a_tenant_key():
    arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    key = Res(KEY, "data-key", {"arn": arn, "tags": TAGS})
    log_group = Res("aws:cloudwatch/logGroup:LogGroup", "logs", {"kmsKeyId": arn})
    assert run_stack(log_group_tenant_key, [key, log_group]).passed


def test_pass_log_group_with_tenant_key_in_first_preview():
    assert run_stack(log_group_tenant_key, keyed(*STORAGE["data-04-log-group-tenant-key"])).passed


def test_fail_log_group_with_aws_managed_key():
    type_, prop, props = STORAGE["data-04-log-group-tenant-key"]
    assert run_stack(log_group_tenant_key, keyed(type_, prop, props, "alias/aws/ebs")).violations == [
        f"{type_} 'store' has {prop} 'alias/aws/ebs' (an AWS-managed key); required: a KMS key of this "
        "stack tagged tenant=acme"
    ]
