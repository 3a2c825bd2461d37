"""Packs forked from the warm zygote are the same packs as spawned ones (tenantctl.pack_processes)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tenantctl import pack_processes
from tenantctl.analyzer import AnalyzerCrash, AnalyzerRequests, converse, pack_server
from tenantctl.program import ProgramRun, record_stack
from tests.tenantctl.conftest import make_project

REPO = Path(__file__).resolve().parents[2]
PACKS = REPO / "policy_packs"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def globex() -> ProgramRun:
    return record_stack(REPO, "globex")


def _answers(pack: str, run: ProgramRun, warm: bool) -> tuple[list, list]:
    with pack_server(PACKS / pack, run, warm=warm) as (stub, _engine):
        result, _info = converse(stub, AnalyzerRequests.build(run), lambda _names: None, pack)
    return (
        sorted((d.policy, d.urn, d.message, d.enforcement) for d in result.diagnostics),
        sorted((n.policy, n.urn, n.reason) for n in result.not_applicable),
    )


@pytest.mark.parametrize("pack", ["mlops-baseline", "mlops-regulated"])
def test_pass_a_forked_pack_answers_exactly_like_a_spawned_one(pack: str, globex: ProgramRun) -> None:
    try:
        assert _answers(pack, globex, warm=True) == _answers(pack, globex, warm=False)
    finally:
        pack_processes.close_zygotes()


def test_pass_a_second_stack_reuses_the_zygote_and_the_first_pack_is_gone(globex: ProgramRun) -> None:
    try:
        with pack_server(PACKS / "mlops-baseline", globex, warm=True) as _first:
            zygotes = [z for z in pack_processes._ZYGOTES.values() if z is not None]
            assert len(zygotes) == 1
            forked = [pid for pid in _children_of(zygotes[0]._process.pid) if _alive(pid)]
            assert len(forked) == 1, "the first stack's pack is a child of the zygote"
        with pack_server(PACKS / "mlops-baseline", globex, warm=True) as _second:
            assert [z for z in pack_processes._ZYGOTES.values() if z is not None] == zygotes
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in forked) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in forked), "a forked pack outlived its stack"
    finally:
        pack_processes.close_zygotes()


def test_fail_a_pack_that_crashes_on_start_reports_the_same_error_forked_or_spawned(
    tmp_path: Path, globex: ProgramRun
) -> None:
    project = make_project(tmp_path / "project", "")
    folder = project.pack("mlops-baseline", "raise RuntimeError('the pack is broken on purpose')\n")
    messages = []
    try:
        for warm in (True, False):
            with pytest.raises(AnalyzerCrash) as crashed, pack_server(folder, globex, warm=warm):
                pass
            messages.append(str(crashed.value))
    finally:
        pack_processes.close_zygotes()
    assert "RuntimeError: the pack is broken on purpose" in messages[0]
    assert messages[0] == messages[1]


def test_pass_without_a_usable_zygote_the_pack_is_spawned(globex: ProgramRun, monkeypatch) -> None:
    monkeypatch.setattr(pack_processes, "ZYGOTE_SCRIPT", Path("/nonexistent/pack_zygote.py"))
    try:
        with pack_server(PACKS / "mlops-baseline", globex, warm=True) as (stub, _engine):
            assert stub is not None
        assert list(pack_processes._ZYGOTES.values()) == [None]
    finally:
        pack_processes.close_zygotes()


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_pass_source_pack_folders_share_one_zygote_and_each_pack_runs_in_its_own_folder(
    globex: ProgramRun,
) -> None:
    # Neither folder holds a module of its own, so both resolve their imports alike: one warm-up.
    try:
        served = []
        for pack in ("mlops-baseline", "mlops-regulated"):
            with pack_server(PACKS / pack, globex, warm=True) as (stub, _engine):
                result, _info = converse(stub, AnalyzerRequests.build(globex), lambda _names: None, pack)
                served.append((result.pack, len(result.policies)))
        assert len([z for z in pack_processes._ZYGOTES.values() if z is not None]) == 1
        assert [pack for pack, _count in served] == ["mlops-baseline", "mlops-regulated"]
        assert served[0][1] != served[1][1]
    finally:
        pack_processes.close_zygotes()


def test_fail_a_pack_folder_with_modules_of_its_own_gets_its_own_zygote(tmp_path: Path) -> None:
    vendored = tmp_path / "built-pack"
    (vendored / "mlops_policies").mkdir(parents=True)
    (vendored / "__main__.py").write_text("from mlops_policies.packs import build_pack\n")
    plain = tmp_path / "source-pack"
    plain.mkdir()
    (plain / "__main__.py").write_text("from mlops_policies.packs import build_pack\n")
    (plain / "PulumiPolicy.yaml").write_text("runtime: python\n")
    helper = tmp_path / "with-helper"
    helper.mkdir()
    (helper / "__main__.py").write_text("import rules\n")
    (helper / "rules.py").write_text("")
    assert pack_processes.imports_like_any_folder(plain)
    assert not pack_processes.imports_like_any_folder(vendored)
    assert not pack_processes.imports_like_any_folder(helper)
    assert pack_processes._key("py", plain)[2] is None
    assert pack_processes._key("py", vendored)[2] == vendored.resolve()
