"""Every refusal exits 2 with the model's (or the parser's) message and leaves stacks/ byte-for-byte alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.onboarding.conftest import Run, digest

REFUSALS = {
    "duplicate id": (["--tenant", "acme", "--tier", "standard"], "tenant 'acme' already exists"),
    "unknown instance type": (
        ["--tenant", "hooli", "--tier", "standard", "--gpu", "big=p9.48xlarge:dedicated"],
        "unknown GPU instance type 'p9.48xlarge'",
    ),
    "layout the GPU lacks": (
        ["--tenant", "hooli", "--tier", "standard", "--gpu", "a100=p4d.24xlarge:mig:all-3g.40gb"],
        "mig_layout 'all-3g.40gb' does not exist for A100-40GB",
    ),
    "mig on a GPU without MIG": (
        ["--tenant", "hooli", "--tier", "standard", "--gpu", "l4s=g6.xlarge:mig:all-balanced"],
        "which have no MIG",
    ),
    "mig for a regulated tenant": (
        ["--tenant", "hooli", "--tier", "regulated", "--gpu", "h100=p5.48xlarge:mig:all-balanced"],
        "regulated tenants get whole GPUs (GPU-03)",
    ),
    "min above max": (
        ["--tenant", "hooli", "--tier", "standard", "--gpu", "l4s=g6.xlarge:dedicated:3-1"],
        "max_size 1 is below min_size 3",
    ),
    "malformed MIN-MAX": (
        ["--tenant", "hooli", "--tier", "standard", "--gpu", "l4s=g6.xlarge:dedicated:3"],
        "bad MIN-MAX '3'",
    ),
    "more nodes than allowed": (
        ["--tenant", "hooli", "--tier", "standard", "--gpu", "l4s=g6.xlarge:dedicated:0-17"],
        "exceeds the 16-node limit",
    ),
    "gpu flag without instance type": (
        ["--tenant", "hooli", "--tier", "standard", "--gpu", "l4s"],
        "--gpu 'l4s'",
    ),
    "bad tenant id": (["--tenant", "Bad_Id", "--tier", "standard"], "landingzone:tenant.id: 'Bad_Id'"),
    "path in tenant id": (["--tenant", "../evil", "--tier", "standard"], "landingzone:tenant.id"),
    "unknown environment": (
        ["--tenant", "hooli", "--tier", "standard", "--environments", "dev,qa"],
        "landingzone:tenant.environments.1",
    ),
    "allowlist without nat": (
        ["--tenant", "hooli", "--tier", "standard", "--allow", "203.0.113.0/24"],
        "egress_allowlist is only allowed with egress nat-allowlist",
    ),
    "nat without allowlist": (
        ["--tenant", "hooli", "--tier", "standard", "--egress", "nat-allowlist"],
        "needs a non-empty egress_allowlist",
    ),
    "allowlist to everywhere": (
        ["--tenant", "hooli", "--tier", "standard", "--egress", "nat-allowlist", "--allow", "0.0.0.0/0"],
        "['0.0.0.0/0'] are not allowed",
    ),
    "no tier": (["--tenant", "hooli"], "tier: required"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refusal_writes_nothing(case: str, run: Run, project: Path, capsys) -> None:
    argv, message = REFUSALS[case]
    before = digest(project)

    code, _ = run("onboard", *argv)

    assert code == 2
    assert message in capsys.readouterr().err
    assert digest(project) == before


INTAKES: dict[str, tuple[str | bytes, str, str]] = {
    "not YAML": ("tenant: [unclosed\n", "intake.yaml", "not valid YAML"),
    "a list": ("- tenant: hooli\n", "intake.yaml", "must be a mapping of onboarding fields"),
    "a scalar": ("hooli\n", "intake.yaml", "found str"),
    "unknown field": (
        "tenant: hooli\ntier: standard\nowner: me\n",
        "owner: unknown field",
        "allowed: tenant",
    ),
    "number as tenant": (
        "tenant: 42\ntier: standard\n",
        "intake.yaml",
        "tenant: Input should be a valid string",
    ),
    "string as pool list": ("tenant: hooli\ntier: standard\ngpu_pools: a100\n", "gpu_pools", "valid list"),
    "text as size": (
        "tenant: hooli\ntier: standard\ngpu_pools: [{name: l4s, instance_type: g6.xlarge, max_size: '2'}]\n",
        "gpu_pools.0.max_size",
        "valid integer",
    ),
    "bool as size": (
        "tenant: hooli\ntier: standard\ngpu_pools: [{name: l4s, instance_type: g6.xlarge, min_size: true}]\n",
        "gpu_pools.0.min_size",
        "valid integer",
    ),
    "stray pool key": (
        "tenant: hooli\ntier: standard\ngpu_pools: [{name: l4s, instance_type: g6.xlarge, gpus: 2}]\n",
        "gpu_pools.0.gpus: unknown field",
        "allowed: name, instance_type",
    ),
    "rotation beyond the maximum": (
        "tenant: hooli\ntier: standard\nsecrets: [{name: tok, rotation_days: 365}]\n",
        "landingzone:tenant.secrets.0.rotation_days",
        "less than or equal to 90",
    ),
    "not UTF-8": (b"tenant: \xff\xfe\xfa\n", "intake.yaml", "not valid YAML"),
}


@pytest.mark.parametrize("case", INTAKES)
def test_malformed_intake_is_refused_naming_file_and_field(
    case: str, run: Run, project: Path, tmp_path: Path, capsys
) -> None:
    content, where, what = INTAKES[case]
    intake = tmp_path / "intake.yaml"
    intake.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = digest(project)

    code, _ = run("onboard", "--from", str(intake))

    assert code == 2
    err = capsys.readouterr().err
    assert "intake.yaml" in err and where in err and what in err
    assert digest(project) == before


def test_bad_platform_defaults_are_refused(run: Run, project: Path, capsys) -> None:
    platform = project / "platform.yaml"
    platform.write_text(platform.read_text().replace('"111122223333"', "111122223333"))
    before = digest(project)

    code, _ = run("onboard", "--tenant", "hooli", "--tier", "standard")

    assert code == 2
    assert "platform.yaml" in capsys.readouterr().err
    assert digest(project) == before
