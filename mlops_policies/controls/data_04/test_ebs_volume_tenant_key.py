"""Cases for `data-04-ebs-volume-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_04._fixtures import STORAGE, keyed
from mlops_policies.controls.data_04.ebs_volume_tenant_key import ebs_volume_tenant_key
from tests.policies.data_leakage_fixtures import tenant_key
from tests.policies.harness import UNKNOWN, Res, run_stack


def test_fail_volume_without_key_or_encryption():
    stack = keyed("aws:ebs/volume:Volume", "kmsKeyId", {"availabilityZone": "us-east-1a"}, None)
    assert run_stack(ebs_volume_tenant_key, stack).violations == [
        "aws:ebs/volume:Volume 'store' has encrypted missing; required: true",
        "aws:ebs/volume:Volume 'store' has kmsKeyId missing; required: a KMS key of this stack tagged "
        "tenant=acme",
    ]


def test_undecided_volume_key_unknown_without_dependency():
    stack = [tenant_key(), Res("aws:ebs/volume:Volume", "store", {"encrypted": True, "kmsKeyId": UNKNOWN})]
    outcome = run_stack(ebs_volume_tenant_key, stack)
    assert outcome.undecided is not None and outcome.violations == []


def test_pass_volume_with_tenant_key_in_first_preview():
    assert run_stack(ebs_volume_tenant_key, keyed(*STORAGE["data-04-ebs-volume-tenant-key"])).passed


def test_fail_volume_with_aws_managed_key():
    type_, prop, props = STORAGE["data-04-ebs-volume-tenant-key"]
    assert run_stack(ebs_volume_tenant_key, keyed(type_, prop, props, "alias/aws/ebs")).violations == [
        f"{type_} 'store' has {prop} 'alias/aws/ebs' (an AWS-managed key); required: a KMS key of this "
        "stack tagged tenant=acme"
    ]
