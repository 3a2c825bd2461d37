"""Cases for `data-04-ebs-volume-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

from mlops_policies.controls.data_04.ebs_volume_tenant_key import ebs_volume_tenant_key
from mlops_policies.controls.data_04.efs_tenant_key import efs_tenant_key
from mlops_policies.controls.data_04.endpoint_config_tenant_key import endpoint_config_tenant_key
from mlops_policies.controls.data_04.fsx_lustre_tenant_key import fsx_lustre_tenant_key
from mlops_policies.controls.data_04.log_group_tenant_key import log_group_tenant_key
from mlops_policies.controls.data_04.notebook_tenant_key import notebook_tenant_key
from tests.policies.data_leakage_fixtures import NOTEBOOK, TAGS, tenant_key
from tests.policies.harness import UNKNOWN, Res, run_stack

# The key input and other inputs of each storage type judged by a table-built DATA-04 rule.
STORAGE: dict[str, Any] = {
    "data-04-ebs-volume-tenant-key": (
        "aws:ebs/volume:Volume",
        "kmsKeyId",
        {"availabilityZone": "us-east-1a", "size": 100, "encrypted": True},
    ),
    "data-04-efs-tenant-key": ("aws:efs/fileSystem:FileSystem", "kmsKeyId", {"encrypted": True}),
    "data-04-fsx-lustre-tenant-key": (
        "aws:fsx/lustreFileSystem:LustreFileSystem",
        "kmsKeyId",
        {"storageCapacity": 1200},
    ),
    "data-04-log-group-tenant-key": (
        "aws:cloudwatch/logGroup:LogGroup",
        "kmsKeyId",
        {"retentionInDays": 365},
    ),
    "data-04-notebook-tenant-key": (NOTEBOOK, "kmsKeyId", {"instanceType": "ml.t3.medium"}),
    "data-04-endpoint-config-tenant-key": (
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        "kmsKeyArn",
        {},
    ),
}


def keyed(type_: str, prop: str, props: dict[str, Any], value: Any = UNKNOWN) -> list[Res]:
    deps = {prop: ["data-key"]} if value is UNKNOWN else {}
    return [tenant_key(), Res(type_, "store", {**props, prop: value, "tags": TAGS}, prop_deps=deps)]


def test_pass_storage_with_tenant_key_in_first_preview():
    for rule in (
        ebs_volume_tenant_key,
        efs_tenant_key,
        fsx_lustre_tenant_key,
        log_group_tenant_key,
        notebook_tenant_key,
        endpoint_config_tenant_key,
    ):
        assert run_stack(rule, keyed(*STORAGE[rule.name])).passed, rule.name


def test_fail_storage_with_aws_managed_key():
    for rule in (
        ebs_volume_tenant_key,
        efs_tenant_key,
        fsx_lustre_tenant_key,
        log_group_tenant_key,
        notebook_tenant_key,
        endpoint_config_tenant_key,
    ):
        type_, prop, props = STORAGE[rule.name]
        assert run_stack(rule, keyed(type_, prop, props, "alias/aws/ebs")).violations == [
            f"{type_} 'store' has {prop} 'alias/aws/ebs' (an AWS-managed key); required: a KMS key of this "
            "stack tagged tenant=acme"
        ]


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
