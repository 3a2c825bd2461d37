"""Onboard, then validate: the written file is a valid stack for each tier and each GPU sharing mode."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from landingzone.config import TIER_DEFAULTS, GpuSharing, Tier, load_stack
from tests.onboarding.conftest import ROOT, Run, digest

CASES = {
    "standard-dedicated": ("standard", ["l40s=g6e.xlarge:dedicated:0-2"]),
    "standard-mig": ("standard", ["a100-mig=p4de.24xlarge:mig:all-3g.40gb:0-4"]),
    "standard-mixed": ("standard", ["h200=p5e.48xlarge:mig:all-balanced:1-2", "l4=g6.xlarge:dedicated"]),
    "regulated-dedicated": ("regulated", ["h100=p5.48xlarge:dedicated:0-4"]),
    "regulated-no-gpu": ("regulated", []),
}


@pytest.mark.parametrize("case", CASES)
def test_onboard_then_validate(case: str, run: Run, project: Path) -> None:
    tier, gpus = CASES[case]
    argv = ["onboard", "--tenant", "hooli", "--tier", tier, "--environments", "dev,train,prod"]
    for gpu in gpus:
        argv += ["--gpu", gpu]

    code, out = run(*argv)

    assert code == 0, out
    assert "stacks/Pulumi.hooli.yaml" in out
    assert run("validate", "--all")[0] == 0
    settings = load_stack(project, "hooli")
    tenant = settings.tenant
    assert tenant.tier is Tier(tier)
    assert [env.value for env in tenant.environments] == ["dev", "train", "prod"]
    assert tenant.network.cidr == "10.0.0.0/16"  # the lowest block the three example stacks leave free
    assert tenant.retention.model_dump() == TIER_DEFAULTS[Tier(tier)]["retention"]
    assert tenant.data_classification.value == TIER_DEFAULTS[Tier(tier)]["data_classification"]
    assert [pool.name for pool in tenant.gpu_pools] == [spec.split("=")[0] for spec in gpus]
    assert settings.platform.account_id == "111122223333"
    if tier == "regulated":
        assert settings.platform.security_archive_bucket and settings.platform.security_archive_kms_key_arn
    else:
        assert settings.platform.security_archive_bucket is None


def test_sharing_modes_are_written_as_asked(run: Run, project: Path) -> None:
    code, out = run(
        "onboard", "--tenant", "hooli", "--tier", "standard",
        "--gpu", "mig-pool=p4d.24xlarge:mig:all-1g.5gb:1-3", "--gpu", "whole=g5.12xlarge:dedicated:0-1",
    )  # fmt: skip

    assert code == 0, out
    mig, whole = load_stack(project, "hooli").tenant.gpu_pools
    assert (mig.sharing, mig.mig_layout, mig.min_size, mig.max_size) == (GpuSharing.MIG, "all-1g.5gb", 1, 3)
    assert (whole.sharing, whole.mig_layout, whole.min_size, whole.max_size) == (
        GpuSharing.DEDICATED,
        None,
        0,
        1,
    )


def test_intake_file_with_flags_overriding(run: Run, project: Path, tmp_path: Path) -> None:
    intake = tmp_path / "intake.yaml"
    intake.write_text(
        textwrap.dedent(
            """\
            tenant: hooli
            tier: standard
            environments: [dev, prod]
            gpu_pools:
              - {name: a100, instance_type: p4d.24xlarge, sharing: mig, mig_layout: all-balanced,
                 min_size: 0, max_size: 2}
            egress: nat-allowlist
            egress_allowlist: [203.0.113.0/24, pl-0a1b2c3d4e5f60718]
            secrets:
              - {name: hf-token, description: "Hugging Face token: read-only", rotation_days: 14}
            repositories: [models]
            artifact_buckets: []
            """
        )
    )

    code, out = run("onboard", "--from", str(intake), "--environments", "dev,eval,prod")

    assert code == 0, out
    tenant = load_stack(project, "hooli").tenant
    assert [env.value for env in tenant.environments] == ["dev", "eval", "prod"]  # the flag won
    assert tenant.network.egress_allowlist == ["203.0.113.0/24", "pl-0a1b2c3d4e5f60718"]
    assert tenant.secrets[0].description == "Hugging Face token: read-only"
    assert tenant.registry.repositories == ["models"]
    assert tenant.registry.artifact_buckets == []  # an explicit empty list is kept, not the default
    assert run("validate", "--stack", "hooli")[0] == 0


def test_written_file_is_commented_and_complete(run: Run, project: Path) -> None:
    assert run("onboard", "--tenant", "hooli", "--tier", "regulated")[0] == 0

    text = (project / "stacks" / "Pulumi.hooli.yaml").read_text()
    tenant = yaml.safe_load(text)["config"]["landingzone:tenant"]
    assert {"retention", "registry", "data_classification", "environments", "network"} <= set(tenant)
    assert "# Audit-log object lock (COMPLIANCE) days" in text
    assert text.startswith("# Tenant hooli: regulated tier")


def test_dry_run_prints_and_writes_nothing(
    run: Run, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(project)

    code, _ = run("onboard", "--tenant", "hooli", "--tier", "standard", "--dry-run")

    assert code == 0
    printed = capsys.readouterr().out
    assert yaml.safe_load(printed)["config"]["landingzone:tenant"]["network"]["cidr"] == "10.0.0.0/16"
    assert digest(project) == before


def test_onboarded_stack_program_registers_resources(run: Run, project: Path) -> None:
    """The written stack drives the real program (in preview mode) in a fresh interpreter."""
    for name in ("__main__.py", "Pulumi.yaml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    assert (
        run("onboard", "--tenant", "hooli", "--tier", "standard", "--gpu", "l4=g6.xlarge:dedicated")[0] == 0
    )
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from tenantctl.program import record_stack
        run = record_stack(Path({str(project)!r}), "hooli", preview=True)
        print(len(run.resources))
        print(sorted({{r.type for r in run.resources}}))
        """
    )

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )

    assert result.returncode == 0, result.stderr
    count, types = result.stdout.splitlines()[-2:]
    assert int(count) > 0
    assert "aws:eks/cluster:Cluster" in types and "aws:ec2/vpc:Vpc" in types
