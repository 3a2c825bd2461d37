"""Decision records: built from a check result, valid against their committed JSON Schema, written
atomically, loaded back equal; and `tenantctl check` writes one per stack (default place and flag)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from pathlib import Path

import jsonschema
import pytest

from mlops_policies.policy_facts import PolicyFacts
from tenantctl import decision_record
from tenantctl.model import ExemptionUse, Finding, PolicyOutcome, StackResult
from tests.tenantctl.conftest import SMALL_PROGRAM, make_project, run_cli

REPO = Path(__file__).resolve().parents[2]


def result() -> StackResult:
    facts = PolicyFacts(
        pack="mlops-baseline",
        name="prov-03-ecr-immutable-tags",
        control="PROV-03",
        area="provenance",
        title="t",
        description="d",
        display_name="n",
        declared="mandatory",
        severity="high",
        remediation="Set imageTagMutability to IMMUTABLE.",
        tags=("baseline",),
        kind="resource",
        framework_version="1",
    )
    policy = PolicyOutcome(facts, enforcement="advisory", status="failed")
    finding = Finding(
        kind="advisory",
        pack="mlops-baseline",
        policy="prov-03-ecr-immutable-tags",
        control="PROV-03",
        area="provenance",
        enforcement="advisory",
        severity="high",
        urn="urn:pulumi:acme::mlops-landing-zone::aws:ecr/repository:Repository::acme-registry-legacy",
        resource_type="aws:ecr/repository:Repository",
        resource_name="acme-registry-legacy",
        message="imageTagMutability is MUTABLE, required IMMUTABLE",
        remediation="Set imageTagMutability to IMMUTABLE.",
    )
    exemption = ExemptionUse(
        "mlops-baseline",
        "sec-01-kms-key-rotation",
        "*::acme-keys-legacy",
        "exempted by ciso until 2027-03-31",
    )
    return StackResult(
        stack="acme",
        tenant="acme",
        tier="standard",
        packs={"mlops-baseline": "0.1.0"},
        policies=[policy],
        findings=[finding],
        exemptions=[exemption],
        checked_at="2026-12-02T00:00:00+00:00",
    )


def test_a_record_holds_versions_hashes_levels_findings_and_exemptions() -> None:
    config = {"prov-03-ecr-immutable-tags": {"enforcementLevel": "advisory"}}

    record = decision_record.build(result(), REPO, config, strict=False)

    assert (record.stack, record.verdict, record.catalog_version, record.packs) == (
        "acme",
        "blocked",  # a mandatory policy configured advisory blocks the gate
        "1",
        {"mlops-baseline": "0.1.0"},
    )
    assert (
        record.stack_file_sha256
        == hashlib.sha256((REPO / "stacks/Pulumi.acme.yaml").read_bytes()).hexdigest()
    )
    assert (
        record.policy_config_sha256
        == hashlib.sha256(b'{"prov-03-ecr-immutable-tags":{"enforcementLevel":"advisory"}}').hexdigest()
    )
    assert [(p.name, p.enforcement, p.declared) for p in record.policies] == [
        ("prov-03-ecr-immutable-tags", "advisory", "mandatory")
    ]
    assert [f.message for f in record.findings] == ["imageTagMutability is MUTABLE, required IMMUTABLE"]
    assert [e.urn for e in record.exemptions] == ["*::acme-keys-legacy"]
    assert len(record.git_commit) >= 40 or record.git_commit == "unknown"


def test_a_record_s_dict_is_dataclasses_asdict() -> None:
    # to_dict skips asdict's deep copies for speed; it must still give exactly what asdict gives.
    record = decision_record.build(result(), REPO, {"p": {"x": 1}}, strict=True)
    assert record.findings and record.exemptions and record.policies

    assert record.to_dict() == asdict(record)


def test_a_record_validates_against_its_schema_and_round_trips(tmp_path: Path) -> None:
    record = decision_record.build(result(), REPO, {}, strict=True)

    path = decision_record.write(record, tmp_path / "records")

    assert path == tmp_path / "records" / "acme.json"
    schema = json.loads(decision_record.SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(path.read_text()))
    assert decision_record.load(path) == record
    assert [p.name for p in (tmp_path / "records").iterdir()] == ["acme.json"]  # no temp file left


def test_a_record_that_does_not_match_the_schema_is_refused_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "acme.json"
    data = decision_record.build(result(), REPO, {}, strict=False).to_dict()
    data["verdict"] = "approved"
    path.write_text(json.dumps(data))

    with pytest.raises(decision_record.DecisionRecordError) as refused:
        decision_record.load(path)

    assert str(refused.value) == (
        f"{path}: not a decision record v1: verdict: 'approved' is not one of "
        "['passed', 'blocked', 'config-error', 'usage-error', 'crash']"
    )


def test_writing_a_record_that_does_not_match_the_schema_fails_and_writes_nothing(tmp_path: Path) -> None:
    record = decision_record.build(result(), REPO, {}, strict=False)
    record = replace(record, created_at="yesterday", stack="")

    with pytest.raises(decision_record.DecisionRecordError) as refused:
        decision_record.write(record, tmp_path / "records")

    assert str(refused.value) == (
        f"{tmp_path / 'records' / '.json'}: not a decision record v1: "
        "created_at: 'yesterday' is not a 'date-time'; stack: '' should be non-empty"
    )
    assert not (tmp_path / "records").exists()


@pytest.mark.slow
def test_check_writes_a_decision_record_per_stack_by_default_and_where_the_flag_says(tmp_path: Path) -> None:
    from tests.tenantctl.conftest import PROV03_PACK, tenant_stack

    project = make_project(tmp_path / "project", SMALL_PROGRAM)
    project.pack("mlops-baseline", PROV03_PACK)
    project.stack("small", tenant_stack("small"))

    run = run_cli("check", "--stack", "small", "--no-cache", "--project-dir", project.root)
    elsewhere = run_cli(
        "check", "--stack", "small", "--project-dir", project.root, "--decision-records", tmp_path / "out"
    )

    assert (run.code, elsewhere.code) == (0, 0), run.output + elsewhere.output
    default = decision_record.load(project.root / "build" / "decision-records" / "small.json")
    flagged = decision_record.load(tmp_path / "out" / "small.json")
    assert (default.stack, default.verdict, default.packs) == (
        "small",
        "passed",
        {"mlops-baseline": "9.9.9-test"},
    )
    assert {p.name for p in default.policies} >= {"test-echo-secret"}
    assert flagged.policies == default.policies


def test_check_records_the_policy_config_it_checked_with_though_the_file_changes_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tenantctl import cli, worker
    from tenantctl.policy_config import load_policy_config as read_file
    from tests.tenantctl.conftest import tenant_stack

    project = tmp_path / "project"
    (project / "stacks").mkdir(parents=True)
    (project / "stacks" / "Pulumi.small.yaml").write_text(tenant_stack("small"))
    checked_with = {"prov-03-ecr-immutable-tags": {"enforcementLevel": "advisory"}}
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps(checked_with))
    reads: list[Path | None] = []

    def counted_read(path: Path | None) -> tuple[dict, str]:
        reads.append(path)
        return read_file(path)

    def check_while_someone_edits_the_file(stacks: list[str], *_args: object, **_kwargs: object) -> list:
        config.write_text(json.dumps({"all": "disabled"}))
        return [StackResult(stack=s, tier="standard", checked_at="2026-12-02T00:00:00+00:00") for s in stacks]

    monkeypatch.setattr("tenantctl.policy_config.load_policy_config", counted_read)
    monkeypatch.setattr(worker, "run_fleet", check_while_someone_edits_the_file)

    code = cli.main(
        ["check", "--stack", "small", "--project-dir", str(project), "--policy-pack-config", str(config)]
    )

    record = decision_record.load(project / "build" / "decision-records" / "small.json")
    assert code == 0
    assert record.policy_config_sha256 == decision_record.policy_config_sha256(checked_with)
    assert reads == [config]


def test_pass_a_fleet_s_records_share_one_reading_of_the_run_s_provenance(monkeypatch):
    # Versions, git state and the program hash are the run's: read once, not once per stack (the
    # per-stack reading made an unchanged 100-tenant fleet take 7.7 s instead of under 2).
    from tenantctl import provenance as prov

    calls = []
    real = prov.git_commit
    monkeypatch.setattr(
        prov, "git_commit", lambda project_dir: calls.append(project_dir) or real(project_dir)
    )
    run = prov.provenance(REPO)
    records = [decision_record.build(result(), REPO, {}, strict=False, run=run) for _ in range(3)]
    assert len(calls) == 1
    assert {r.git_commit for r in records} == {run["git_commit"]}
    assert records[0].stack_file_sha256 == prov.provenance(REPO, records[0].stack)["stack_file_sha256"]
