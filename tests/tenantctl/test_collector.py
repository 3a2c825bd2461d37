"""The collector is paused while a stack is checked and settled between stacks (tenantctl.collector)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tenantctl import collector, worker
from tenantctl.check import CheckOptions, StackResult


def test_pass_paused_turns_the_collector_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pass_paused_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pass_paused_turns_the_collector_back_on_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_pass_settle_frees_cycles_and_freezes_the_survivors_of_the_first_stack_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Node:
        pass

    def cycle() -> None:
        node = Node()
        node.self = node  # type: ignore[attr-defined]

    monkeypatch.setattr(collector, "_frozen", False)
    try:
        with collector.paused():
            cycle()
            collector.settle()
            assert not any(type(o) is Node for o in gc.get_objects())
            after_first = gc.get_freeze_count()
            survivor = Node()  # alive at the second settle: must stay collectable later
            cycle()
            collector.settle()
            assert not any(type(o) is Node and o is not survivor for o in gc.get_objects())
            assert after_first > 0 and gc.get_freeze_count() == after_first
            assert any(o is survivor for o in gc.get_objects())  # tracked, so not frozen
    finally:
        gc.unfreeze()


def test_pass_each_stack_of_a_fleet_is_checked_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, bool]] = []
    settled: list[str] = []

    def check(stack: str, _options: CheckOptions) -> StackResult:
        seen.append((stack, gc.isenabled()))
        return StackResult(stack=stack)

    monkeypatch.setattr(worker, "check_stack", check)
    monkeypatch.setattr(collector, "settle", lambda: settled.append(seen[-1][0]))
    options = CheckOptions(project_dir=Path("."), packs_dir=Path("."))

    in_process = worker._check_in_process(["a", "b", "c"], options, on_result=None)
    in_worker = worker._check_in_worker("d", options)

    assert [r.stack for r in in_process] + [in_worker.stack] == ["a", "b", "c", "d"]
    assert seen == [("a", False), ("b", False), ("c", False), ("d", False)]
    # Between stacks of one process, and after each in a worker (its next task is another stack);
    # not after the last stack of a one-process run, which ends the check.
    assert settled == ["a", "b", "d"]
    assert gc.isenabled()
