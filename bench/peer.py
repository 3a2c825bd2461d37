"""`tenantctl check` against checkov on the same tenants, side by side, in one run.

For each example stack: the stack's AWS resources are exported to a Terraform plan JSON of our own
making (bench/tfplan.py), then `tenantctl check --stack X --no-cache` (the whole gate: program recording,
both packs over gRPC, reports) and `checkov -f plan.json --framework terraform_plan` are timed as whole
processes, alternating A/B (and which goes first) run by run. Reported: median wall and CPU seconds,
the ratio tenantctl/checkov, peak RSS of the largest process, and the verdicts both tools give on the
controls both cover. checkov lives in its own venv (.bench-venv, pinned below), never in the product's.

    .venv/bin/python bench/peer.py                 # 5 A/B runs per stack, writes bench/RESULTS.md
    .venv/bin/python bench/peer.py --runs 1 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import RESULTS, ROOT, Sample, measure
from tfplan import plan

CHECKOV = "checkov==3.3.30"
PEER_VENV = Path(os.environ.get("PEER_VENV", ROOT / ".bench-venv"))
SECTION = "## Against checkov: one tenant, same resources, same run"
TARGET_RATIO = 0.75
NOTE = (
    "CPU is each tool's whole process tree (tenantctl's includes its packs, which its zygote reaps). Wall "
    "times on this shared machine vary by about 10% from run to run, so a ratio near the target moves "
    "across it between runs."
)
STACKS = ("acme", "globex", "initech")

# checkov checks that judge what one of our controls judges, on resource types both tools see.
SHARED_CHECKS = {
    "CKV_AWS_7": "SEC-01",  # KMS key rotation
    "CKV_AWS_149": "SEC-02",  # Secrets Manager secret under a customer-managed key
    "CKV_AWS_51": "PROV-02",  # ECR tags immutable
    "CKV_AWS_163": "PROV-03",  # ECR scan on push
    "CKV_AWS_39": "DATA-08",  # EKS endpoint not public
    "CKV_AWS_37": "AUD-05",  # EKS control-plane logging
    "CKV_AWS_58": "DATA-04",  # EKS secrets encryption
    "CKV_AWS_67": "AUD-01",  # CloudTrail in every region
    "CKV_AWS_36": "AUD-01",  # CloudTrail log file validation
    "CKV_AWS_35": "AUD-01",  # CloudTrail encrypted with KMS
    "CKV_AWS_158": "AUD-04",  # log group encrypted with KMS
    "CKV_AWS_79": "GPU-05",  # IMDSv2 on launch templates
}


def peer_checkov() -> Path:
    binary = PEER_VENV / "bin" / "checkov"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "--quiet", CHECKOV], check=True)
    return binary


def export_plans(directory: Path) -> dict[str, Path]:
    from tenantctl.program import record_stack

    plans = {}
    for stack in STACKS:
        run = record_stack(ROOT, stack, preview=False)
        path = directory / f"{stack}.tfplan.json"
        path.write_text(json.dumps(plan(run.resources), default=str))
        plans[stack] = path
    return plans


def gate_command(stack: str, report: Path) -> list[str]:
    return [sys.executable, "-m", "tenantctl", "check", "--stack", stack, "--no-cache", "--json", str(report)]


def checkov_command(binary: Path, plan_file: Path, report_dir: Path) -> list[str]:
    return [
        str(binary), "-f", str(plan_file), "--framework", "terraform_plan", "--compact",
        "--skip-download", "-o", "json", "--output-file-path", str(report_dir),
    ]  # fmt: skip


def checkov_verdicts(report_dir: Path) -> dict[str, str]:
    """check id -> pass/fail (fail if any resource fails it) for the shared checks checkov ran."""
    report = json.loads((report_dir / "results_json.json").read_text())
    results = report.get("results", {}) if isinstance(report, dict) else {}
    verdicts: dict[str, str] = {}
    for outcome, key in (("pass", "passed_checks"), ("fail", "failed_checks")):
        for check in results.get(key, []):
            if check["check_id"] in SHARED_CHECKS and verdicts.get(check["check_id"]) != "fail":
                verdicts[check["check_id"]] = outcome
    return verdicts


def gate_verdicts(report: Path) -> dict[str, str]:
    """control id -> pass/fail (fail if any mandatory violation of the control) for the shared controls."""
    stack = json.loads(report.read_text())["stacks"][0]
    failing = {
        f["control"]
        for f in stack["findings"]
        if f["kind"] == "violation" and f["enforcement"] == "mandatory"
    }
    return {control: ("fail" if control in failing else "pass") for control in set(SHARED_CHECKS.values())}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    binary = peer_checkov()
    load_before = os.getloadavg()
    rows, verdict_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        plans = export_plans(directory)
        samples: dict[tuple[str, str], list[Sample]] = {}
        for index in range(args.runs):
            for stack in STACKS:
                gate_report, peer_dir = directory / f"{stack}.gate.json", directory / f"{stack}-checkov"
                jobs = [
                    ("tenantctl", gate_command(stack, gate_report)),
                    ("checkov", checkov_command(binary, plans[stack], peer_dir)),
                ]
                for tool, command in jobs if index % 2 == 0 else reversed(jobs):
                    samples.setdefault((stack, tool), []).append(measure(command))
        for stack in STACKS:
            gate, peer = samples[stack, "tenantctl"], samples[stack, "checkov"]
            gate_wall = statistics.median(s.wall for s in gate)
            peer_wall = statistics.median(s.wall for s in peer)
            resources = len(
                json.loads(plans[stack].read_text())["planned_values"]["root_module"]["resources"]
            )
            rows.append(
                (stack, resources, gate_wall, peer_wall, gate_wall / peer_wall,
                 statistics.median(s.cpu for s in gate), statistics.median(s.cpu for s in peer),
                 max(s.max_rss_kb for s in gate) // 1024, max(s.max_rss_kb for s in peer) // 1024,
                 sorted({s.code for s in gate}), sorted({s.code for s in peer}))
            )  # fmt: skip
            ours = gate_verdicts(directory / f"{stack}.gate.json")
            theirs = checkov_verdicts(directory / f"{stack}-checkov")
            for check, control in sorted(SHARED_CHECKS.items()):
                verdict_rows.append((stack, check, theirs.get(check, "not run"), control, ours[control]))
    text = render(rows, verdict_rows, args.runs, load_before, os.getloadavg())
    print(text)
    if not args.no_write:
        write_section(text)


def render(rows, verdict_rows, runs, load_before, load_after) -> str:  # type: ignore[no-untyped-def]
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SECTION,
        "",
        f"Measured {now} on {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
        f"CPython {platform.python_version()}, {CHECKOV}; {runs} alternating A/B runs per stack.",
        f"Load average before/after: {' '.join(f'{x:.1f}' for x in load_before)} / "
        f"{' '.join(f'{x:.1f}' for x in load_after)}.",
        "Reproduce: `make bench` (or `.venv/bin/python bench/peer.py`).",
        "",
        "| stack | AWS resources | tenantctl median s | checkov median s | ratio | tenantctl CPU s | "
        "checkov CPU s | tenantctl peak RSS MB | checkov peak RSS MB | exit codes (ours / checkov) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for stack, n, gw, pw, ratio, gc, pc, grss, prss, gcodes, pcodes in rows:
        mark = "met" if ratio <= TARGET_RATIO else "NOT met"
        lines.append(
            f"| {stack} | {n} | {gw:.2f} | {pw:.2f} | **{ratio:.2f}** ({mark}) | {gc:.2f} | {pc:.2f} | "
            f"{grss} | {prss} | {gcodes} / {pcodes} |"
        )
    lines += [
        "",
        f"Target: ratio at most {TARGET_RATIO} (tenantctl judges the Kubernetes resources too; checkov sees "
        "only the exported AWS resources).",
        "",
        NOTE,
        "",
        "Verdicts on the controls both tools cover (checkov: fail when any resource fails the check):",
        "",
        "| stack | checkov check | checkov | our control | tenantctl |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {s} | {c} | {v} | {ctl} | {ours} |" for s, c, v, ctl, ours in verdict_rows]
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if SECTION in current:
        head, _, rest = current.partition(SECTION)
        tail = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        current = head + text + ("\n" + tail if tail else "")
    else:
        current = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(current)


if __name__ == "__main__":
    main()
