"""`tenants`: the fleet table, with the cached check verdict when tenantctl.cache has one."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from tenantctl.onboarding import views
from tests.onboarding.conftest import Run


def _no_cache_module(monkeypatch: pytest.MonkeyPatch, missing: str = "tenantctl.cache") -> None:
    def import_module(name: str) -> types.ModuleType:
        raise ModuleNotFoundError(f"No module named '{missing}'", name=missing)

    # Only views' own import: patching importlib.import_module itself breaks importlib.resources.
    monkeypatch.setattr(views, "importlib", types.SimpleNamespace(import_module=import_module))


def test_table_lists_every_tenant_with_gpu_counts(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_cache_module(monkeypatch)

    code, out = run("tenants")

    assert code == 0
    acme = next(line for line in out.splitlines() if "│ acme" in line)
    assert "standard" in acme and "10.1.0.0/16" in acme and "dev, train, prod" in acme
    assert "a100-mig: 32x A100-80GB (mig all-3g.40gb)" in out  # 8 GPUs per p4de x 4 nodes
    assert "l40s: 2x L40S-48GB (dedicated)" in out
    assert "h100: 32x H100-80GB (dedicated)" in out
    assert "h200-mig: 16x H200-141GB (mig all-balanced)" in out
    assert acme.rstrip(" │").endswith("│ -")  # no cached verdict


def test_cached_verdicts_are_shown(run: Run, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def last_verdict(project_dir: Path, stack: str) -> dict[str, str] | None:
        seen.append((project_dir, stack))
        return {"verdict": "clean"} if stack == "acme" else None

    def current_verdicts(project_dir: Path, stacks: list[str]) -> dict[str, dict[str, str] | None]:
        return {stack: last_verdict(project_dir, stack) for stack in stacks}

    fake = types.ModuleType("tenantctl.cache")
    fake.current_verdicts = current_verdicts  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "tenantctl.cache", fake)

    code, out = run("tenants")

    assert code == 0
    assert "clean" in next(line for line in out.splitlines() if "│ acme" in line)
    assert "clean" not in next(line for line in out.splitlines() if "│ globex" in line)
    assert sorted(stack for _, stack in seen) == ["acme", "globex", "initech"]
    assert {str(directory) for directory, _ in seen} == {str(project)}


def test_a_broken_dependency_of_the_cache_module_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_cache_module(monkeypatch, missing="some_dependency")

    with pytest.raises(ModuleNotFoundError):
        views.verdict_lookup()


def test_invalid_stacks_are_listed_as_such(run: Run, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_cache_module(monkeypatch)
    (project / "stacks" / "Pulumi.broken.yaml").write_text("config: {unclosed\n")

    code, out = run("tenants")

    assert code == 0
    assert "invalid (1 problem(s)): tenantctl validate --stack broken" in out
