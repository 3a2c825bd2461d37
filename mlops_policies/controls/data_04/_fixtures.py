"""Fixtures shared by the cases of the table-built DATA-04 rules (one storage type each)."""

from __future__ import annotations

from typing import Any

from tests.policies.data_leakage_fixtures import NOTEBOOK, TAGS, tenant_key
from tests.policies.harness import UNKNOWN, Res

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
