"""A built pack folder runs when it is the only thing a machine has, as the consuming CLI runs it.

The emulation follows `pulumi policy publish` and the CLI's install of a published pack
(pkg/backend/httpstate/policypack.go, sdk/python/toolchain/pip.go): only the files the archiver
keeps (every .gitignore up the tree applies) are copied to an empty directory; `python -m venv venv`
is created inside it; `venv/bin/python -m pip install --upgrade pip setuptools wheel`, then
`-m pip install -r requirements.txt`, with the folder as working directory; then
`venv/bin/python -u -m pulumi.policy <engine> .` is started there and driven over gRPC. PYTHONPATH is
removed, so nothing of the repository is importable: pip may reuse its cache, never the repo.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from google.protobuf import empty_pb2

from mlops_policies.packs import BASELINE_PACK, REGULATED_PACK, pack_rules
from tenantctl.analyzer import PackResult, analyze, pack_server
from tenantctl.pack_build import archive_members, build_all, project_version
from tenantctl.program import ProgramRun, record_stack

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
PACKS = PROJECT / "policy_packs"
GATEKEEPER = "ten-01-stack-declares-tenant"


def _env_without_repo() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _pip(folder: Path, *args: str) -> None:
    subprocess.run(
        [str(folder / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", *args],
        cwd=folder,
        env=_env_without_repo(),
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each pack built, archived as publish archives it, extracted alone and installed like the CLI."""
    built_dir = tmp_path_factory.mktemp("built")
    home = tmp_path_factory.mktemp("policies")
    folders = {}
    for built in build_all(PROJECT, built_dir):
        kept, dropped = archive_members(built)
        assert dropped == {}
        folder = home / built.name / project_version(PROJECT)
        for relative in kept:
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(built / relative, folder / relative)
        subprocess.run(
            [sys.executable, "-m", "venv", str(folder / "venv")], env=_env_without_repo(), check=True
        )
        _pip(folder, "--upgrade", "pip", "setuptools", "wheel")
        _pip(folder, "-r", "requirements.txt")
        folders[built.name] = folder
    return folders


@pytest.fixture(autouse=True)
def _no_repo_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # pack_server copies os.environ; the repository must not reach the pack through it.
    monkeypatch.delenv("PYTHONPATH", raising=False)


def _python(folder: Path) -> str:
    return str(folder / "venv" / "bin" / "python")


@cache
def run_of(stack: str) -> ProgramRun:
    return record_stack(PROJECT, stack)


def _verdicts(result: PackResult) -> set[tuple[str, str, str, str]]:
    return {(d.policy, d.urn, d.enforcement, d.message) for d in result.diagnostics}


def test_the_installed_pack_imports_only_its_own_copies(installed):
    folder = installed[BASELINE_PACK]
    probe = "import mlops_policies, landingzone.controls as c; print(mlops_policies.__file__)"
    inside = subprocess.run(
        [_python(folder), "-c", probe], cwd=folder, env=_env_without_repo(), capture_output=True, text=True
    )
    assert inside.stdout.split()[0] == str(folder / "mlops_policies" / "__init__.py")
    outside = subprocess.run(
        [_python(folder), "-c", "import tenantctl"], cwd=folder.parent, env=_env_without_repo(),
        capture_output=True, text=True,
    )  # fmt: skip
    assert "No module named 'tenantctl'" in outside.stderr


def test_the_built_folder_carries_the_project_version_and_a_venv_inside_it(installed):
    import yaml

    for folder in installed.values():
        document = yaml.safe_load((folder / "PulumiPolicy.yaml").read_text())
        assert document["version"] == project_version(PROJECT)
        options = {"toolchain": "pip", "virtualenv": "venv"}
        assert document["runtime"] == {"name": "python", "options": options}
        shipped = os.listdir(folder / "mlops_policies" / "controls" / "ten_01")
        assert not any(name.startswith("test_") for name in shipped)


@pytest.mark.parametrize("pack", [BASELINE_PACK, REGULATED_PACK])
def test_the_pack_alone_describes_the_same_policies_as_the_repository(installed, pack):
    with pack_server(installed[pack], run_of("acme"), python=_python(installed[pack])) as (stub, _engine):
        info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=60)
    assert info.name == pack
    assert [p.name for p in info.policies] == [r.name for r in pack_rules(pack)]


@pytest.mark.parametrize("stack", ["acme", "globex"])
def test_the_pack_alone_gives_the_repository_verdicts_on_an_example_stack(installed, stack, monkeypatch):
    packs = [BASELINE_PACK, REGULATED_PACK] if stack == "globex" else [BASELINE_PACK]
    for pack in packs:
        alone = analyze(installed[pack], run_of(stack), python=_python(installed[pack]))
        # The source pack runs on this checkout's code (as tenantctl check runs it).
        with monkeypatch.context() as repo_env:
            repo_env.setenv("PYTHONPATH", str(PROJECT))
            repo = analyze(PACKS / pack, run_of(stack))
        assert _verdicts(alone) == _verdicts(repo)
        assert {(n.policy, n.reason) for n in alone.not_applicable} == {
            (n.policy, n.reason) for n in repo.not_applicable
        }
        assert [d for d in alone.diagnostics if d.enforcement == "mandatory"] == []


def test_policy_config_reaches_the_pack_alone_through_configure(installed):
    # Raising the registry minimum above acme's 30 days must block it, exactly as in the repository.
    config = {"prov-01-registry-default-retention": {"minRegistryRetentionDays": 90}}
    folder = installed[BASELINE_PACK]
    alone = analyze(folder, run_of("acme"), config, python=_python(folder))
    assert {d.policy for d in alone.diagnostics if d.enforcement == "mandatory"} == {
        "prov-01-registry-default-retention"
    }


def _another_teams_stack() -> ProgramRun:
    """A stack of another project: no landingzone:* config at all, one resource."""
    acme = run_of("acme")
    bucket = next(r for r in acme.resources if r.type == "aws:s3/bucket:Bucket")
    return ProgramRun(stack="prod", preview=True, resources=[bucket], config={"aws:region": "us-east-1"})


def test_a_stack_without_tenant_config_is_blocked_by_the_gatekeeper_alone(installed):
    folder = installed[BASELINE_PACK]
    result = analyze(folder, _another_teams_stack(), python=_python(folder))
    assert [(d.policy, d.enforcement) for d in result.diagnostics] == [(GATEKEEPER, "mandatory")]
    assert result.diagnostics[0].message.endswith(
        "stack 'mlops-landing-zone/prod' has no landingzone:tenant config and project 'mlops-landing-zone' "
        "is not in projectsWithoutTenant; required: a landingzone:tenant config, or the project listed by "
        "the org admin"
    )


def test_a_stack_without_tenant_config_passes_when_the_org_admin_lists_its_project(installed):
    # The same JSON the README passes to `pulumi policy enable --config`.
    config = json.loads('{"ten-01-stack-declares-tenant": {"projectsWithoutTenant": ["mlops-landing-*"]}}')
    for pack in (BASELINE_PACK, REGULATED_PACK):
        result = analyze(installed[pack], _another_teams_stack(), config if pack == BASELINE_PACK else None,
                         python=_python(installed[pack]))  # fmt: skip
        assert result.diagnostics == []
