"""One model of a policy: the facts a rule declares are the facts the gate reads back from its pack."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from google.protobuf import empty_pb2

from mlops_policies.packs import BASELINE_PACK, REGULATED_PACK, all_rules, pack_rules
from mlops_policies.policy_facts import PolicyFacts
from tenantctl.analyzer import policy_facts, reconcile_config
from tenantctl.model import PolicyOutcome
from tests.policies.inprocess import servicer

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("pack", [BASELINE_PACK, REGULATED_PACK])
def test_the_facts_built_from_a_rule_and_from_its_packs_reply_are_the_same(pack: str) -> None:
    info = servicer(pack).GetAnalyzerInfo(empty_pb2.Empty(), None)

    from_reply = policy_facts(info)

    assert from_reply == [rule.facts for rule in pack_rules(pack)]
    assert {facts.pack for facts in from_reply} == {pack}


def test_every_rule_declares_its_pack_kind_and_catalog_facts() -> None:
    rules = all_rules()
    for rule in rules:
        facts = rule.facts
        assert (facts.name, facts.control, facts.kind) == (rule.name, rule.control.id, rule.kind)
        assert facts.pack == (REGULATED_PACK if rule.control.level == "regulated" else BASELINE_PACK)
        assert (facts.area, facts.title) == (rule.control.area, rule.control.title)
        assert facts.tags == (rule.control.area, rule.control.level)
        assert facts.declared == "mandatory"
        # The CrossGuard policy is built from the facts: what the pack serves cannot differ.
        assert rule.policy.config_schema is not None
        assert rule.policy.config_schema.properties == facts.properties
        assert rule.policy.description == facts.description
        assert rule.policy.remediation_steps == facts.remediation
    assert {rule.kind for rule in rules} == {"resource", "stack"}


def test_defaults_are_the_schema_defaults_and_what_the_gate_reconciles() -> None:
    [rule] = [r for r in all_rules() if r.name == "ten-02-no-other-tenant-references"]
    info = servicer(BASELINE_PACK).GetAnalyzerInfo(empty_pb2.Empty(), None)

    reconciled = reconcile_config(info, None)[rule.name]

    assert rule.config_defaults == rule.facts.defaults
    assert rule.facts.defaults == {"sharedPrefixes": ["platform"], "exemptions": [], "exemptionApprovers": [],
                                   "maxExemptionDays": 90}  # fmt: skip
    assert reconciled == {"enforcementLevel": "mandatory", **rule.facts.defaults}


def test_a_stack_result_stores_the_facts_without_the_schema_and_reads_them_back() -> None:
    facts = all_rules()[0].facts
    outcome = PolicyOutcome(facts, enforcement="advisory", status="failed")

    stored = outcome.to_dict()

    assert "properties" not in stored
    assert (stored["declared"], stored["enforcement"]) == ("mandatory", "advisory")
    read = PolicyOutcome.from_dict(stored)
    assert read == PolicyOutcome(replace(facts, properties={}), "advisory", "failed")


def test_equal_facts_read_back_are_one_object_and_each_stored_dict_is_the_caller_s_own() -> None:
    stored = all_rules()[0].facts.to_dict()

    first, second = PolicyFacts.from_dict(stored), PolicyFacts.from_dict(dict(stored))
    first.to_dict()["title"] = "changed by a caller"

    assert first is second
    assert first.to_dict() == stored
    assert PolicyFacts.from_dict({**stored, "severity": "low"}).severity == "low"


def test_a_report_written_before_declared_and_framework_version_were_stored_still_reads() -> None:
    stored = all_rules()[0].facts.to_dict()
    old = {k: v for k, v in stored.items() if k not in ("declared", "framework_version")}

    outcome = PolicyOutcome.from_dict({**old, "enforcement": "mandatory", "status": "passed"})

    assert (outcome.facts.declared, outcome.facts.framework_version) == ("mandatory", "")


def test_the_model_imports_without_the_policy_sdk_or_grpc() -> None:
    # A published pack vendors mlops_policies, and tenantctl's data model loads it on every command.
    code = (
        "import sys, mlops_policies.policy_facts, tenantctl.model; "
        "print(sorted(m for m in ('pulumi_policy', 'pulumi', 'grpc') if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert run.stdout.strip() == "[]"


def test_facts_are_frozen() -> None:
    facts: PolicyFacts = all_rules()[0].facts
    with pytest.raises(AttributeError):
        facts.name = "other"  # type: ignore[misc]
