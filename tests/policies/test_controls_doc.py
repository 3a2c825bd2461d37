from pathlib import Path

from mlops_policies.controls_doc import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "controls.md"


def test_committed_controls_table_matches_the_catalog_and_policies():
    assert DOC.read_text() == render(), "docs/controls.md is stale: run `make docs`"


def test_controls_table_lists_every_control_with_its_policies():
    text = render()
    assert "| **PROV-03** Container registries keep tags immutable and scan on push | baseline |" in text
    assert "`prov-03-ecr-immutable-tags`" in text
