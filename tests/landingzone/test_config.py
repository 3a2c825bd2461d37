"""The tenant config model: every bad-config example gives one clear message with all problems."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landingzone.config import ConfigError, Environment, load_stack, parse_settings

PROJECT = Path(__file__).resolve().parents[2]
SOURCE = "stacks/Pulumi.test.yaml"
VALID: dict[str, Any] = yaml.safe_load((PROJECT / "stacks" / "Pulumi.acme.yaml").read_text())["config"]


def problems_for(path: str, value: Any) -> list[str]:
    config = copy.deepcopy(VALID)
    node: Any = config
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    with pytest.raises(ConfigError) as raised:
        parse_settings("test", config, SOURCE)
    assert str(raised.value).startswith(f"{SOURCE}: invalid stack config")
    return raised.value.problems


@pytest.mark.parametrize("stack", ["acme", "globex", "initech"])
def test_example_stacks_are_valid(stack):
    settings_ = load_stack(PROJECT, stack)
    assert settings_.tenant.id == stack


def test_unknown_tier_names_the_allowed_tiers():
    assert problems_for("landingzone:tenant.tier", "gold") == [
        "landingzone:tenant.tier: Input should be 'standard' or 'regulated'"
    ]


def test_invalid_id_characters_are_refused_with_the_allowed_alphabet():
    assert problems_for("landingzone:tenant.id", "Acme_Corp") == [
        "landingzone:tenant.id: 'Acme_Corp' is not allowed: 3-20 of a-z, 0-9 and '-', starting with a letter"
    ]


def test_malformed_cidr_is_refused():
    (problem,) = problems_for("landingzone:tenant.network.cidr", "10.1.0.0/33")
    assert problem.startswith("landingzone:tenant.network.cidr: '10.1.0.0/33' is not a CIDR block")


def test_oversized_cidr_is_refused_with_the_allowed_prefixes():
    assert problems_for("landingzone:tenant.network.cidr", "10.0.0.0/8") == [
        "landingzone:tenant.network.cidr: '10.0.0.0/8' has prefix /8; allowed are /16 to /22"
    ]


def test_public_cidr_is_refused():
    (problem,) = problems_for("landingzone:tenant.network.cidr", "52.1.0.0/16")
    assert "inside RFC 1918 private space" in problem


def test_mig_on_a_gpu_without_mig_is_refused():
    assert problems_for("landingzone:tenant.gpu_pools.1.sharing", "mig") == [
        "landingzone:tenant.gpu_pools.1: g6e.xlarge has L40S-48GB GPUs, which have no MIG; "
        "use sharing dedicated"
    ]


def test_mig_layout_that_does_not_exist_for_the_gpu_lists_the_valid_ones():
    (problem,) = problems_for("landingzone:tenant.gpu_pools.0.mig_layout", "all-3g.20gb")
    assert problem.startswith(
        "landingzone:tenant.gpu_pools.0: mig_layout 'all-3g.20gb' does not exist for A100-80GB"
    )
    assert "all-3g.40gb" in problem


def test_max_below_min_is_refused():
    assert problems_for("landingzone:tenant.gpu_pools.1.min_size", 3) == [
        "landingzone:tenant.gpu_pools.1: max_size 2 is below min_size 3"
    ]


def test_unknown_environment_names_the_allowed_environments():
    assert problems_for("landingzone:tenant.environments", ["dev", "qa"]) == [
        "landingzone:tenant.environments.1: Input should be 'dev', 'eval', 'train', 'staging' or 'prod'"
    ]


def test_retention_below_the_control_minimum_names_the_control():
    assert problems_for("landingzone:tenant.retention", {"audit_days": 30}) == [
        "landingzone:tenant.retention.audit_days: 30 days is below the AUD-02 minimum of 365 days"
    ]


def test_unknown_fields_are_refused_so_typos_do_not_pass_silently():
    assert problems_for("landingzone:tenant.egres", "none") == [
        "landingzone:tenant.egres: Extra inputs are not permitted"
    ]


def test_all_problems_are_reported_at_once():
    config = copy.deepcopy(VALID)
    config["landingzone:tenant"]["tier"] = "gold"
    config["landingzone:tenant"]["network"]["cidr"] = "10.0.0.0/8"
    config["landingzone:platform"]["account_id"] = "123"
    with pytest.raises(ConfigError) as raised:
        parse_settings("test", config, SOURCE)
    assert [
        p.split(":")[1].split(".")[0] + "." + p.split(":")[1].split(".")[1] for p in raised.value.problems
    ] == ["tenant.tier", "tenant.network", "platform.account_id"]


def test_regulated_tenant_without_security_archive_is_refused():
    config = copy.deepcopy(VALID)
    config["landingzone:tenant"]["tier"] = "regulated"
    config["landingzone:tenant"]["gpu_pools"] = []
    with pytest.raises(ConfigError) as raised:
        parse_settings("test", config, SOURCE)
    assert raised.value.problems == [
        "landingzone:platform.security_archive_bucket: required for regulated tenants (AUD-07)",
        "landingzone:platform.security_archive_kms_key_arn: required for regulated tenants (AUD-07)",
    ]


def test_regulated_tenant_with_a_mig_pool_is_refused_by_gpu_03():
    config = copy.deepcopy(VALID)
    config["landingzone:tenant"]["tier"] = "regulated"
    (problem,) = [p for p in _problems(config) if "GPU-03" in p]
    assert (
        problem == "landingzone:tenant: regulated tenants get whole GPUs (GPU-03): "
        "pools ['a100-mig'] must be dedicated"
    )


def test_tier_defaults_fill_retention_and_classification():
    tenant = load_stack(PROJECT, "globex").tenant
    assert (tenant.retention.audit_days, tenant.retention.registry_days) == (2557, 365)
    assert tenant.data_classification.value == "restricted"
    assert tenant.registry_lock_mode.value == "COMPLIANCE"


def test_quota_defaults_cover_every_gpu_and_every_mig_slice_the_pools_hold():
    tenant = load_stack(PROJECT, "acme").tenant
    hard = tenant.namespace_quota(Environment.TRAIN)
    # a100-mig: 4 nodes x 8 GPUs x 2 slices of 3g.40gb; l40s: 2 nodes x 1 dedicated GPU.
    assert hard["requests.nvidia.com/mig-3g.40gb"] == "64"
    assert hard["requests.nvidia.com/gpu"] == "2"


def test_quota_overrides_apply_per_environment():
    config = copy.deepcopy(VALID)
    config["landingzone:tenant"]["quotas"] = {"dev": {"gpus": 0, "mig": {"3g.40gb": 2}, "cpu": 8}}
    tenant = parse_settings("test", config, SOURCE).tenant
    assert tenant.namespace_quota(Environment.DEV)["requests.nvidia.com/mig-3g.40gb"] == "2"
    assert tenant.namespace_quota(Environment.DEV)["requests.cpu"] == "8"
    assert tenant.namespace_quota(Environment.PROD)["requests.nvidia.com/mig-3g.40gb"] == "64"


def test_quota_for_a_profile_no_pool_provides_is_refused():
    config = copy.deepcopy(VALID)
    config["landingzone:tenant"]["quotas"] = {"dev": {"mig": {"1g.5gb": 1}}}
    (problem,) = _problems(config)
    assert "quotas.dev.mig names profiles no pool provides: ['1g.5gb']" in problem


def _problems(config: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse_settings("test", config, SOURCE)
    return raised.value.problems


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 100_000) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
tenant_fields = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.sampled_from(["acme", "a", "Acme", "x" * 30]), json_values),
        "tier": st.one_of(st.sampled_from(["standard", "regulated", "gold"]), json_values),
        "environments": st.one_of(
            st.lists(st.sampled_from(["dev", "eval", "qa", "prod"]), max_size=4), json_values
        ),
        "network": st.one_of(
            st.fixed_dictionaries(
                {
                    "cidr": st.sampled_from(["10.1.0.0/16", "10.0.0.0/8", "nonsense"]),
                    "availability_zones": st.lists(
                        st.sampled_from(["us-east-1a", "eu-west-1a", "x"]), max_size=4
                    ),
                },
                optional={
                    "egress": st.sampled_from(["none", "nat-allowlist", "open"]),
                    "egress_allowlist": st.lists(st.sampled_from(["1.2.3.0/24", "0.0.0.0/0", "pl-0a1b2c3d"])),
                },
            ),
            json_values,
        ),
        "gpu_pools": st.one_of(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "name": st.sampled_from(["pool", "p", "gpu-a"]),
                        "instance_type": st.sampled_from(
                            ["p5.48xlarge", "g6e.xlarge", "p4d.24xlarge", "m5.large"]
                        ),
                    },
                    optional={
                        "sharing": st.sampled_from(["mig", "dedicated", "mps"]),
                        "mig_layout": st.sampled_from(["all-balanced", "all-3g.20gb", "all-disabled", "x"]),
                        "min_size": json_values,
                        "max_size": st.integers(-1, 40),
                    },
                ),
                max_size=3,
            ),
            json_values,
        ),
        "retention": json_values,
        "quotas": json_values,
        "secrets": json_values,
        "registry": json_values,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tenant=st.one_of(tenant_fields, json_values),
    platform=st.one_of(json_values, st.just(VALID["landingzone:platform"])),
)
def test_any_config_shape_gives_settings_or_a_clear_config_error(tenant, platform):
    config = {"aws:region": "us-east-1", "landingzone:tenant": tenant, "landingzone:platform": platform}
    try:
        parse_settings("test", config, SOURCE)
    except ConfigError as error:
        assert error.problems and all(p.startswith(("landingzone:", "aws:region")) for p in error.problems)
