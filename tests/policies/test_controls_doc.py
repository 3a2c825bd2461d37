"""The generated control docs (docs/controls.md, each control directory's README.md) are current."""

from __future__ import annotations

from mlops_policies.controls_doc import CONTROLS_DIR, CONTROLS_MD, generated, render, render_readme
from mlops_policies.membership import Member, load


def test_every_generated_doc_is_committed_and_current():
    stale = [str(path) for path, text in generated().items() if not path.exists() or path.read_text() != text]
    assert stale == [], "stale generated docs: run `make docs`"


def test_there_is_one_readme_per_control_directory_and_docs_controls_md():
    readmes = {p.parent.name for p in generated() if p != CONTROLS_MD}
    assert readmes == {p.name for p in CONTROLS_DIR.iterdir() if (p / "__init__.py").exists()}


def test_controls_table_lists_every_control_with_its_policies_severity_and_audit_check():
    text = render(load(), {"PROV-03": ["ecr_tag_immutability"]})
    assert "| **PROV-03** Container registries keep tags immutable and scan on push | baseline |" in text
    policies = "`prov-03-ecr-immutable-tags` (high)<br>`prov-03-ecr-scan-on-push` (medium)"
    assert f"{policies} | `ecr_tag_immutability` | no |" in text
    assert "Controls without a live audit check (43): AUD-01, AUD-02," in text


def test_control_readme_shows_its_row_and_links_each_rule_and_its_cases():
    from landingzone.controls import load_controls

    control = load_controls().control("SEC-05")
    rows = [Member("mlops-baseline", "sec-05-no-iam-access-keys", "SEC-05", "critical", "baseline")]
    text = render_readme(control, rows, {})
    assert "| SEC-05 | baseline | secrets | no | no |" in text
    assert (
        "| `sec-05-no-iam-access-keys` | critical | [no_iam_access_keys.py](no_iam_access_keys.py) | "
        "[test_no_iam_access_keys.py](test_no_iam_access_keys.py) |"
    ) in text
