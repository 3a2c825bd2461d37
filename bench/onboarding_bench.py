"""How long `tenantctl validate` takes on a fleet of 200 generated stacks (target: under 5 s).

Timed here, not in the test suite (the suite has no timed tests): in-process (read + model + fleet
invariants + terminal output, best of 5) and end to end (a fresh `python -m tenantctl.onboarding
validate --all`, interpreter start-up and imports included). Prints the figures and writes them to
bench/RESULTS.md under its own heading, replacing that section on every run.

    .venv/bin/python bench/onboarding_bench.py [--stacks 200]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402

from tenantctl.onboarding import validate_fleet  # noqa: E402
from tenantctl.onboarding.views import print_validation  # noqa: E402
from tests.onboarding.conftest import copy_project  # noqa: E402
from tests.onboarding.fleetgen import write_fleet  # noqa: E402

HEADING = "## Onboarding: fleet validation"
TARGET_S = 5.0
RESULTS = ROOT / "bench" / "RESULTS.md"


def in_process(project: Path, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        report = validate_fleet(project)
        print_validation(report, Console(file=io.StringIO(), width=200))
        best = min(best, time.perf_counter() - start)
        assert report.ok, [r.problems for r in report.stacks if r.problems]
    return best


def end_to_end(project: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tenantctl.onboarding", "validate", "--all", "--project-dir", str(project)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def section(count: int, inside: float, whole: float) -> str:
    verdict = "meets" if whole < TARGET_S else "MISSES"
    load = os.getloadavg()[0]  # shared machines: a busy one explains a slow figure
    return (
        f"{HEADING}\n\n"
        f"`tenantctl validate --all` over {count} generated stacks (`bench/onboarding_bench.py`; "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load:.1f}):\n\n"
        "| measure | seconds |\n|---|---|\n"
        f"| in-process: read, model, fleet invariants, output (best of 5) | {inside:.2f} |\n"
        f"| end to end: fresh interpreter, imports included | {whole:.2f} |\n\n"
        f"Target: under {TARGET_S:.0f} s end to end; this run {verdict} it.\n"
    )


def replace_section(text: str, new: str) -> str:
    """`text` with our section replaced (or appended); every other section is left exactly as it was."""
    lines = text.splitlines(keepends=True)
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == HEADING)
    except StopIteration:
        return text + ("\n" if text and not text.endswith("\n\n") else "") + new
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + new + ("\n" + tail if tail else "")


def record(new: str) -> None:
    # Another bench writes its own section of this file: read-modify-write, published atomically.
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    temp = RESULTS.with_name(f".{RESULTS.name}.{os.getpid()}.tmp")
    temp.write_text(replace_section(current, new))
    os.replace(temp, RESULTS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "project")
        for stack in (project / "stacks").iterdir():
            stack.unlink()
        write_fleet(project, args.stacks)
        inside, whole = in_process(project), end_to_end(project)
    print(f"validate {args.stacks} stacks: in-process {inside:.2f} s, end to end {whole:.2f} s")
    record(section(args.stacks, inside, whole))
    return 0 if whole < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
