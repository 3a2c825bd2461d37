"""The collector is paused while a stack is checked, then collects or freezes (tenantctl.collector)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tenantctl import collector, worker
from tenantctl.check import CheckOptions, StackResult


class Node:
    pass


def cycle() -> None:
    node = Node()
    node.self = node  # type: ignore[attr-defined]


def nodes() -> list[Node]:
    """The Node objects the collector still tracks (frozen ones are not listed)."""
    return [o for o in gc.get_objects() if type(o) is Node]


@pytest.fixture(autouse=True)
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(collector, "_frozen", False)
    gc.collect()
    yield
    gc.unfreeze()
    gc.collect()


@pytest.mark.parametrize("follows", [True, False])
def test_pass_the_collector_is_off_inside_and_back_on_after(follows: bool) -> None:
    with collector.paused(another_stack_follows=follows):
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pass_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused(another_stack_follows=True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pass_the_collector_is_back_on_when_the_check_raises() -> None:
    with pytest.raises(RuntimeError), collector.paused(another_stack_follows=False):
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_pass_before_another_stack_cycles_are_freed_and_survivors_frozen_after_the_first_only() -> None:
    with collector.paused(another_stack_follows=True):
        cycle()
    assert nodes() == []
    frozen_after_first = gc.get_freeze_count()

    survivor = Node()  # alive at the second collection: must stay collectable later
    with collector.paused(another_stack_follows=True):
        cycle()

    assert frozen_after_first > 0 and gc.get_freeze_count() == frozen_after_first
    assert nodes() == [survivor]


def test_pass_after_the_last_stack_nothing_is_collected_and_what_is_left_is_frozen() -> None:
    frozen_before = gc.get_freeze_count()
    with collector.paused(another_stack_follows=False):
        cycle()

    assert nodes() == []  # not freed: frozen, out of every later collection
    assert gc.get_freeze_count() > frozen_before
    gc.unfreeze()
    assert len(nodes()) == 1


def test_pass_each_stack_of_a_fleet_is_checked_paused_and_only_the_last_one_is_not_followed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, bool]] = []
    follows: list[bool] = []
    real_paused = collector.paused

    def check(stack: str, _options: CheckOptions) -> StackResult:
        seen.append((stack, gc.isenabled()))
        return StackResult(stack=stack)

    def paused(*, another_stack_follows: bool):  # type: ignore[no-untyped-def]
        follows.append(another_stack_follows)
        return real_paused(another_stack_follows=another_stack_follows)

    monkeypatch.setattr(worker, "check_stack", check)
    monkeypatch.setattr(collector, "paused", paused)
    options = CheckOptions(project_dir=Path("."), packs_dir=Path("."))

    in_process = worker._check_in_process(["a", "b", "c"], options, on_result=None)
    in_worker = worker._check_in_worker("d", options)

    assert [r.stack for r in in_process] + [in_worker.stack] == ["a", "b", "c", "d"]
    assert seen == [("a", False), ("b", False), ("c", False), ("d", False)]
    # A worker's next task may be another stack; a one-process run ends after its last.
    assert follows == [True, True, False, True]
    assert gc.isenabled()
