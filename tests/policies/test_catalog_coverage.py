"""Every catalog control is enforced by mandatory policies with fixtures; every policy serves a control."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pulumi_policy import EnforcementLevel

from landingzone.controls import load_controls
from mlops_policies.packs import BASELINE_PACK, REGULATED_PACK, all_rules, pack_rules

TESTS = Path(__file__).parent
CATALOG = load_controls()
RULES = all_rules()
CONTROLS = TESTS.parents[1] / "mlops_policies" / "controls"
TEST_FILES = [*TESTS.glob("test_*.py"), *CONTROLS.glob("*/test_*.py")]
AREA_TESTS = "\n".join(p.read_text() for p in TEST_FILES if p.name != Path(__file__).name)


def _test_blocks() -> list[tuple[str, str]]:
    """(test name plus its pass_/fail_ case ids, decorators and body) for every top-level test function."""
    blocks = []
    decorators = ""
    for chunk in re.split(r"\n(?=@|def |class |[A-Za-z_]+ = |[A-Za-z_]+: )", AREA_TESTS):
        if chunk.startswith("@"):
            decorators += chunk
            continue
        chunk, decorators = decorators + chunk, ""
        match = re.search(r"^def (test_\w+)", chunk, flags=re.M)
        if match:
            ids = " ".join(re.findall(r"[\"'](pass_\w*|fail_\w*)", chunk))
            blocks.append((f"{match.group(1)} {ids}", chunk))
    return blocks


BLOCKS = _test_blocks()


def _tests_of(rule_function: str) -> list[str]:
    """Names (with pass_/fail_ case ids) of the tests that exercise the rule's validate function."""
    return [name for name, body in BLOCKS if re.search(rf"\b{re.escape(rule_function)}\b", body)]


@pytest.mark.parametrize("control", sorted(CATALOG.controls))
def test_every_control_has_a_mandatory_policy(control):
    rules = [r for r in RULES if r.control.id == control]
    assert rules, f"{control} has no policy"
    assert all(r.policy.enforcement_level is EnforcementLevel.MANDATORY for r in rules)


@pytest.mark.parametrize("control", sorted(CATALOG.controls))
def test_every_control_has_passing_and_failing_fixtures(control):
    tests = [t for r in RULES if r.control.id == control for t in _tests_of(r.function)]
    assert any("pass" in t for t in tests), f"{control}: no passing fixture among {tests}"
    assert any("fail" in t for t in tests), f"{control}: no failing fixture among {tests}"


def test_every_policy_serves_a_catalog_control_and_is_named_after_it():
    for rule in RULES:
        assert rule.control.id in CATALOG.controls
        assert rule.name.startswith(rule.control.policy_prefix)
        framework = rule.policy.framework
        assert framework is not None
        assert (framework.name, framework.version, framework.reference) == (
            "mlops-hoster-checklist", CATALOG.version, rule.control.id,
        )  # fmt: skip


def test_policy_names_are_unique():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))


def test_every_policy_has_description_remediation_severity_and_area_tag():
    for rule in RULES:
        assert rule.policy.description and rule.policy.remediation_steps and rule.policy.severity
        assert rule.policy.tags == [rule.control.area, rule.control.level]


def test_baseline_and_regulated_packs_split_the_catalog_by_level():
    assert {r.control.level for r in pack_rules(BASELINE_PACK)} == {"baseline"}
    assert {r.control.level for r in pack_rules(REGULATED_PACK)} == {"regulated"}
    assert len(pack_rules(BASELINE_PACK)) + len(pack_rules(REGULATED_PACK)) == len(RULES)
