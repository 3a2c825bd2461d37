"""The cache key changes with every input that can change a verdict, and only clean results are reused."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_policies.policy_facts import PolicyFacts
from tenantctl import cache
from tenantctl.check import CRASH, UNDECIDED, VIOLATION, CheckOptions, Finding, PolicyOutcome, StackResult
from tenantctl.worker import plan_fleet

INPUTS = {
    "stack file": "stacks/Pulumi.a.yaml",
    "program": "__main__.py",
    "project file": "Pulumi.yaml",
    "pinned dependencies": "requirements.txt",
    "component code": "components/network.py",
    "nested component code": "components/parts/vpc.py",
    "landingzone code": "landingzone/config.py",
    "control catalog": "landingzone/data/controls.yaml",
    "GPU catalog": "landingzone/data/gpu-catalog.yaml",
    "policy rules": "mlops_policies/controls/prov_03/ecr_immutable_tags.py",
    "policy type table": "mlops_policies/data/typemap.yaml",
    "pack program": "policy_packs/mlops-baseline/__main__.py",
    "pack metadata": "policy_packs/mlops-baseline/PulumiPolicy.yaml",
    "pack requirements": "policy_packs/mlops-regulated/requirements.txt",
}
NOT_INPUTS = [
    "stacks/Pulumi.b.yaml",  # another stack
    "README.md",
    "docs/controls.md",
    "components/__pycache__/network.cpython-311.pyc",
    "tests/test_something.py",
    "components/notes.txt",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for relative in [*INPUTS.values(), *NOT_INPUTS]:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {relative}\n")
    return tmp_path


def key(project: Path, config_text: str = "") -> str:
    return cache.cache_key(project, "a", project / "policy_packs", config_text)


@pytest.mark.parametrize("what", sorted(INPUTS))
def test_key_changes_when_an_input_changes(project: Path, what: str) -> None:
    before = key(project)
    path = project / INPUTS[what]
    original = path.read_text()
    path.write_text(original + "# changed\n")
    assert key(project) != before, what
    path.write_text(original)
    assert key(project) == before


def test_key_changes_when_an_input_appears_or_disappears(project: Path) -> None:
    before = key(project)
    (project / "components" / "new.py").write_text("x = 1\n")
    assert key(project) != before
    (project / "components" / "new.py").unlink()
    (project / "mlops_policies" / "controls" / "prov_03" / "ecr_immutable_tags.py").unlink()
    assert key(project) != before


def test_key_ignores_files_that_cannot_change_the_verdict(project: Path) -> None:
    before = key(project)
    for relative in NOT_INPUTS:
        (project / relative).write_text("changed\n")
    assert key(project) == before


def test_key_covers_policy_config_and_tenantctl_version(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = key(project)
    assert key(project, '{"all": "advisory"}') != before
    monkeypatch.setattr(cache, "tenantctl_version", lambda: "9.9.9+other")
    assert key(project) != before


def test_key_covers_the_format_of_the_stored_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = CheckOptions(project_dir=project, packs_dir=project / "policy_packs")
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT - 1)
    older = plan_fleet(["a"], options, "", use_cache=True, strict=False)
    cache.store(project, older.keys["a"], result("a"))
    assert list(plan_fleet(["a"], options, "", use_cache=True, strict=False).cached) == ["a"]

    monkeypatch.undo()

    # An entry of another format is never read, even when every input is unchanged.
    assert plan_fleet(["a"], options, "", use_cache=True, strict=False).to_check == ["a"]


def test_a_cached_result_holds_the_same_policies_as_the_stored_one(project: Path) -> None:
    facts = PolicyFacts(
        pack="mlops-baseline", name="prov-03-ecr-immutable-tags", control="PROV-03", area="provenance",
        title="Immutable registries", description="d", display_name="PROV-03: Immutable registries",
        declared="mandatory", severity="high", remediation="r", tags=("provenance", "baseline"),
        kind="resource", framework_version="1",
    )  # fmt: skip
    stored = result("a")
    stored.policies = [PolicyOutcome(facts, enforcement="advisory", status="passed")]
    cache.store(project, "k", stored)

    cached = cache.cached_clean(project, "a", "k", strict=False)

    assert cached is not None and cached.policies == stored.policies


def result(stack: str, *findings: Finding, status: str = "ok") -> StackResult:
    return StackResult(stack=stack, status=status, tier="standard", findings=list(findings), checked_at="now")


def a_finding(kind: str) -> Finding:
    return Finding(
        kind, "mlops-baseline", "p", "PROV-03", "provenance", "mandatory", "high", "u", "t", "n", "m", "r"
    )


def test_only_unchanged_clean_results_are_reused(project: Path) -> None:
    options = CheckOptions(project_dir=project, packs_dir=project / "policy_packs")
    plan = plan_fleet(["a", "b"], options, "", use_cache=True, strict=False)
    assert plan.to_check == ["a", "b"] and not plan.cached
    cache.store(project, plan.keys["a"], result("a", a_finding(UNDECIDED)))
    cache.store(project, plan.keys["b"], result("b", a_finding(VIOLATION)))

    plan = plan_fleet(["a", "b"], options, "", use_cache=True, strict=False)
    assert list(plan.cached) == ["a"] and plan.cached["a"].cached and plan.to_check == ["b"]
    # --strict fails on the undecided mandatory policy, so that clean result is not clean enough.
    assert plan_fleet(["a"], options, "", use_cache=True, strict=True).to_check == ["a"]
    assert plan_fleet(["a"], options, "", use_cache=False, strict=False).to_check == ["a"]
    (project / "stacks" / "Pulumi.a.yaml").write_text("changed\n")
    assert plan_fleet(["a"], options, "", use_cache=True, strict=False).to_check == ["a"]

    verdict = cache.last_verdict(project, "b")
    assert verdict is not None and verdict["verdict"] == "blocked" and verdict["counts"]["violations"] == 1
    assert set(verdict) == {"key", "verdict", "counts", "checked_at", "tenantctl"}
    cache.store(project, plan.keys["b"], result("b", status=CRASH))
    assert cache.last_verdict(project, "b")["verdict"] == "crash"  # type: ignore[index]
    assert cache.last_verdict(project, "never-checked") is None


def test_a_corrupt_cache_entry_is_a_miss(project: Path) -> None:
    options = CheckOptions(project_dir=project, packs_dir=project / "policy_packs")
    (project / cache.CACHE_DIR).mkdir()
    (project / cache.CACHE_DIR / "a.json").write_text("{not json")
    assert plan_fleet(["a"], options, "", use_cache=True, strict=False).to_check == ["a"]
    assert cache.last_verdict(project, "a") is None
