"""Benchmark `tenantctl check` as whole processes and write the figures to bench/RESULTS.md.

Measured, each in a fresh snapshot of the project (bench/fleet.py) so files edited meanwhile cannot
change the answer:
- one tenant: `tenantctl check --stack acme --no-cache` (interpreter start, imports, program
  recording, pack start-up and analysis, reports: what a PR build pays for one stack);
- fleets of N generated tenants (a third regulated): cold (`--all --no-cache`) and warm (`--all`
  again, unchanged inputs, answered from the cache).

Per scenario: median wall time over the runs, CPU time (user+sys of the whole process tree), peak
RSS of the largest single process (getrusage of the children) and of the whole tree (sampled from
/proc every 50 ms), resources checked per second. Targets from issue 11 on a 2-core machine: 100
tenants cold under 60 s; an unchanged fleet re-check under 2 s; CPU per tenant flat from 10 to 100;
peak RSS per worker under 250 MiB (the one-tenant target is bench/peer.py's ratio against checkov).

    .venv/bin/python bench/run.py                      # full run (slow: 100 tenants, 3 runs each)
    .venv/bin/python bench/run.py --sizes 10 --runs 1  # quick look

Long (about 370 lines) because it is a stand-alone script (run by path, with only bench/fleet.py beside
it) and carries the profiling notes (NOTES) it writes into RESULTS.md next to the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fleet import ROOT, copy_project, write_fleet

RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## tenantctl check: one tenant and the fleet"
TARGET_COLD_100_S, TARGET_WARM_S, TARGET_WORKER_RSS_MB = 60.0, 2.0, 250.0
SAMPLE_EVERY_S = 0.05
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

# Runs the command and reports the resource usage of its whole (waited-for) process tree.
WRAPPER = """
import json, resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}))
"""


@dataclass
class Sample:
    wall: float
    cpu: float
    code: int
    max_rss_kb: int
    tree_rss_kb: int
    resources: int = 0
    stacks: int = 0
    cached: int = 0


@dataclass
class Scenario:
    name: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(s, attribute) for s in self.samples)


# ---------------------------------------------------------------- measuring one process tree


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children[ppid].append(int(entry.name))
    return children


def _tree_rss_kb(root: int) -> int:
    children, total, todo = _children_map(), 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE_KB
        except (OSError, ValueError, IndexError):
            continue
    return total


def measure(command: list[str], report: Path | None = None) -> Sample:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", WRAPPER, *command], stdout=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            done.wait(SAMPLE_EVERY_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    usage = json.loads(stdout.strip().splitlines()[-1])
    result = Sample(wall, usage["cpu"], usage["code"], usage["maxrss_kb"], peak)
    if report is not None and report.exists():
        stacks = json.loads(report.read_text())["stacks"]
        result.stacks = len(stacks)
        result.resources = sum(s["counts"]["resources"] for s in stacks)
        result.cached = sum(1 for s in stacks if s.get("cached"))
    return result


def tenantctl(project: Path, *args: str, report: Path, jobs: int | None) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "tenantctl",
        "check",
        *args,
        "--project-dir",
        str(project),
        "--no-progress",
    ]
    command += ["--json", str(report)] + (["--jobs", str(jobs)] if jobs else [])
    return command


# ---------------------------------------------------------------- scenarios


def one_tenant(workdir: Path, runs: int, jobs: int | None) -> Scenario:
    project = copy_project(workdir / "one")
    (project / "stacks" / "Pulumi.acme.yaml").write_text((ROOT / "stacks" / "Pulumi.acme.yaml").read_text())
    scenario = Scenario("one tenant (acme), --no-cache")
    for _ in range(runs):
        report = workdir / "one.json"
        scenario.samples.append(
            measure(tenantctl(project, "--stack", "acme", "--no-cache", report=report, jobs=jobs), report)
        )
        print(f"  {scenario.name}: {scenario.samples[-1]}", flush=True)
    return scenario


def fleet(
    workdir: Path, tenants: int, runs: int, jobs: int | None, cold_runs: int
) -> tuple[Scenario, Scenario]:
    project = copy_project(workdir / f"fleet{tenants}")
    write_fleet(project, tenants)
    cold, warm = (
        Scenario(f"{tenants} tenants, cold (--no-cache)"),
        Scenario(f"{tenants} tenants, warm (cache)"),
    )
    report = workdir / f"fleet{tenants}.json"
    for _ in range(cold_runs):
        cold.samples.append(
            measure(tenantctl(project, "--all", "--no-cache", report=report, jobs=jobs), report)
        )
        print(f"  {cold.name}: {cold.samples[-1]}", flush=True)
    for _ in range(runs):
        warm.samples.append(measure(tenantctl(project, "--all", report=report, jobs=jobs), report))
        print(f"  {warm.name}: {warm.samples[-1]}", flush=True)
    return cold, warm


# ---------------------------------------------------------------- RESULTS.md


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _row(scenario: Scenario) -> str:
    walls = [s.wall for s in scenario.samples]
    fresh = statistics.median(
        s.resources * (1 - s.cached / s.stacks) if s.stacks else 0 for s in scenario.samples
    )
    per_second = f"{fresh / scenario.median('wall'):.0f}" if fresh else "n/a (cached)"
    cells = [
        scenario.name,
        str(len(walls)),
        f"**{scenario.median('wall'):.2f}**",
        f"{min(walls):.2f} to {max(walls):.2f}",
        f"{scenario.median('cpu'):.1f}",
        f"{scenario.median('cpu') / scenario.samples[0].stacks:.2f}" if scenario.samples[0].stacks else "n/a",
        f"{scenario.median('max_rss_kb') / 1024:.0f}",
        f"{scenario.median('tree_rss_kb') / 1024:.0f}",
        f"{scenario.median('resources'):.0f}",
        per_second,
        ",".join(sorted({str(s.code) for s in scenario.samples})),
    ]
    return "| " + " | ".join(cells) + " |"


def _verdict(value: float | None, target: float) -> str:
    if value is None:
        return "not measured in this run"
    return f"{'MET' if value < target else 'NOT MET'} ({value:.2f} s vs < {target:.0f} s)"


def _verdict_rss(largest_mb: float) -> str:
    met = "MET" if largest_mb < TARGET_WORKER_RSS_MB else "NOT MET"
    return f"{met} (largest process {largest_mb:.0f} MB vs < {TARGET_WORKER_RSS_MB:.0f} MB)"


def _median_wall(scenario: Scenario | None) -> float | None:
    return scenario.median("wall") if scenario else None


def render(scenarios: list[Scenario], context: dict[str, str]) -> str:
    by_name = {s.name: s for s in scenarios}
    warm = by_name.get("100 tenants, warm (cache)")
    warm_note = ""
    if warm is None:
        measured = [s for s in scenarios if "warm" in s.name]
        warm = max(measured, key=lambda s: s.median("wall")) if measured else None
        warm_note = f" (largest fleet measured: {warm.name})" if warm else ""
    lines = [
        SECTION,
        "",
        f"Measured {context['date']} on {context['machine']}; {context['python']}; "
        f"tenantctl {context['version']}.",
        f"Load average before/after: {context['load_before']} / {context['load_after']} "
        "(a shared machine: other jobs inflate wall times; CPU time is the steadier figure).",
        f"Policies at the time: {context['policies']}.",
        f"Reproduce: `{context['command']}` (`make bench` runs bench/run.py with its defaults).",
        "",
        "| scenario | runs | median wall s | range s | CPU s (tree) | CPU s per tenant "
        "| peak RSS MB (largest process) | peak RSS MB (tree) | resources | resources/s (checked) "
        "| exit codes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *(_row(s) for s in scenarios),
        "",
        "Targets (issue 11, 2 cores; the one-tenant target is the ratio against checkov, measured by "
        "bench/peer.py below):",
        "",
        "- 100 tenants cold under 60 s: "
        + _verdict(_median_wall(by_name.get("100 tenants, cold (--no-cache)")), TARGET_COLD_100_S),
        "- unchanged fleet re-check under 2 s: " + _verdict(_median_wall(warm), TARGET_WARM_S) + warm_note,
        "- peak RSS per worker under 250 MiB: "
        + _verdict_rss(max((s.median("max_rss_kb") for s in scenarios), default=0) / 1024),
        "",
    ]
    return "\n".join(lines) + "\n" + context.get("notes", "")


def write_results(text: str) -> None:
    """Replace this benchmark's section in RESULTS.md, keeping the sections other benchmarks write."""
    existing = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    start = existing.find(SECTION)
    if start < 0:
        updated = existing.rstrip("\n") + "\n\n" + text
    else:
        following = existing.find("\n## ", start + len(SECTION))
        tail = existing[following + 1 :] if following >= 0 else ""
        updated = existing[:start] + text + ("\n" + tail if tail else "")
    RESULTS.write_text(updated.rstrip("\n") + "\n")


NOTES = """Where the time goes (sampled profiles on the AMD EPYC host of earlier runs; the Intel Xeon host of
2026-12-02 runs every phase about twice as fast, 0.69-0.73 against 1.0-1.44 CPU-s per cold tenant):

- One tenant: the critical path is the gate's own process. Interpreter and imports ~0.8 s; recording
  the program ~2.6 s (of which ~1.6 s is loading pulumi_aws / pulumi_kubernetes even with resource
  modules loaded on first use and annotations deferred, tenantctl/provider_loading.py; the program's
  registrations ~0.7 s); the packs judge each resource as it is registered (tenantctl/request_stream.py),
  so only ~0.3-0.4 s of analysis and the stack policies remain after the program ends; reports ~0.15 s.
  The pack start-up (one zygote for both packs of a regulated tenant) runs on the other core meanwhile.
  bench/peer.py compares it with checkov on the same resources.
- Cold fleets: CPU per tenant is flat from 10 to 100 once the workers' one-time imports are paid. Per
  tenant on a warm worker: recording ~0.45-0.6 CPU-s (the SDK's own registration work: output
  resolution, serialization, stack traces for source positions), the packs' analysis ~0.25-0.33, pack
  fork and gRPC, classification and the worker's share of reports the rest. The cyclic garbage
  collector is paused while a stack is checked (tenantctl/collector.py). 60 s for 100 tenants on 2
  cores allows 1.2 CPU-s per tenant: met on a quiet host (37-55 s), missed on the slow hours of the
  shared AMD host (79 s at 1.44 CPU-s per tenant). The fleet is embarrassingly parallel, so it scales
  with cores (--jobs) and across machines (--shard K/N and `tenantctl merge`, the PR gate's matrix).
- Unchanged fleet (warm): reports, decision records and cache entries are written with orjson,
  records are checked with jsonschema-rs, results are converted without asdict's deep copies, and equal
  policy facts and source lines read back from the cache are shared (3.95 s -> 1.23 s on a quiet hour).
- CPU is the whole process tree's: zygotes reap the packs they fork and are waited for at exit, so
  the packs' CPU counts (earlier figures missed it).

What it deliberately does not do: reuse one pack server across tenants. A pack reads the stack's
config (tenant id, tier, CIDR, archive bucket) from PULUMI_CONFIG once, at start-up, exactly as under
the Pulumi CLI, and the analyzer protocol has no call to change it: a shared server would judge one
tenant with another tenant's config.
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10,50,100", help="fleet sizes (default 10,50,100)")
    parser.add_argument("--runs", type=int, default=3, help="runs per fleet scenario (default 3)")
    parser.add_argument(
        "--large-runs", type=int, default=None, help="cold runs for fleets of 100+ (default: --runs)"
    )
    parser.add_argument("--single-runs", type=int, default=5, help="runs of the one-tenant check (default 5)")
    parser.add_argument("--jobs", type=int, default=None, help="tenantctl --jobs (default: its own)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    context = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {_cpu_model()}",
        "python": f"CPython {platform.python_version()}",
        "load_before": " ".join(f"{v:.1f}" for v in os.getloadavg()),
        "notes": NOTES,
        "command": shlex.join([".venv/bin/python", "bench/run.py", *sys.argv[1:]]),
    }
    scenarios: list[Scenario] = []
    with tempfile.TemporaryDirectory(prefix="tenantctl-bench-") as tmp:
        workdir = Path(tmp)
        if args.single_runs:
            print("one tenant", flush=True)
            scenarios.append(one_tenant(workdir, args.single_runs, args.jobs))
        for size in sizes:
            print(f"fleet of {size}", flush=True)
            cold_runs = args.large_runs if size >= 100 and args.large_runs else args.runs
            scenarios.extend(fleet(workdir, size, args.runs, args.jobs, cold_runs))
        report = workdir / "one.json"
        policies = "n/a"
        if report.exists():
            acme = json.loads(report.read_text())["stacks"][0]
            policies = (
                f"{acme['counts']['policies']} in mlops-baseline {acme['packs'].get('mlops-baseline', '?')}"
            )
            context["version"] = json.loads(report.read_text())["tool"]["version"]
    context.setdefault("version", "?")
    context["policies"] = policies
    context["load_after"] = " ".join(f"{v:.1f}" for v in os.getloadavg())
    text = render(scenarios, context)
    print(text)
    if not args.no_write:
        write_results(text)
        print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
