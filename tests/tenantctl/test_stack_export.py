"""`tenantctl check --stack-export`: the same packs and reports over a `pulumi stack export` file.

The export files are produced from our own recordings run with known outputs (the mock engine's
ids, ARNs and endpoints), shaped as `pulumi stack export` writes deployment version 3: the root
stack, default providers, every resource with inputs, outputs, parent, dependencies,
propertyDependencies and provider reference, secrets as ciphertext.
"""

from __future__ import annotations

import copy
import json
import runpy
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from landingzone.parts import AWS_PROJECT, KUBERNETES_PROJECT
from tenantctl.program import (
    SECRET_SIG,
    ProgramRun,
    _Mocks,
    computed_outputs,
    pulumi_config,
    record_program,
    record_stack,
)
from tests.tenantctl.conftest import REPO, run_cli

pytestmark = pytest.mark.slow

CIPHERTEXT = "v1:4mFh2bU9+c2VjcmV0LWluLXRoZS1leHBvcnQ="


@cache
def deployed(stack: str) -> ProgramRun:
    return record_stack(REPO, stack, preview=False)


def _as_state(value: Any) -> Any:
    """Wire values as state holds them: secrets are ciphertext of the stack's secrets provider."""
    if isinstance(value, dict):
        if SECRET_SIG in value:
            return {SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": CIPHERTEXT}
        return {k: _as_state(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_state(v) for v in value]
    return value


def export_of(run: ProgramRun) -> dict[str, Any]:
    platform = json.loads(run.config["landingzone:platform"])
    where = _Mocks(False, platform["account_id"], run.config["aws:region"])
    stack_urn = f"urn:pulumi:{run.stack}::{run.project}::pulumi:pulumi:Stack::{run.project}-{run.stack}"
    provider_urn = f"urn:pulumi:{run.stack}::{run.project}::pulumi:providers:aws::default_7_51_1"
    resources: list[dict[str, Any]] = [
        {"urn": stack_urn, "custom": False, "type": "pulumi:pulumi:Stack", "outputs": {}},
        {"urn": provider_urn, "custom": True, "id": "b1c2", "type": "pulumi:providers:aws",
         "inputs": {"region": run.config["aws:region"]}, "outputs": {"region": run.config["aws:region"]}},
    ]  # fmt: skip
    for r in run.resources:
        inputs = _as_state(r.properties)
        entry: dict[str, Any] = {
            "urn": r.urn,
            "custom": r.custom,
            "type": r.type,
            "inputs": inputs,
            "outputs": {**computed_outputs(r.type, r.name, r.properties, where), **inputs}
            if r.custom
            else {},
            "parent": r.parent or stack_urn,
            "dependencies": list(r.dependencies),
            "propertyDependencies": r.property_dependencies,
        }
        if r.custom:
            entry["id"] = f"{r.name}-id"
            if r.type.startswith("aws:"):
                entry["provider"] = f"{provider_urn}::b1c2"
        resources.append(entry)
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2026-12-01T00:00:00Z", "magic": "", "version": "v3.200.0"},
            "secrets_providers": {"type": "service", "state": {}},
            "resources": resources,
        },
    }


def write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document))
    return path


def verdicts(report: Path, stack: str) -> tuple[str, list[tuple[str, str, str]], dict[str, str]]:
    (entry,) = [s for s in json.loads(report.read_text())["stacks"] if s["stack"] == stack]
    findings = sorted((f["kind"], f["policy"], f["message"]) for f in entry["findings"])
    return entry["verdict"], findings, {p["name"]: p["status"] for p in entry["policies"]}


@pytest.mark.parametrize("stack", ["acme", "globex"])
def test_an_export_of_the_deployed_stack_gets_the_verdicts_of_check(tmp_path, stack):
    export = write(tmp_path, stack, export_of(deployed(stack)))
    checked = run_cli("check", "--stack", stack, "--strict", "--no-cache", "--json", tmp_path / "check.json")
    exported = run_cli("check", "--stack-export", export, "--strict", "--json", tmp_path / "export.json")
    assert (checked.code, exported.code) == (0, 0), exported.output
    assert verdicts(tmp_path / "export.json", stack) == verdicts(tmp_path / "check.json", stack)


def test_a_deployed_change_is_judged_from_the_export_with_the_same_message_as_check(tmp_path):
    document = export_of(deployed("acme"))
    for resource in document["deployment"]["resources"]:
        if resource["urn"].endswith("::acme-registry-models"):
            resource["inputs"]["imageTagMutability"] = resource["outputs"]["imageTagMutability"] = "MUTABLE"
    export = write(tmp_path, "acme", document)
    run = run_cli(
        "check", "--stack-export", export, "--json", tmp_path / "r.json", "--sarif", tmp_path / "r.sarif"
    )
    assert run.code == 1, run.output
    _verdict, findings, statuses = verdicts(tmp_path / "r.json", "acme")
    assert findings == [
        ("violation", "prov-03-ecr-immutable-tags",
         "aws:ecr/repository:Repository 'acme-registry-models' has imageTagMutability 'MUTABLE'; "
         "required: 'IMMUTABLE'"),
    ]  # fmt: skip
    assert statuses["prov-03-ecr-immutable-tags"] == "failed"
    assert "prov-03-ecr-immutable-tags" in (tmp_path / "r.sarif").read_text()


def test_a_resource_pending_deletion_is_not_part_of_the_judged_stack(tmp_path):
    document = export_of(deployed("acme"))
    resources = document["deployment"]["resources"]
    trail = next(r for r in resources if r["type"] == "aws:cloudtrail/trail:Trail")
    trail["delete"] = True  # replaced, old one pending deletion: not part of the stack any more
    export = write(tmp_path, "acme", document)
    run = run_cli("check", "--stack-export", export, "--json", tmp_path / "r.json")
    assert run.code == 1
    _verdict, findings, _statuses = verdicts(tmp_path / "r.json", "acme")
    assert "aud-01-trail-exists" in {policy for _kind, policy, _message in findings}


def test_ciphertext_in_the_export_never_reaches_a_report(tmp_path):
    document = export_of(deployed("acme"))
    first = next(r for r in document["deployment"]["resources"] if r["type"] == "aws:s3/bucket:Bucket")
    first["inputs"]["tags"]["owner"] = first["outputs"]["tags"]["owner"] = {
        SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": CIPHERTEXT}  # fmt: skip
    export = write(tmp_path, "acme", document)
    run = run_cli(
        "check", "--stack-export", export, "--json", tmp_path / "r.json", "--markdown", tmp_path / "r.md"
    )
    for text in (run.output, (tmp_path / "r.json").read_text(), (tmp_path / "r.md").read_text()):
        assert CIPHERTEXT not in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=2), "version: 2; supported: 3"),
        (lambda d: d["deployment"].update(resources={}), "deployment.resources: must be a list"),
        (lambda d: d["deployment"]["resources"][3].pop("urn"), "deployment.resources[3]: needs a urn"),
    ],
    ids=["version-2", "resources-not-a-list", "resource-without-urn"],
)
def test_an_unusable_export_is_refused_naming_the_file_and_field(tmp_path, change, message):
    document = copy.deepcopy(export_of(deployed("initech")))
    change(document)
    export = write(tmp_path, "initech", document)
    run = run_cli("check", "--stack-export", export, "--json", tmp_path / "r.json")
    assert run.code == 2
    assert f"{export}: {message}" in " ".join(run.output.split())
    assert not (tmp_path / "r.json").exists()


@cache
def deployed_part(stack: str, project: str) -> ProgramRun:
    config, secret_keys = pulumi_config(REPO, stack)
    directory = "aws" if project == AWS_PROJECT else "in-cluster"
    main = str(REPO / "deploy" / directory / "__main__.py")
    return record_program(lambda: runpy.run_path(main, run_name="__main__"), stack, config, secret_keys,
                          preview=False, project=project)  # fmt: skip


def test_the_exports_of_both_deployed_parts_together_get_the_verdicts_of_check(tmp_path):
    aws = write(tmp_path, "aws", export_of(deployed_part("globex", AWS_PROJECT)))
    cluster = write(tmp_path, "cluster", export_of(deployed_part("globex", KUBERNETES_PROJECT)))
    checked = run_cli(
        "check", "--stack", "globex", "--strict", "--no-cache", "--json", tmp_path / "check.json"
    )
    both = run_cli(
        "check", "--stack-export", aws, "--stack-export", cluster, "--strict", "--json", tmp_path / "e.json"
    )
    assert (checked.code, both.code) == (0, 0), both.output
    assert verdicts(tmp_path / "e.json", "globex") == verdicts(tmp_path / "check.json", "globex")


def test_one_parts_export_is_judged_as_that_part(tmp_path):
    cluster = write(tmp_path, "cluster", export_of(deployed_part("initech", KUBERNETES_PROJECT)))
    run = run_cli("check", "--stack-export", cluster, "--strict", "--json", tmp_path / "e.json")
    assert run.code == 0, run.output
    _verdict, findings, statuses = verdicts(tmp_path / "e.json", "initech")
    assert findings == []
    # Relating namespaces to AWS roles needs both halves; the AWS half's trail is not here to judge.
    assert statuses["ten-05-environment-workload-role"] == "not-applicable"
    assert statuses["aud-01-trail-exists"] == "not-applicable"
    assert statuses["ten-05-environment-quota-and-network-policy"] == "passed"
