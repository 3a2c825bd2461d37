"""GpuNodePool: tenant taint and labels (GPU-01), declared sharing mode with a valid MIG layout (GPU-02),
bounded scaling (GPU-04), and nodes that leak neither credentials nor disks (GPU-05)."""

from __future__ import annotations

import pytest

from components import GpuNodePool
from landingzone.config import GpuSharing
from tests.components.recording import Recording, depends_on, mock_id, mock_key_arn, property_errors, refused
from tests.components.scenarios import CLUSTER_NAME, NODE_ROLE_ARN, SUBNET_IDS, WORKLOADS_SG_ID, gpu_args

DATA_KEY_ARN = mock_key_arn("fixture-data-key")
POOLS = ["a100-mig", "l40s", "h100"]


@pytest.fixture(scope="module")
def pools(recorded) -> Recording:
    """p4de mig all-3g.40gb (max 4), g6e L40S dedicated (1-3 nodes, 100 GiB), p5 H100 dedicated (max 16)."""
    return recorded("gpu-pools")


def _node_group(pools: Recording, pool: str):
    return pools.named(f"gpu-{pool}-nodes")


def _launch_template(pools: Recording, pool: str):
    return pools.named(f"gpu-{pool}-lt")


@pytest.mark.parametrize("pool", POOLS)
def test_gpu_nodes_are_tainted_for_their_tenant_only(pools, pool):
    assert _node_group(pools, pool).inputs["taints"] == [
        {"key": "tenant", "value": "acme", "effect": "NO_SCHEDULE"}
    ]


def test_a_mig_pool_is_labelled_with_tenant_sharing_mode_and_its_mig_layout(pools):
    assert _node_group(pools, "a100-mig").inputs["labels"] == {
        "tenant": "acme",
        "gpu-pool": "a100-mig",
        "gpu-sharing": "mig",
        "nvidia.com/mig.config": "all-3g.40gb",
    }


def test_a_dedicated_pool_of_mig_capable_gpus_pins_mig_disabled(pools):
    assert _node_group(pools, "h100").inputs["labels"] == {
        "tenant": "acme",
        "gpu-pool": "h100",
        "gpu-sharing": "dedicated",
        "nvidia.com/mig.config": "all-disabled",
    }


def test_a_pool_of_gpus_without_mig_has_no_mig_label(pools):
    labels = _node_group(pools, "l40s").inputs["labels"]
    assert labels == {"tenant": "acme", "gpu-pool": "l40s", "gpu-sharing": "dedicated"}
    assert "nvidia.com/mig.config" not in labels


@pytest.mark.parametrize("pool", POOLS)
def test_gpu_pools_use_no_time_slicing_or_mps(pools, pool):
    labels = _node_group(pools, pool).inputs["labels"]
    assert labels["gpu-sharing"] in {"dedicated", "mig"}
    assert not [key for key in labels if "time-slicing" in key or "mps" in key.lower()]


@pytest.mark.parametrize("pool", POOLS)
def test_gpu_nodes_run_the_nvidia_ami_on_demand_in_the_given_cluster_and_subnets(pools, pool):
    inputs = _node_group(pools, pool).inputs
    assert inputs["amiType"] == "AL2023_x86_64_NVIDIA"
    assert inputs["capacityType"] == "ON_DEMAND"
    assert inputs["clusterName"] == CLUSTER_NAME
    assert inputs["nodeRoleArn"] == NODE_ROLE_ARN
    assert inputs["subnetIds"] == SUBNET_IDS
    assert inputs["nodeGroupName"] == f"acme-{pool}"


def test_scaling_is_bounded_by_the_configured_sizes(pools):
    sizes = {pool: _node_group(pools, pool).inputs["scalingConfig"] for pool in POOLS}
    assert sizes == {
        "a100-mig": {"minSize": 0, "maxSize": 4, "desiredSize": 0},
        "l40s": {"minSize": 1, "maxSize": 3, "desiredSize": 1},
        "h100": {"minSize": 0, "maxSize": 16, "desiredSize": 0},
    }


def test_instance_types_are_the_pools_only(pools):
    assert {pool: _node_group(pools, pool).inputs["instanceTypes"] for pool in POOLS} == {
        "a100-mig": ["p4de.24xlarge"],
        "l40s": ["g6e.xlarge"],
        "h100": ["p5.48xlarge"],
    }


@pytest.mark.parametrize("pool", POOLS)
def test_gpu_nodes_have_no_ssh_access(pools, pool):
    assert "remoteAccess" not in _node_group(pools, pool).inputs
    assert "keyName" not in _launch_template(pools, pool).inputs


@pytest.mark.parametrize("pool", POOLS)
def test_node_groups_launch_from_their_own_launch_template(pools, pool):
    group = _node_group(pools, pool)
    template = _launch_template(pools, pool)
    assert group.inputs["launchTemplate"]["id"] == mock_id(template.name)
    assert group.inputs["launchTemplate"]["version"] == "1"
    assert depends_on(group, template, "launchTemplate")


@pytest.mark.parametrize("pool", POOLS)
def test_gpu_nodes_get_exactly_the_given_security_groups(pools, pool):
    assert _launch_template(pools, pool).inputs["vpcSecurityGroupIds"] == [WORKLOADS_SG_ID]
    assert "networkInterfaces" not in _launch_template(pools, pool).inputs


@pytest.mark.parametrize("pool", POOLS)
def test_node_groups_are_created_after_and_deleted_before_the_node_role_attachments(pools, pool):
    group = _node_group(pools, pool)
    for policy in ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"):
        assert depends_on(group, pools.named(f"fixture-node-{policy}")), policy


@pytest.mark.parametrize("pool", POOLS)
def test_launch_templates_require_imdsv2_with_a_hop_limit_of_one(pools, pool):
    metadata = _launch_template(pools, pool).inputs["metadataOptions"]
    assert metadata["httpTokens"] == "required"
    assert metadata["httpPutResponseHopLimit"] == 1
    assert metadata["httpEndpoint"] == "enabled"


def test_launch_templates_encrypt_the_root_volume_with_the_data_key(pools):
    for pool, size in (("a100-mig", 200), ("l40s", 100), ("h100", 200)):
        template = _launch_template(pools, pool)
        (mapping,) = template.inputs["blockDeviceMappings"]
        assert mapping["deviceName"] == "/dev/xvda"
        assert mapping["ebs"]["encrypted"] == "true"
        assert mapping["ebs"]["kmsKeyId"] == DATA_KEY_ARN
        assert mapping["ebs"]["volumeSize"] == size
        assert depends_on(template, pools.named("fixture-data-key"), "blockDeviceMappings")


def test_instances_and_volumes_launched_are_tagged_with_the_tenant_and_pool(pools):
    for pool in POOLS:
        specs = _launch_template(pools, pool).inputs["tagSpecifications"]
        assert sorted(s["resourceType"] for s in specs) == ["instance", "volume"]
        for spec in specs:
            assert spec["tags"]["tenant"] == "acme"
            assert spec["tags"]["gpu-pool"] == pool
            assert spec["tags"]["managed-by"] == "mlops-landing-zone"


# ---------------------------------------------------------------- args validation (at construction)


def _refused(**overrides) -> list[tuple[str, str]]:
    return property_errors(refused(lambda: GpuNodePool("acme-gpu-h100", gpu_args(**overrides))))


def test_a_mig_layout_that_does_not_exist_for_the_gpu_is_refused():
    assert _refused(instance_type="p4de.24xlarge", sharing=GpuSharing.MIG, mig_layout="all-1g.18gb") == [
        ("mig_layout", "'all-1g.18gb' is not valid for A100-80GB")
    ]


def test_mig_without_a_layout_is_refused():
    assert _refused(sharing=GpuSharing.MIG) == [("mig_layout", "None is not valid for H100-80GB")]


def test_mig_disabled_is_not_a_mig_layout():
    assert _refused(sharing=GpuSharing.MIG, mig_layout="all-disabled") == [
        ("mig_layout", "'all-disabled' is not valid for H100-80GB")
    ]


def test_mig_on_an_l40s_is_refused():
    assert _refused(instance_type="g6e.xlarge", sharing=GpuSharing.MIG, mig_layout="all-balanced") == [
        ("mig_layout", "'all-balanced' is not valid for L40S-48GB")
    ]


def test_a_mig_layout_on_a_dedicated_pool_is_refused():
    assert _refused(mig_layout="all-balanced") == [("mig_layout", "only allowed with sharing mig")]


def test_more_than_sixteen_nodes_are_refused():
    assert _refused(max_size=17) == [("max_size", "17 is above 16 (GPU-04)")]


def test_a_minimum_above_the_maximum_is_refused():
    assert _refused(min_size=3, max_size=2) == [("min_size", "3 is above max_size 2")]


def test_a_negative_minimum_is_refused():
    assert _refused(min_size=-1) == [("min_size", "-1 is below 0")]


def test_an_instance_type_outside_the_catalog_is_refused():
    assert _refused(instance_type="p3.2xlarge") == [
        ("instance_type", "'p3.2xlarge' is not in the GPU catalog")
    ]


def test_every_gpu_args_problem_is_named_at_once_with_its_property_path():
    error = refused(
        lambda: GpuNodePool(
            "acme-gpu-l40s",
            gpu_args(
                instance_type="g6e.xlarge", sharing=GpuSharing.MIG, mig_layout="all-balanced", max_size=40
            ),
        )
    )
    assert property_errors(error) == [
        ("mig_layout", "'all-balanced' is not valid for L40S-48GB"),
        ("max_size", "40 is above 16 (GPU-04)"),
    ]
    assert str(error) == (
        "GpuNodePool acme-gpu-l40s: invalid args: mig_layout: 'all-balanced' is not valid for L40S-48GB; "
        "max_size: 40 is above 16 (GPU-04)"
    )
