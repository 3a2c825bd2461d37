"""Generated intake files never crash `onboard`: it exits 0 with a valid stack, or 2 with nothing written."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landingzone.config import load_stack
from tenantctl.onboarding import main
from tests.onboarding.conftest import copy_project, digest

FIELDS = [
    "tenant", "tier", "environments", "gpu_pools", "egress", "egress_allowlist",
    "secrets", "repositories", "artifact_buckets",
]  # fmt: skip

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.text(max_size=30)
)
yamlable = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=15), st.integers()), children, max_size=4),
    ),
    max_leaves=20,
)
field_names = st.sampled_from(
    [*FIELDS, "name", "instance_type", "sharing", "mig_layout", "min_size", "bogus"]
)

VALID_POOLS: list[dict[str, Any]] = [
    {
        "name": "a100",
        "instance_type": "p4d.24xlarge",
        "sharing": "mig",
        "mig_layout": "all-balanced",
        "max_size": 2,
    },
    {"name": "l4s", "instance_type": "g6.xlarge", "sharing": "dedicated", "min_size": 1, "max_size": 4},
    {"name": "h100", "instance_type": "p5.48xlarge"},
]
EGRESS = [{}, {"egress": "none"}, {"egress": "nat-allowlist", "egress_allowlist": ["203.0.113.0/24"]}]

# Mostly valid: these should usually be onboarded, and exercise rendering of every field.
valid_intake = st.builds(
    lambda base, egress: {**base, **egress},
    st.fixed_dictionaries(
        {
            "tenant": st.sampled_from(["hooli", "new-tenant-01", "zeta"]),
            "tier": st.sampled_from(["standard", "regulated"]),
        },
        optional={
            "environments": st.lists(
                st.sampled_from(["dev", "eval", "train", "prod"]), min_size=1, unique=True
            ),
            "gpu_pools": st.lists(st.sampled_from(VALID_POOLS), max_size=2, unique_by=lambda p: p["name"]),
            "secrets": st.lists(
                st.fixed_dictionaries(
                    {"name": st.sampled_from(["hf-token", "db-password"])},
                    optional={"description": st.text(max_size=60), "rotation_days": st.integers(1, 90)},
                ),
                max_size=2,
                unique_by=lambda s: s["name"],
            ),
            "repositories": st.lists(st.sampled_from(["models", "serving", "eval"]), min_size=1, unique=True),
            "artifact_buckets": st.lists(
                st.sampled_from(["dataset", "checkpoint", "feature-store"]), unique=True
            ),
        },
    ),
    st.sampled_from(EGRESS),
)
risky_pool = st.fixed_dictionaries(
    {"name": st.sampled_from(["a100", "l4s", "h100", "X"])},
    optional={
        "instance_type": st.sampled_from(["p4d.24xlarge", "g6.xlarge", "p5.48xlarge", "p9.x"]),
        "sharing": st.sampled_from(["dedicated", "mig", "shared"]),
        "mig_layout": st.sampled_from(["all-balanced", "all-1g.5gb", "all-3g.40gb", "all-disabled"]),
        "min_size": st.integers(-1, 20),
        "max_size": st.integers(-1, 20),
    },
)
# Near misses: each field drawn from values the model accepts and values it refuses.
risky_intake = st.fixed_dictionaries(
    {
        "tenant": st.sampled_from(["hooli", "acme", "x", "Bad", "new-tenant-01"]),
        "tier": st.sampled_from(["standard", "regulated", "gold"]),
    },
    optional={
        "environments": st.lists(st.sampled_from(["dev", "train", "prod", "qa"]), max_size=4),
        "gpu_pools": st.lists(risky_pool, max_size=3),
        "egress": st.sampled_from(["none", "nat-allowlist", "open"]),
        "egress_allowlist": st.lists(
            st.sampled_from(["203.0.113.0/24", "0.0.0.0/0", "pl-0a1b2c3d", "x"]), max_size=2
        ),
        "secrets": st.lists(
            st.fixed_dictionaries(
                {"name": st.sampled_from(["hf-token", "db", "tok"])},
                optional={"description": st.text(max_size=40), "rotation_days": st.integers(0, 120)},
            ),
            max_size=2,
        ),
        "repositories": st.lists(st.sampled_from(["models", "serving", "Bad Repo"]), max_size=3),
        "artifact_buckets": st.lists(st.sampled_from(["dataset", "checkpoint", "junk"]), max_size=3),
    },
)


def _mutated(draw: Any) -> Any:
    """A near-valid intake with one field replaced by an arbitrary YAML value."""
    intake = dict(draw(st.one_of(valid_intake, risky_intake)))
    intake[draw(field_names)] = draw(yamlable)
    return intake


mutated = st.composite(_mutated)()


def _onboard_from(document: bytes, write: bool) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "project")
        intake = Path(scratch) / "intake.yaml"
        intake.write_bytes(document)
        before = digest(project)
        argv = ["onboard", "--from", str(intake), "--project-dir", str(project)]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main([*argv] if write else [*argv, "--dry-run"])
        assert code in (0, 2)
        if code == 2 or not write:
            assert digest(project) == before
            return
        written = yaml.safe_load(intake.read_bytes())["tenant"]
        assert load_stack(project, written).tenant.id == written


def _dump(document: Any) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yamlable)
def test_arbitrary_yaml_never_crashes(document: Any) -> None:
    _onboard_from(_dump(document), write=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(valid_intake, risky_intake, mutated))
def test_near_valid_intakes_are_onboarded_or_refused(document: dict[str, Any]) -> None:
    _onboard_from(_dump(document), write=True)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_never_crash(document: bytes) -> None:
    _onboard_from(document, write=False)
