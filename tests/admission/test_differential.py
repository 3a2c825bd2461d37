"""The two layers never drift: every fixture gets the same verdict from CrossGuard and from admission.

For each CrossGuard policy that an admission validation mirrors, the case's expected verdict is
asserted against CrossGuard, then CrossGuard's and admission's verdicts are compared for the same
object, under every workload kind CrossGuard judges. Admission-only checks (stricter, see
docs/admission.md) are excluded by construction: they mirror nothing.
"""

from __future__ import annotations

import pytest

from tests.admission import fixtures
from tests.admission.fixtures import POD_CASES, POD_TYPES, SA_CASES, Case, workload
from tests.admission.layers import (
    SA_TYPE,
    admission_passes,
    admission_verdicts,
    crossguard_passes,
    mirrored_rules,
)

PAIRS = [(case, kind) for case in POD_CASES for kind in POD_TYPES]


def test_every_crossguard_pod_spec_rule_is_mirrored_and_has_fixtures() -> None:
    covered = {case.rule for case in (*POD_CASES, *SA_CASES)}
    assert mirrored_rules() == sorted(covered)
    for rule_name in covered:
        verdicts = {case.passes for case in (*POD_CASES, *SA_CASES) if case.rule == rule_name}
        assert verdicts == {True, False}, f"{rule_name} needs a passing and a failing fixture"


@pytest.mark.parametrize(("case", "kind"), PAIRS, ids=[f"{c.id}-{k}" for c, k in PAIRS])
def test_pod_spec_fixture_gets_the_same_verdict_from_both_layers(case: Case, kind: str) -> None:
    obj = workload(kind, case.spec)
    assert crossguard_passes(case.rule, POD_TYPES[kind], obj) is case.passes
    assert admission_passes(case.rule, obj) is case.passes


@pytest.mark.parametrize("case", SA_CASES, ids=[c.id for c in SA_CASES])
def test_service_account_fixture_gets_the_same_verdict_from_both_layers(case: Case) -> None:
    assert crossguard_passes(case.rule, SA_TYPE, case.spec) is case.passes
    assert admission_passes(case.rule, case.spec) is case.passes


def test_every_mirrored_rule_agrees_on_every_fixture_with_zero_disagreements() -> None:
    disagreements = []
    for case, kind in PAIRS:
        obj = workload(kind, case.spec)
        admission = admission_verdicts(obj)
        for rule_name in mirrored_rules():
            if rule_name == fixtures.SA_TOKENS:
                continue
            if crossguard_passes(rule_name, POD_TYPES[kind], obj) != admission[rule_name]:
                disagreements.append(f"{case.id} as {kind}: {rule_name}")
    assert disagreements == []
