"""Quarantine and release of the example tenant acme, end to end: the incident block the program honours,
the resources it registers, the packs' verdict on it (and on a variant that loses evidence), and a
release that gives back the original stack file byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from landingzone.config import INCIDENT_KEY, load_stack
from tenantctl.onboarding.errors import Refusal
from tenantctl.quarantine import quarantine, release
from tests.tenantctl.conftest import REPO, run_cli

SINCE = "2026-12-02T00:15:00Z"
pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's program and the acme stack file."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("__main__.py", "Pulumi.yaml", "requirements.txt"):
        shutil.copy(REPO / name, root / name)
    for package in ("components", "landingzone", "mlops_policies"):
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "stacks").mkdir()
    shutil.copy(REPO / "stacks" / "Pulumi.acme.yaml", root / "stacks" / "Pulumi.acme.yaml")
    return root


def quarantined_acme(project: Path) -> Path:
    quarantine(project, "acme", reason="leaked hf token", ticket="INC-42", now=SINCE)
    return project / "stacks" / "Pulumi.acme.yaml"


def test_quarantine_writes_an_incident_block_the_config_model_accepts(project: Path) -> None:
    original = (project / "stacks" / "Pulumi.acme.yaml").read_bytes()

    path = quarantined_acme(project)

    assert path.read_bytes().startswith(original)  # the block is appended; the rest is untouched
    incident = load_stack(project, "acme").incident
    assert incident is not None
    assert (incident.ticket, incident.since, incident.reason) == ("INC-42", SINCE, "leaked hf token")
    assert incident.evidence.trails == ["acme-audit-trail"]
    assert incident.evidence.buckets == sorted(
        f"acme-{p}-111122223333"
        for p in ("audit-log", "checkpoint", "dataset", "feature-store", "model-registry")
    )
    assert incident.evidence.log_groups == [
        "/aws/eks/acme-cluster/cluster",
        "/mlops/acme/audit",
        "/mlops/acme/vpc-flow-logs",
    ]


def test_release_restores_the_original_stack_file_byte_for_byte(project: Path) -> None:
    original = (project / "stacks" / "Pulumi.acme.yaml").read_bytes()
    path = quarantined_acme(project)

    release(project, "acme")

    assert path.read_bytes() == original
    assert sorted(p.name for p in path.parent.iterdir()) == [".onboarding.lock", "Pulumi.acme.yaml"]


def test_quarantining_twice_is_refused_and_changes_nothing(project: Path) -> None:
    path = quarantined_acme(project)
    before = path.read_bytes()

    with pytest.raises(Refusal) as refused:
        quarantine(project, "acme", reason="again", ticket="INC-43", now=SINCE)

    assert refused.value.problems == [
        f"already quarantined (ticket INC-42, since {SINCE}); run tenantctl release --stack acme first"
    ]
    assert path.read_bytes() == before


def test_release_refuses_when_the_stack_changed_while_quarantined(project: Path) -> None:
    path = quarantined_acme(project)
    path.write_text(
        path.read_text().replace("    admin_role_arn:", '    kubernetes_version: "1.34"\n    admin_role_arn:')
    )
    edited = path.read_bytes()

    with pytest.raises(Refusal) as refused:
        release(project, "acme")

    assert refused.value.problems == [
        "landingzone:platform changed while quarantined; release would undo that change. "
        "Revert it (or make it again after release)"
    ]
    assert path.read_bytes() == edited


def test_release_of_a_stack_that_is_not_quarantined_is_refused(project: Path) -> None:
    with pytest.raises(Refusal) as refused:
        release(project, "acme")

    assert refused.value.problems == ["landingzone:incident: not set; the stack is not quarantined"]


def _plan(project: Path) -> dict[str, Any]:
    out = project / "plan.json"
    run = run_cli(
        "check", "--stack", "acme", "--no-cache", "--project-dir", project, "--packs-dir",
        REPO / "policy_packs", "--json", out,
    )  # fmt: skip
    report = json.loads(out.read_text()) if out.exists() else {}
    return {"run": run, "report": report}


def test_quarantined_acme_registers_the_deny_and_revocation_resources_and_the_packs_pass_it(
    project: Path,
) -> None:
    quarantined_acme(project)

    checked = _plan(project)

    run, report = checked["run"], checked["report"]
    assert run.code == 0, run.output
    acme = report["stacks"][0]
    names = {(r["type"], r["name"]) for r in acme["resources"]}
    for env in ("dev", "train", "prod"):
        assert ("aws:iam/rolePolicy:RolePolicy", f"acme-incident-{env}-revoke-sessions") in names
        assert ("kubernetes:networking.k8s.io/v1:NetworkPolicy", f"acme-incident-{env}-deny-all") in names
    statuses = {p["name"]: p["status"] for p in acme["policies"]}
    assert statuses["sec-06-quarantine-revokes-sessions"] == "passed"
    assert statuses["data-07-quarantine-denies-all-traffic"] == "passed"
    assert statuses["aud-02-quarantine-keeps-evidence"] == "passed"
    assert statuses["gpu-01-quarantine-stops-gpu-scheduling"] == "passed"
    assert acme["counts"]["violations"] == 0


def test_the_packs_block_a_quarantined_variant_that_deletes_or_shortens_evidence(project: Path) -> None:
    path = quarantined_acme(project)
    document = yaml.safe_load(path.read_text())
    tenant = document["config"]["landingzone:tenant"]
    tenant["registry"]["artifact_buckets"] = ["dataset", "feature-store"]  # the checkpoint bucket goes
    tenant.setdefault("retention", {})["artifact_days"] = 30  # artifacts expire sooner
    assert INCIDENT_KEY in document["config"]
    path.write_text(yaml.safe_dump(document, sort_keys=False))

    checked = _plan(project)

    run, report = checked["run"], checked["report"]
    assert run.code == 1, run.output
    messages = sorted(
        f["message"]
        for f in report["stacks"][0]["findings"]
        if f["policy"] == "aud-02-quarantine-keeps-evidence"
    )
    assert messages == [
        "aws:s3/bucket:Bucket 'acme-checkpoint-111122223333' held evidence when the tenant was quarantined "
        "(ticket INC-42) and is missing from the stack; required: kept until release",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration 'acme-registry-dataset-lifecycle' "
        "expires objects after 30 days while quarantined (ticket INC-42); required: at least 180 days, as "
        "at quarantine",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration "
        "'acme-registry-feature-store-lifecycle' expires objects after 30 days while quarantined "
        "(ticket INC-42); required: at least 180 days, as at quarantine",
    ]
