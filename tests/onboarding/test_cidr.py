"""CIDR allocation: lowest free pool block first, gaps reused, a full pool and broken neighbours refused."""

from __future__ import annotations

from pathlib import Path

from landingzone.config import load_stack
from tests.onboarding.conftest import Run, digest


def _cidr(project: Path, stack: str) -> str:
    return load_stack(project, stack).tenant.network.cidr


def _small_pool(project: Path, pool: str = "10.0.0.0/14") -> None:
    platform = project / "platform.yaml"
    platform.write_text(platform.read_text().replace("pool: 10.0.0.0/8", f"pool: {pool}"))


def test_allocation_fills_gaps_lowest_first(run: Run, project: Path) -> None:
    (project / "stacks" / "Pulumi.globex.yaml").unlink()  # leaves 10.1 and 10.3: gaps at 10.0 and 10.2

    for tenant in ("first", "second", "third"):
        assert run("onboard", "--tenant", tenant, "--tier", "standard")[0] == 0

    assert [_cidr(project, t) for t in ("first", "second", "third")] == [
        "10.0.0.0/16",
        "10.2.0.0/16",
        "10.4.0.0/16",
    ]
    assert run("validate", "--all")[0] == 0


def test_a_smaller_block_inside_a_pool_block_makes_it_taken(run: Run, project: Path) -> None:
    stack = project / "stacks" / "Pulumi.initech.yaml"
    stack.write_text(stack.read_text().replace("cidr: 10.3.0.0/16", "cidr: 10.0.16.0/20"))

    assert run("onboard", "--tenant", "hooli", "--tier", "standard")[0] == 0

    assert _cidr(project, "hooli") == "10.3.0.0/16"


def test_full_pool_is_refused_and_nothing_written(run: Run, project: Path, capsys) -> None:
    _small_pool(project)  # four /16 blocks; the example stacks hold 10.1-10.3
    assert run("onboard", "--tenant", "last", "--tier", "standard")[0] == 0
    assert _cidr(project, "last") == "10.0.0.0/16"
    before = digest(project)

    code, _ = run("onboard", "--tenant", "toomany", "--tier", "standard")

    assert code == 2
    assert "10.0.0.0/14 has no free /16 block left" in capsys.readouterr().err
    assert digest(project) == before


def test_stacks_outside_the_pool_do_not_use_it_up(run: Run, project: Path) -> None:
    _small_pool(project, "10.8.0.0/15")

    assert run("onboard", "--tenant", "hooli", "--tier", "standard")[0] == 0
    assert run("onboard", "--tenant", "hooli2", "--tier", "standard")[0] == 0

    assert [_cidr(project, "hooli"), _cidr(project, "hooli2")] == ["10.8.0.0/16", "10.9.0.0/16"]


def test_an_unreadable_stack_blocks_allocation(run: Run, project: Path, capsys) -> None:
    (project / "stacks" / "Pulumi.broken.yaml").write_text("config: [this is: not a mapping\n")
    (project / "stacks" / "Pulumi.nocidr.yaml").write_text("config:\n  landingzone:tenant: {id: nocidr}\n")
    before = digest(project)

    code, _ = run("onboard", "--tenant", "hooli", "--tier", "standard")

    assert code == 2
    err = capsys.readouterr().err
    assert "stacks/Pulumi.broken.yaml: cannot read its tenant id and network.cidr" in err
    assert "stacks/Pulumi.nocidr.yaml: cannot read its tenant id and network.cidr" in err
    assert digest(project) == before
