"""A generated fleet of valid stacks (varied tiers, GPU sharing modes and egress) for tests and the bench."""

from __future__ import annotations

from pathlib import Path

from landingzone.config import parse_settings
from tenantctl.onboarding.defaults import load_defaults
from tenantctl.onboarding.intake import OnboardRequest, PoolRequest
from tenantctl.onboarding.render import render_stack
from tenantctl.onboarding.stack_draft import build_config

_POOLS = [
    [PoolRequest(name="a100-mig", instance_type="p4de.24xlarge", sharing="mig", mig_layout="all-3g.40gb")],
    [PoolRequest(name="h100", instance_type="p5.48xlarge", sharing="dedicated", min_size=0, max_size=4)],
    [
        PoolRequest(name="h200-mig", instance_type="p5e.48xlarge", sharing="mig", mig_layout="all-balanced"),
        PoolRequest(name="l4", instance_type="g6.xlarge", max_size=8),
    ],
    [],
]


def request_for(index: int) -> OnboardRequest:
    regulated = index % 3 == 0
    pools = [p for p in _POOLS[index % len(_POOLS)] if not regulated or p.sharing != "mig"]
    egress = "nat-allowlist" if index % 5 == 0 else None
    return OnboardRequest(
        tenant=f"t{index:03d}",
        tier="regulated" if regulated else "standard",
        environments=["dev", "train", "prod"] if index % 2 else None,
        gpu_pools=pools,
        egress=egress,
        egress_allowlist=["203.0.113.0/24"] if egress else None,
    )


def write_fleet(project_dir: Path, count: int) -> list[str]:
    """Write `count` valid stacks into an empty stacks/, one platform-pool block each; returns their names."""
    defaults = load_defaults(project_dir)
    blocks = defaults.pool.subnets(new_prefix=defaults.block_prefix)
    stacks_dir = project_dir / "stacks"
    stacks_dir.mkdir(exist_ok=True)
    names = []
    for index, block in zip(range(count), blocks, strict=False):
        request = request_for(index)
        assert request.tenant is not None
        source = f"stacks/Pulumi.{request.tenant}.yaml"
        settings = parse_settings(request.tenant, build_config(request, defaults, str(block)), source)
        (project_dir / source).write_text(render_stack(settings, source))
        names.append(request.tenant)
    assert len(names) == count, f"the pool has fewer than {count} blocks"
    return names
