"""Concurrent onboarding: the lock serialises allocate-and-write, the write never clobbers a file."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from landingzone.config import load_stack
from tenantctl.onboarding import OnboardRequest, Refusal, onboard
from tenantctl.onboarding.writer import fleet_lock, write_new
from tests.onboarding.conftest import Run


def _onboard_after_barrier(project: str, tenant: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    barrier.wait()  # every process leaves the barrier together: they all read the same fleet first
    try:
        draft = onboard(OnboardRequest(tenant=tenant, tier="standard"), Path(project), "test")
        results.put((tenant, draft.settings.tenant.network.cidr))
    except Refusal as refusal:
        results.put((tenant, f"refused: {refusal}"))


def _race(project: Path, tenants: list[str]) -> list[tuple[str, str]]:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(tenants)), context.Queue()
    processes = [
        context.Process(target=_onboard_after_barrier, args=(str(project), t, barrier, results))
        for t in tenants
    ]
    for process in processes:
        process.start()
    outcome = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return outcome


def test_concurrent_onboarding_allocates_distinct_blocks(run: Run, project: Path) -> None:
    tenants = ["alpha", "bravo", "charlie", "delta"]

    outcome = dict(_race(project, tenants))

    assert sorted(outcome.values()) == ["10.0.0.0/16", "10.4.0.0/16", "10.5.0.0/16", "10.6.0.0/16"], outcome
    assert {t: load_stack(project, t).tenant.network.cidr for t in tenants} == outcome
    assert run("validate", "--all")[0] == 0


def test_concurrent_onboarding_of_one_id_writes_it_once(run: Run, project: Path) -> None:
    (_, first), (_, second) = _race(project, ["same", "same"])

    assert first == "10.0.0.0/16"
    assert second.startswith("refused:") and "tenant 'same' already exists" in second
    assert load_stack(project, "same").tenant.network.cidr == "10.0.0.0/16"
    assert sorted(p.name for p in (project / "stacks").iterdir() if p.name.startswith(".Pulumi")) == []
    assert run("validate", "--all")[0] == 0


def test_fleet_is_read_again_under_the_lock(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another onboarding lands between the lock-free first pass and the lock: its block is not reused."""
    stacks = project / "stacks"
    real_lock = fleet_lock

    def lock_after_a_rival_landed(stacks_dir: Path):  # type: ignore[no-untyped-def]
        rival = (stacks / "Pulumi.acme.yaml").read_text().replace("acme", "rival")
        (stacks / "Pulumi.rival.yaml").write_text(rival.replace("10.1.0.0/16", "10.0.0.0/16"))
        return real_lock(stacks_dir)

    monkeypatch.setattr("tenantctl.onboarding.flow.fleet_lock", lock_after_a_rival_landed)

    draft = onboard(OnboardRequest(tenant="hooli", tier="standard"), project, "test")

    assert draft.settings.tenant.network.cidr == "10.4.0.0/16"
    assert load_stack(project, "hooli").tenant.network.cidr == "10.4.0.0/16"


def test_write_new_never_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "Pulumi.acme.yaml"
    target.write_text("original\n")

    with pytest.raises(Refusal, match="already exists"):
        write_new(target, "replacement\n")

    assert target.read_text() == "original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Pulumi.acme.yaml"]  # the temp file is gone too


def test_write_new_creates_the_complete_file(tmp_path: Path) -> None:
    target = tmp_path / "Pulumi.new.yaml"

    write_new(target, "config: {}\n")

    assert target.read_text() == "config: {}\n"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == ["Pulumi.new.yaml"]


def test_a_held_lock_times_out_with_a_refusal(tmp_path: Path) -> None:
    # flock locks belong to an open file description, so a second open in this process contends too.
    with fleet_lock(tmp_path), pytest.raises(Refusal, match="another onboarding"), fleet_lock(tmp_path, 0):
        pass
