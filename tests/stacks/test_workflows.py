"""The workflows parse, name real actions and inputs, and match the deploy path and the gate.

actionlint cannot be installed here (its PyPI wrapper downloads the binary at build time), so the
structure is checked from the parsed YAML: what each job runs, where, with which credentials.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from landingzone.parts import AWS_PROJECT, KUBERNETES_PROJECT
from tenantctl.cli import build_parser

PROJECT = Path(__file__).resolve().parents[2]
WORKFLOWS = PROJECT / ".github" / "workflows"
# Actions the workflows may use, with the inputs each one declares (from their action.yml).
ACTIONS: dict[str, set[str]] = {
    "actions/checkout@v4": {"fetch-depth", "persist-credentials"},
    "actions/setup-python@v5": {"python-version", "cache", "cache-dependency-path"},
    "actions/upload-artifact@v4": {
        "name",
        "path",
        "if-no-files-found",
        "include-hidden-files",
        "retention-days",
    },
    "actions/download-artifact@v4": {"name", "path", "pattern", "merge-multiple"},
    "aws-actions/configure-aws-credentials@v4": {"role-to-assume", "role-session-name", "aws-region"},
    "pulumi/actions@v6": {"pulumi-version", "command", "stack-name", "work-dir", "policyPacks"},
    "github/codeql-action/upload-sarif@v3": {"sarif_file", "category"},
    "marocchino/sticky-pull-request-comment@v2": {"header", "path"},
}


def load(name: str) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    document["on"] = document.pop(True)
    return document


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def scripts(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def pulumi_commands(script: str) -> list[list[str]]:
    joined = script.replace("\\\n", " ")
    return [shlex.split(line.strip()) for line in joined.splitlines() if line.strip().startswith("pulumi ")]


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_step_uses_a_known_action_with_inputs_it_declares(name):
    for job_name, job in load(name)["jobs"].items():
        for step in steps(job):
            if "uses" in step:
                assert step["uses"] in ACTIONS, f"{name}:{job_name} uses {step['uses']}"
                assert set(step.get("with", {})) <= ACTIONS[step["uses"]], f"{name}:{job_name} {step['uses']}"
            else:
                assert "run" in step


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_expression_names_a_context_the_workflow_has(name):
    text = (WORKFLOWS / name).read_text()
    document = load(name)
    declared_inputs = set((document["on"].get("workflow_dispatch") or {}).get("inputs") or {})
    for expression in re.findall(r"\$\{\{(.*?)\}\}", text):
        for inp in re.findall(r"\binputs\.([A-Za-z_-]+)", expression):
            assert inp in declared_inputs, f"{name}: inputs.{inp}"
        for job in re.findall(r"\bneeds\.([A-Za-z_-]+)\.", expression):
            assert job in document["jobs"], f"{name}: needs.{job}"


def test_the_pr_gate_validates_the_fleet_checks_shards_strictly_and_gates_on_the_merge():
    jobs = load("pr-gate.yml")["jobs"]
    assert ".venv/bin/tenantctl validate --all" in scripts(jobs["validate"])
    script = scripts(jobs["check"])
    check = next(line for line in script.splitlines() if "tenantctl check" in line)
    flags = script[script.index(check) :]
    assert "--strict" in flags and "--no-cache" in flags
    assert "--shard" in check and "--changed-since" in check
    for job in jobs.values():
        assert "id-token" not in str(job.get("permissions", {}))
    # The merge job gates: it needs every shard and the fleet validation, and runs even when they fail.
    assert set(jobs["report"]["needs"]) == {"validate", "check"}
    assert jobs["report"]["if"] == "always()"
    gate = scripts(jobs["report"])
    assert "tenantctl merge" in gate and "needs.validate.result" not in gate  # read through env
    # The flags the gate passes exist on the commands.
    args = build_parser(["check"]).parse_args(
        ["check", "--all", "--strict", "--no-cache", "--no-progress", "--shard", "1/4", "--changed-since",
         "HEAD", "--json", "o"]
    )  # fmt: skip
    assert args.strict and args.all and args.shard == "1/4"
    merged = build_parser(["merge"]).parse_args(
        ["merge", "a.json", "b.json", "--sarif", "r", "--markdown", "s", "--junit", "j", "--json", "o"]
    )
    assert merged.reports == [Path("a.json"), Path("b.json")]


def test_deploy_builds_the_packs_outside_the_checkout_and_hands_them_to_both_parts():
    jobs = load("deploy.yml")["jobs"]
    assert 'tenantctl packs build --out "$RUNNER_TEMP/policy-packs"' in scripts(jobs["packs"])
    for part in ("aws", "in-cluster"):
        assert "packs" in jobs[part]["needs"]
        downloads = [s for s in steps(jobs[part]) if s.get("uses") == "actions/download-artifact@v4"]
        assert downloads and downloads[0]["with"]["name"] == "policy-packs"


@pytest.mark.parametrize(("job_name", "project"), [("aws", AWS_PROJECT), ("in-cluster", KUBERNETES_PROJECT)])
def test_each_part_runs_in_its_project_with_oidc_secrets_provider_and_explicit_policy_config(
    job_name, project
):
    job = load("deploy.yml")["jobs"][job_name]
    directory = PROJECT / job["defaults"]["run"]["working-directory"]
    assert yaml.safe_load((directory / "Pulumi.yaml").read_text())["name"] == project
    assert job["permissions"]["id-token"] == "write"
    assert any(s.get("uses") == "aws-actions/configure-aws-credentials@v4" for s in steps(job))
    commands = pulumi_commands(scripts(job))
    assert commands[0][:2] == ["pulumi", "login"]
    select = commands[1]
    assert select[:4] == ["pulumi", "stack", "select", "--create"]
    assert select[select.index("--secrets-provider") + 1] == "$PULUMI_SECRETS_PROVIDER"
    operation = commands[2]
    packs = [operation[i + 1] for i, a in enumerate(operation) if a == "--policy-pack"]
    configs = [operation[i + 1] for i, a in enumerate(operation) if a == "--policy-pack-config"]
    assert packs == ["$PACKS/mlops-baseline", "$PACKS/mlops-regulated"]
    assert configs == [
        "../../.policy-config/mlops-baseline.json",
        "../../.policy-config/mlops-regulated.json",
    ]
    # The configs are policy/policy-config.json split per pack by gate_inputs, as the PR gate judged it.
    split = [s for s in steps(job) if "tenantctl.gate_inputs" in s.get("run", "")]
    assert split and "--policy-pack-config policy/policy-config.json --out .policy-config" in split[0]["run"]
    assert split[0]["working-directory"] == "."


def test_the_kubernetes_part_runs_inside_the_tenant_network_after_the_aws_part():
    jobs = load("deploy.yml")["jobs"]
    assert jobs["aws"]["runs-on"] == "ubuntu-24.04"
    assert jobs["in-cluster"]["runs-on"][:2] == ["self-hosted", "linux"]
    assert "aws" in jobs["in-cluster"]["needs"]
