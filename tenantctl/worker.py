"""Check many stacks: the cache first, then worker processes for what is left, with a progress bar.

Why processes: recording a program mutates the Pulumi SDK's process-wide runtime state, and a
program run is CPU-bound Python, so threads would neither isolate nor speed anything up. Each worker
process checks its stacks one after the other (the SDK's config is replaced, not merged, per run) and
pays the SDK and provider-module imports once, not once per stack. Workers are spawned, not forked:
the parent may hold gRPC state and a progress thread, neither of which survives a fork safely.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import yaml

from tenantctl import cache, collector
from tenantctl.check import CRASH, CheckOptions, StackResult, check_stack, quiet_program_noise

Progress = Callable[[StackResult], None]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def all_stacks(project_dir: Path) -> list[str]:
    return sorted(
        p.name[len("Pulumi.") : -len(".yaml")] for p in (project_dir / "stacks").glob("Pulumi.*.yaml")
    )


@dataclass(frozen=True)
class FleetPlan:
    """Which stacks are answered from the cache and which must run, decided before any work starts."""

    cached: dict[str, StackResult]
    to_check: list[str]
    keys: dict[str, str]


def plan_fleet(
    stacks: Sequence[str], options: CheckOptions, policy_config_text: str, use_cache: bool, strict: bool
) -> FleetPlan:
    shared = cache.shared_key(options.project_dir, options.packs_dir, policy_config_text)
    keys = {stack: cache.stack_key(shared, options.project_dir, stack) for stack in stacks}
    cached: dict[str, StackResult] = {}
    for stack in stacks:
        hit = cache.cached_clean(options.project_dir, stack, keys[stack], strict) if use_cache else None
        if hit is not None:
            cached[stack] = hit
    return FleetPlan(cached, [s for s in stacks if s not in cached], keys)


def run_fleet(
    stacks: Sequence[str],
    options: CheckOptions,
    *,
    policy_config_text: str = "",
    jobs: int = 0,
    use_cache: bool = True,
    strict: bool = False,
    on_result: Progress | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> list[StackResult]:
    """Check `stacks` (in this order in the answer); every fresh result is written to the cache."""
    plan = plan_fleet(stacks, options, policy_config_text, use_cache, strict)
    if on_start is not None:
        on_start(len(plan.to_check), len(plan.cached))
    results: dict[str, StackResult] = dict(plan.cached)
    for result in plan.cached.values():
        if on_result is not None:
            on_result(result)
    jobs = min(jobs or default_jobs(), len(plan.to_check))
    fresh = _check_in_process(plan.to_check, options, on_result) if jobs <= 1 else None
    if fresh is None:
        fresh = _check_in_workers(
            _largest_first(plan.to_check, options.project_dir), options, jobs, on_result
        )
    for result in fresh:
        cache.store(options.project_dir, plan.keys[result.stack], result)
        results[result.stack] = result
    # Entries of deleted stacks would otherwise stay forever (and show up in `tenantctl tenants`).
    cache.prune(options.project_dir, all_stacks(options.project_dir))
    return [results[stack] for stack in stacks]


def _check_in_process(
    stacks: list[str], options: CheckOptions, on_result: Progress | None
) -> list[StackResult]:
    fresh = []
    for index, stack in enumerate(stacks):
        with collector.paused(another_stack_follows=index + 1 < len(stacks)):
            result = check_stack(stack, options)
        fresh.append(result)
        if on_result is not None:
            on_result(result)
    return fresh


def _largest_first(stacks: list[str], project_dir: Path) -> list[str]:
    """Regulated stacks run two packs: starting them first keeps the last worker from idling alone."""

    def weight(stack: str) -> int:
        try:
            document = yaml.safe_load((project_dir / "stacks" / f"Pulumi.{stack}.yaml").read_text()) or {}
            tenant = (document.get("config") or {}).get("landingzone:tenant") or {}
            return 0 if tenant.get("tier") == "standard" else -1
        except (OSError, yaml.YAMLError, AttributeError):
            return 0

    return sorted(stacks, key=weight)


def _worker_init() -> None:
    quiet_program_noise()


def _check_in_worker(stack: str, options: CheckOptions) -> StackResult:
    # A worker's next task is another stack, or nothing (its process then ends either way).
    with collector.paused(another_stack_follows=True):
        return check_stack(stack, options)


def _check_in_workers(
    stacks: list[str], options: CheckOptions, jobs: int, on_result: Progress | None
) -> list[StackResult]:
    context = multiprocessing.get_context("spawn")
    fresh: list[StackResult] = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init) as pool:
        futures: dict[Future[StackResult], str] = {
            pool.submit(_check_in_worker, stack, options): stack for stack in stacks
        }
        for future in as_completed(futures):
            stack = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool as err:
                # A worker died (killed, out of memory, a crash in native code): fail closed.
                result = StackResult(
                    stack=stack, status=CRASH, error=f"the worker checking {stack} died: {err}"
                )
            except Exception as err:  # noqa: BLE001 - e.g. an unpicklable result: still fail closed
                result = StackResult(stack=stack, status=CRASH, error=f"{type(err).__name__}: {err}")
            fresh.append(result)
            if on_result is not None:
                on_result(result)
    return fresh
