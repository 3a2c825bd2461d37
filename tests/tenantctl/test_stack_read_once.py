"""One check reads its stack file once: the model, the packs' environment and the program all see that
one reading (issue 16: "load each stack once")."""

from __future__ import annotations

from pathlib import Path

import pytest

import landingzone.config
import tenantctl.program
from tenantctl.check import CheckOptions, check_stack
from tenantctl.model import OK

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_pass_a_check_reads_the_stack_file_once(monkeypatch):
    reads: list[Path] = []
    real = landingzone.config.read_stack_config

    def counting(path: Path):
        reads.append(path)
        return real(path)

    monkeypatch.setattr(landingzone.config, "read_stack_config", counting)
    monkeypatch.setattr(tenantctl.program, "read_stack_config", counting)
    result = check_stack("initech", CheckOptions(project_dir=REPO, packs_dir=REPO / "policy_packs"))
    assert result.status == OK, result.error
    assert [p.name for p in reads] == ["Pulumi.initech.yaml"]
