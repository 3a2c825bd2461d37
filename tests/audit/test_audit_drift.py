"""compare_intended as a pure function: hand-written intended resources against a hand-made inventory."""

from __future__ import annotations

from typing import Any

from tenantctl.audit import LiveInventory, compare_intended
from tenantctl.audit.drift import PULUMI_UNKNOWN
from tenantctl.audit.inventory import (
    LiveBucket,
    LiveCluster,
    LiveKey,
    LiveNodeGroup,
    LiveRepository,
    LiveTrail,
)

REGISTRY = "acme-model-registry-123456789012"


def live() -> LiveInventory:
    inventory = LiveInventory("acme", "us-east-1", "123456789012")
    lock = {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}}
    inventory.buckets = [
        LiveBucket(REGISTRY, "us-east-1", {"tenant": "acme"}, "model-registry", "Enabled", lock)
    ]
    inventory.keys = [
        LiveKey("k1", "arn:aws:kms:us-east-1:123456789012:key/k1", ["alias/acme-data"], {}, {}, False)
    ]
    inventory.repositories = [
        LiveRepository("acme/models", "arn:repo", {"imageTagMutability": "MUTABLE"}, {"tenant": "acme"})
    ]
    inventory.trails = [
        LiveTrail(
            "acme-audit-trail", "arn:trail", {"IsMultiRegionTrail": True, "S3BucketName": "b"}, {}, False
        )
    ]
    inventory.clusters = [LiveCluster("acme-cluster", {"resourcesVpcConfig": {"endpointPublicAccess": True}})]
    inventory.node_groups = [
        LiveNodeGroup("acme-l40s", "acme-cluster", {"taints": [], "labels": {"tenant": "acme"}})
    ]
    return inventory


def resource(type_: str, logical: str, **inputs: Any) -> dict[str, Any]:
    return {
        "type": type_,
        "name": logical,
        "urn": f"urn:pulumi:acme::mlops::{type_}::{logical}",
        "inputs": inputs,
    }


def kinds(drifts: list[Any]) -> set[tuple[str, str, str | None, str | None]]:
    return {(d.kind, d.name, d.property, d.control) for d in drifts}


def test_security_properties_that_differ_are_reported_with_their_control() -> None:
    intended = [
        resource("aws:s3/bucketV2:BucketV2", "registry", bucket=REGISTRY, objectLockEnabled=True),
        resource(
            "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
            "registry-lock",
            bucket=REGISTRY,
            rule={"defaultRetention": {"mode": "COMPLIANCE", "days": 30}},
        ),
        resource("aws:kms/key:Key", "acme-data", enableKeyRotation=True),
        resource("aws:kms/alias:Alias", "data-alias", name="alias/acme-data"),
        resource(
            "aws:ecr/repository:Repository", "models", name="acme/models", imageTagMutability="IMMUTABLE"
        ),
        resource(
            "aws:cloudtrail/trail:Trail",
            "trail",
            name="acme-audit-trail",
            s3BucketName="b",
            isMultiRegionTrail=True,
            enableLogFileValidation=False,
            includeGlobalServiceEvents=None,
        ),
        resource(
            "aws:eks/cluster:Cluster",
            "cluster",
            name="acme-cluster",
            vpcConfig={"endpointPublicAccess": False},
        ),
        resource(
            "aws:eks/nodeGroup:NodeGroup",
            "l40s",
            nodeGroupName="acme-l40s",
            labels={"tenant": "acme"},
            taints=[{"key": "tenant", "value": "acme", "effect": "NO_SCHEDULE"}],
        ),
    ]

    drifts = kinds(compare_intended(intended, live()))

    assert drifts == {
        ("changed", REGISTRY, "rule.defaultRetention.mode", "PROV-01"),
        ("changed", "alias/acme-data", "enableKeyRotation", "SEC-01"),
        ("changed", "acme/models", "imageTagMutability", "PROV-03"),
        ("changed", "acme-audit-trail", "enableLogging", "AUD-01"),
        ("changed", "acme-cluster", "vpcConfig.endpointPublicAccess", "DATA-08"),
        ("changed", "acme-l40s", "taints", "GPU-01"),
    }


def test_intended_resources_not_live_are_missing_and_live_ones_not_intended_are_unexpected() -> None:
    intended = [
        resource("aws:s3/bucketV2:BucketV2", "registry", bucket=REGISTRY, objectLockEnabled=True),
        resource("aws:secretsmanager/secret:Secret", "token", name="acme/hf-token"),
        resource("aws:iam/role:Role", "dev", name="acme-dev-workload"),
    ]

    drifts = kinds(compare_intended(intended, live()))

    assert {d for d in drifts if d[0] == "missing"} == {
        ("missing", "acme/hf-token", None, None),
        ("missing", "acme-dev-workload", None, None),
    }
    assert {d[1] for d in drifts if d[0] == "unexpected"} == {
        "alias/acme-data",
        "acme/models",
        "acme-audit-trail",
        "acme-cluster",
        "acme-l40s",
    }


def test_values_unknown_at_preview_are_never_drift() -> None:
    intended = [
        resource("aws:s3/bucketV2:BucketV2", "registry", bucket=REGISTRY, objectLockEnabled=PULUMI_UNKNOWN),
        resource(
            "aws:ecr/repository:Repository", "models", name="acme/models", imageTagMutability=PULUMI_UNKNOWN
        ),
    ]

    drifts = kinds(compare_intended(intended, live()))

    assert {d for d in drifts if d[0] == "changed"} == set()


def test_a_kind_that_could_not_be_listed_is_never_called_unexpected() -> None:
    inventory = live()
    inventory.errors["repositories"] = "AccessDeniedException"

    drifts = kinds(compare_intended([], inventory))

    assert not {d for d in drifts if d[1] == "acme/models"}
