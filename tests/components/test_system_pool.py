"""SystemNodePool: cluster add-ons get nodes of their own, hardened like every tenant node."""

from __future__ import annotations

import pytest

from components.system_pool import SystemNodePool, SystemNodePoolArgs
from tenantctl.program import record_program
from tests.components.recording import property_errors, refused, tenant_context

CONFIG = {"aws:region": "us-east-1", "landingzone:platform": '{"account_id": "111122223333"}'}


def _args(**overrides: object) -> SystemNodePoolArgs:
    values: dict[str, object] = dict(
        tenant=tenant_context(), cluster_name="acme-cluster",
        node_role_arn="arn:aws:iam::111122223333:role/acme-eks-node",
        subnet_ids=["subnet-a"], security_group_ids=["sg-workloads"],
        data_key_arn="arn:aws:kms:us-east-1:111122223333:key/k",
    )  # fmt: skip
    values.update(overrides)
    return SystemNodePoolArgs(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def recorded():
    run = record_program(lambda: SystemNodePool("acme-system", _args()), "acme", dict(CONFIG), preview=False)
    return {r.type.split(":")[-1]: r for r in run.resources}


def test_system_nodes_carry_the_addons_taint_so_tenant_workloads_never_land_there(recorded):
    node_group = recorded["NodeGroup"].inputs
    assert node_group["taints"] == [{"key": "CriticalAddonsOnly", "value": "true", "effect": "NO_SCHEDULE"}]
    assert node_group["labels"] == {"tenant": "acme", "node-role": "system"}
    assert node_group["nodeGroupName"] == "acme-system"
    assert "remoteAccess" not in node_group


def test_system_nodes_keep_two_nodes_so_coredns_survives_losing_one(recorded):
    assert recorded["NodeGroup"].inputs["scalingConfig"] == {"minSize": 2, "maxSize": 3, "desiredSize": 2}


def test_system_nodes_use_the_hardened_launch_template(recorded):
    template = recorded["LaunchTemplate"].inputs
    assert template["metadataOptions"]["httpTokens"] == "required"
    assert template["metadataOptions"]["httpPutResponseHopLimit"] == 1
    assert template["blockDeviceMappings"][0]["ebs"]["encrypted"] == "true"
    assert template["blockDeviceMappings"][0]["ebs"]["kmsKeyId"] == "arn:aws:kms:us-east-1:111122223333:key/k"
    assert template["vpcSecurityGroupIds"] == ["sg-workloads"]


def _refused(**overrides: object) -> list[tuple[str, str]]:
    return property_errors(refused(lambda: SystemNodePool("acme-system", _args(**overrides))))


def test_a_system_pool_without_a_node_is_refused():
    assert _refused(min_size=0) == [("min_size", "0 is below 1: CoreDNS needs a node")]


def test_every_system_pool_size_problem_is_named_at_once_with_its_property_path():
    assert _refused(min_size=12, max_size=11) == [
        ("min_size", "12 is above max_size 11"),
        ("max_size", "11 is above 10"),
    ]
