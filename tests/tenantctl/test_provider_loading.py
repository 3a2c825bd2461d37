"""Loading provider modules on first use records exactly what eager loading records, and stays tied to
the SDKs its data was generated from (tenantctl/provider_loading.py).

Each behaviour runs in a fresh interpreter: a test process has long since imported the SDKs eagerly.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import pickle
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from pulumi import _utils

from tenantctl import provider_loading

ROOT = Path(__file__).resolve().parents[2]

RECORD = """
import pickle, sys
from pathlib import Path
from tenantctl.check import program_environment
from tenantctl.program import record_stack
root = Path(sys.argv[1])
runs = {}
for stack in ("acme", "globex", "initech"):
    for preview in (True, False):
        with program_environment(root):
            run = record_stack(root, stack, preview=preview)
        runs[stack, preview] = sorted(
            (r.type, r.name, r.urn, r.parent, r.custom, r.dependencies, r.property_dependencies, r.properties)
            for r in run.resources
        )
loaded = sorted(m for m in sys.modules if m.startswith(("pulumi_aws", "pulumi_kubernetes")))
sys.stdout.buffer.write(pickle.dumps((runs, loaded)))
"""


def fresh_python(code: str, *args: str, lazy: bool = True) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TENANTCTL_LAZY_PROVIDERS": "1" if lazy else "0"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done.stdout


def test_pass_the_exports_file_is_what_the_pinned_sdks_generate():
    # Stale data (an SDK upgrade without `python -m tenantctl.provider_loading --write`) fails here.
    on_disk = json.loads(provider_loading.EXPORTS_FILE.read_text())
    assert on_disk == provider_loading.generate(provider_loading.installed_site_packages())
    assert on_disk["generated_from"] == {p: metadata.version(p) for p in provider_loading.PROVIDERS}


def test_pass_recordings_with_first_use_loading_equal_eager_ones_on_every_example_stack():
    lazy_runs, lazy_loaded = pickle.loads(fresh_python(RECORD, str(ROOT), lazy=True))
    eager_runs, eager_loaded = pickle.loads(fresh_python(RECORD, str(ROOT), lazy=False))
    assert lazy_runs == eager_runs
    # And it is what makes recording cheaper: far fewer provider modules are loaded.
    assert len(lazy_loaded) < len(eager_loaded) / 2, (len(lazy_loaded), len(eager_loaded))


NAMES = """
import json
from tenantctl import provider_loading
assert provider_loading.install()
import pulumi_aws as aws
import pulumi_kubernetes.core.v1 as v1
from pulumi_kubernetes.core.v1 import ConfigMap
out = {
    "namespace_is_class": isinstance(v1.Namespace, type),
    "namespace_module": v1.Namespace.__module__,
    "config_map": ConfigMap.__name__,
    "vpc_module_attr": type(aws.ec2.vpc).__name__,
    "vpc_args": aws.ec2.VpcArgs.__module__,
    "dir_lists_unused": "VpnGateway" in dir(aws.ec2),
    "vpn_loaded": "pulumi_aws.ec2.vpn_gateway" in __import__("sys").modules,
    "inputs_loader": type(v1._inputs.__spec__.loader).__name__,
    "annotation": __import__("inspect").get_annotations(v1._inputs.NamespaceSpecArgs.__init__)["finalizers"],
}
try:
    aws.ec2.NoSuchResource
except AttributeError as error:
    out["missing"] = str(error)
print(json.dumps(out))
"""


def test_pass_names_resolve_as_the_star_imports_would_bind_them():
    assert provider_loading._cache_entry("pulumi_kubernetes.core.v1._inputs").is_file(), (
        "no deferred-annotations code cache: run `python -m tenantctl.provider_loading --compile`"
    )
    out = json.loads(fresh_python(NAMES))
    assert out == {
        # Namespace.py exports class Namespace: the class wins, as after `from .Namespace import *`.
        "namespace_is_class": True,
        "namespace_module": "pulumi_kubernetes.core.v1.Namespace",
        "config_map": "ConfigMap",
        "vpc_module_attr": "module",
        "vpc_args": "pulumi_aws.ec2.vpc",
        "dir_lists_unused": True,
        "vpn_loaded": False,
        "missing": "module 'pulumi_aws.ec2' has no attribute 'NoSuchResource'",
        # From the code cache `make setup` fills: annotations deferred, a string until resolved.
        "inputs_loader": "_DeferredAnnotationsLoader",
        "annotation": "pulumi.Input[Optional[Sequence[pulumi.Input[_builtins.str]]]]",
    }


def test_fail_data_from_other_sdk_versions_installs_nothing(tmp_path, monkeypatch):
    data = json.loads(provider_loading.EXPORTS_FILE.read_text())
    data["generated_from"]["pulumi_aws"] = "0.0.1"
    stale = tmp_path / "provider-exports.json"
    stale.write_text(json.dumps(data))
    monkeypatch.setattr(provider_loading, "EXPORTS_FILE", stale)
    monkeypatch.setattr(provider_loading, "_installed", [])
    finders = list(sys.meta_path)
    assert provider_loading.install() is False
    assert sys.meta_path == finders


def test_fail_turned_off_by_the_environment_installs_nothing(monkeypatch):
    monkeypatch.setenv("TENANTCTL_LAZY_PROVIDERS", "0")
    monkeypatch.setattr(provider_loading, "_installed", [])
    assert provider_loading.install() is False


def test_fail_a_module_sharing_an_exported_name_stays_eager(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from ._inputs import *\nfrom .alpha import *\nfrom .beta import *\nfrom .gamma import *\n"
    )
    (package / "_inputs.py").write_text("__all__ = ['BetaArgs']\n")
    (package / "alpha.py").write_text("__all__ = ['Alpha', 'AlphaArgs']\n")
    (package / "beta.py").write_text("__all__ = ['Beta', 'BetaArgs']\n")  # shares BetaArgs with _inputs
    (package / "gamma.py").write_text("Gamma = 1\n")  # no __all__: star import takes every public name
    assert provider_loading.package_exports(package) == {"alpha": ["Alpha", "AlphaArgs"]}


EMPTY_FUNCTIONS = """
import inspect, json, sys
from pathlib import Path
from tenantctl import provider_loading
from tenantctl.check import program_environment
from tenantctl.program import record_stack
root = Path(sys.argv[1])
with program_environment(root):
    record_stack(root, "globex")
from pulumi import _utils
fast, original = _utils.is_empty_function, _utils.is_empty_function.__wrapped__
functions = [_utils._empty, _utils._empty_doc, _utils._empty_lambda, _utils._empty_lambda_doc, lambda: None]
for name, module in list(sys.modules.items()):
    if name.startswith(("pulumi_aws", "pulumi_kubernetes")):
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == name:
                for member in vars(cls).values():
                    for fn in (member, getattr(member, "fget", None), getattr(member, "fset", None)):
                        if inspect.isfunction(fn):
                            functions.append(fn)
differ = [f.__qualname__ for f in functions if fast(f) != original(f)]
print(json.dumps({"checked": len(functions), "empty": sum(map(original, functions)), "differ": differ}))
"""


def test_pass_the_fast_empty_function_check_answers_as_the_sdks_on_every_loaded_function():
    out = json.loads(fresh_python(EMPTY_FUNCTIONS, str(ROOT)))
    assert out["differ"] == []
    assert out["checked"] > 10_000
    assert out["empty"] >= 4  # the SDK's four empty shapes, at least


def _fingerprint(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def test_pass_the_installed_pulumi_is_the_release_the_empty_function_check_mirrors():
    assert metadata.version("pulumi") == provider_loading.PULUMI_VERSION
    # The SDK function the fast check wraps: a change to it must be reviewed before the pin moves.
    assert _fingerprint(inspect.getsource(_utils.is_empty_function)) == "ca7007a352379e2b"


@pytest.mark.parametrize("name", ["_empty", "_empty_doc", "_empty_lambda", "_empty_lambda_doc"])
def test_pass_the_sdk_still_has_the_empty_shapes_the_check_reads(name):
    assert inspect.isfunction(getattr(_utils, name))


def test_fail_a_cache_entry_for_another_version_of_the_source_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(provider_loading, "CODE_CACHE", tmp_path / "cache")
    source = tmp_path / "outputs.py"
    source.write_text("def f(x: Undefined) -> int:\n    return 1\n")
    provider_loading.compile_deferred(source, "pulumi_aws.fake.outputs")
    code = provider_loading.cached_code("pulumi_aws.fake.outputs", source)
    namespace: dict = {}
    exec(code, namespace)  # a deferred annotation naming nothing defined is no error until resolved
    assert namespace["f"].__annotations__ == {"x": "Undefined", "return": "int"}
    source.write_text("def f(x: Undefined) -> int:\n    return 22\n")  # the SDK file changed since
    assert provider_loading.cached_code("pulumi_aws.fake.outputs", source) is None
