"""The generated control docs (docs/controls.md, each control directory's README.md) are current."""

from __future__ import annotations

import pytest

from mlops_policies.controls_doc import (
    CONTROLS_DIR,
    CONTROLS_MD,
    admission_policies,
    generated,
    render,
    render_readme,
)
from mlops_policies.membership import Member, load


def test_every_generated_doc_is_committed_and_current():
    stale = [str(path) for path, text in generated().items() if not path.exists() or path.read_text() != text]
    assert stale == [], "stale generated docs: run `make docs`"


def test_there_is_one_readme_per_control_directory_and_docs_controls_md():
    readmes = {p.parent.name for p in generated() if p != CONTROLS_MD}
    assert readmes == {p.name for p in CONTROLS_DIR.iterdir() if (p / "__init__.py").exists()}


def test_controls_table_lists_every_control_with_its_policies_severity_and_audit_check():
    text = render(load(), {"PROV-03": ["ecr_tag_immutability"]}, {})
    assert "| **PROV-03** Container registries keep tags immutable and scan on push | baseline |" in text
    policies = "`prov-03-ecr-immutable-tags` (high)<br>`prov-03-ecr-scan-on-push` (medium)"
    assert f"{policies} | `ecr_tag_immutability` | no |" in text
    assert "Controls without a live audit check (43): AUD-01, AUD-02," in text


def test_control_readme_shows_its_row_and_links_each_rule_and_its_cases():
    from landingzone.controls import load_controls

    control = load_controls().control("SEC-05")
    rows = [Member("mlops-baseline", "sec-05-no-iam-access-keys", "SEC-05", "critical", "baseline")]
    text = render_readme(control, rows, {}, {})
    assert "| SEC-05 | baseline | secrets | no | no |" in text
    assert (
        "| `sec-05-no-iam-access-keys` | critical | [no_iam_access_keys.py](no_iam_access_keys.py) | "
        "[test_no_iam_access_keys.py](test_no_iam_access_keys.py) |"
    ) in text


STACKS = ("acme", "globex", "initech")


def _stack_admission(stack: str) -> dict[str, set[str]]:
    """Control id -> admission policy names, straight from the Validations the stack's cluster gets."""
    from landingzone.admission import settings_from_stack, tenant_policies
    from landingzone.config import load_stack

    settings = settings_from_stack(load_stack(CONTROLS_MD.parents[1], stack))
    found: dict[str, set[str]] = {}
    for policy in tenant_policies(settings):
        for validation in policy.validations:
            found.setdefault(validation.control, set()).add(policy.name)
    return found


def _claimed(doc: str, column: int) -> dict[str, set[str]]:
    """Control id -> the names a column of docs/controls.md counted from the right lists ("no": none)."""
    claimed: dict[str, set[str]] = {}
    for row in (line for line in doc.splitlines() if line.startswith("| **")):
        control = row.split("**")[1]
        cell = row.rstrip(" |").rsplit(" | ", column)[1]
        claimed[control] = set() if cell == "no" else {name.strip("`") for name in cell.split("<br>")}
    return claimed


def _claimed_admission(doc: str) -> dict[str, set[str]]:
    return _claimed(doc, 1)


def test_committed_doc_claims_live_audit_checks_exactly_as_each_check_names_its_control():
    from tenantctl.audit.checks import CHECKS

    claimed = {c: names for c, names in _claimed(CONTROLS_MD.read_text(), 2).items() if names}
    by_control: dict[str, set[str]] = {}
    for spec in CHECKS:
        by_control.setdefault(spec.control, set()).add(spec.name)
    assert claimed == by_control
    assert claimed["PROV-03"] == {"ecr_tag_immutability", "ecr_scan_on_push"}


def test_committed_doc_claims_admission_exactly_for_the_controls_validations_name():
    from landingzone.controls import load_controls

    claimed = _claimed_admission(CONTROLS_MD.read_text())
    assert set(claimed) == set(load_controls().controls)
    enforced = _stack_admission("acme")
    assert {c: names for c, names in claimed.items() if names} == enforced
    assert sorted(enforced) == ["DATA-07", "GPU-06", "PROV-06", "SEC-04", "SEC-07", "TEN-06"]
    assert "Controls enforced at admission (6, " in CONTROLS_MD.read_text()


def test_a_doc_claiming_admission_no_validation_names_is_caught():
    wrong = render(load(), {}, {"SEC-05": ["mlops-sec-05-made-up"]})
    claimed = _claimed_admission(wrong)
    assert claimed["SEC-05"] == {"mlops-sec-05-made-up"}
    assert claimed["GPU-06"] == set()
    assert {c: n for c, n in claimed.items() if n} != _stack_admission("acme")


@pytest.mark.parametrize("stack", STACKS)
def test_admission_column_does_not_depend_on_the_tenant(stack: str):
    expected = {c: set(names) for c, names in admission_policies().items()}
    assert _stack_admission(stack) == expected


def test_control_readme_names_the_admission_policies_enforcing_it():
    from landingzone.controls import load_controls

    control = load_controls().control("SEC-07")
    text = render_readme(control, [], {}, {"SEC-07": ["mlops-sec-07-no-default-token-mounts"]})
    assert "| SEC-07 | baseline | secrets | no | `mlops-sec-07-no-default-token-mounts` |" in text
