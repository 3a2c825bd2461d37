"""Load the provider SDKs the way the recorded program uses them: a resource's module on first use.

Why: most of recording a landing zone is loading pulumi_aws and pulumi_kubernetes. A generated
sub-package such as `pulumi_aws.ec2` imports every one of its ~300 resource and function modules in
its `__init__.py`, and the program uses a dozen; recording one tenant loaded ~850 provider modules
to use ~60 classes, ~1.2 of its ~3.8 CPU-seconds. pulumi_aws already loads its sub-packages lazily
(`_utilities.lazy_import`); this applies the same idea one level down, for the gate's recorder only
(`pulumi up` imports the SDKs as they are).

How: `install()` puts a meta-path finder in front of the packages listed in
`data/provider-exports.json`, which is generated from the pinned SDKs (`python -m
tenantctl.provider_loading --write`; tests/tenantctl/test_provider_loading.py fails when it is
stale). Such a package runs its own `__init__.py` without the `from .<module> import *` lines of the
listed modules; the first use of a name one of them exports imports that module and binds every name
it exports, exactly as the star import would have (a module exporting a class of its own name, like
pulumi_kubernetes' `Namespace`, ends up bound to the class, not the module). `_enums`, `_inputs` and
`outputs` stay eager: every resource module imports them anyway. A module is listed only when it
declares a literal `__all__` and no other module of the package exports any of its names, so binding
order cannot matter. When the installed SDK versions are not the ones the data was generated from,
nothing is installed and the SDKs load eagerly: slower, never different. `TENANTCTL_LAZY_PROVIDERS=0`
turns it off.

What stays the same: every class is the SDK's own, made by the SDK's own module, so the program
registers exactly what it registers without this (tested on every example stack). What differs:
`from pulumi_aws.ec2 import *` in a program sees only the names already used (the generated
`__init__.py` has no `__all__`); `dir()` lists them all.

Second, annotations: the generated `_inputs` and `outputs` modules spend most of their load time
evaluating type annotations (`Optional[pulumi.Input[Sequence[...]]]`) that nothing reads until the
SDK resolves a type with `typing.get_type_hints`, which takes strings as well. `--compile` (run by
`make setup`) compiles them once with annotations deferred (PEP 563, the default from Python 3.14 on)
into a code cache beside the interpreter (`<sys.prefix>/share/tenantctl/`), keyed like a `.pyc` by
the interpreter's magic number and the source's size and mtime; the recorder loads a module from it
when the entry is current and from the SDK's own bytecode otherwise, so a missing or stale cache
costs time, never a difference. (About 0.6 of the remaining ~2.5 CPU-seconds.)

Also here, for the same reason: `pulumi._utils.is_empty_function`, which the SDK calls for every
property getter of every generated class (~30,000 per recording), compared the constants of each
function before its bytecode; `install()` checks the bytecode first. The answer is the same for every
function (tested on every function of the loaded provider modules); the pulumi version is pinned.

Long (about 340 lines) because the three speed-ups and their generators share one pinning: the SDK
versions the data was made from, checked before anything is installed.
"""

from __future__ import annotations
import __future__

import argparse
import ast
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

EXPORTS_FILE = Path(__file__).with_name("data") / "provider-exports.json"
PROVIDERS = ("pulumi_aws", "pulumi_kubernetes")
PULUMI_VERSION = "3.272.0"
"""The pulumi SDK whose `_utils.is_empty_function` the fast check mirrors (requirements.txt pins it)."""
_EAGER = frozenset({"_enums", "_inputs"})
_DEFERRED = ("_inputs", "outputs")
CODE_CACHE = Path(os.environ.get("TENANTCTL_PROVIDER_CODE", Path(sys.prefix) / "share" / "tenantctl"))
_CACHE_TAG = f"provider-code-{sys.implementation.cache_tag}"
_STAR_IMPORT = re.compile(r"^from \.(\w+) import \*$", re.MULTILINE)
_ALL = re.compile(r"^__all__ = (\[[^\]]*\])", re.MULTILINE)


# ---------------------------------------------------------------- the data, generated from the SDKs


def exports_of(source: str) -> list[str] | None:
    """The literal `__all__` of a module's source, or None when it has none (or not a literal list).

    Generated modules spell it on one top-level line; reading just that line keeps generation fast.
    """
    match = _ALL.search(source)
    if match is None:
        return None
    try:
        value = ast.literal_eval(match.group(1))
    except (ValueError, SyntaxError):
        return None
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def package_exports(package_dir: Path) -> dict[str, list[str]]:
    """Module -> names, for the star-imported modules of one package that can load on first use."""
    init = (package_dir / "__init__.py").read_text(encoding="utf-8")
    candidates: dict[str, list[str] | None] = {}
    for module in _STAR_IMPORT.findall(init):
        path = package_dir / f"{module}.py"
        candidates[module] = exports_of(path.read_text(encoding="utf-8")) if path.is_file() else None
    owners: dict[str, int] = {}
    for names in candidates.values():
        # Eager or unreadable modules count too: a lazy module must not shadow or be shadowed by them.
        for name in names or ():
            owners[name] = owners.get(name, 0) + 1
    return {
        module: names
        for module, names in candidates.items()
        if module not in _EAGER and names is not None and all(owners[n] == 1 for n in names)
    }


def generate(site_packages: Path) -> dict[str, Any]:
    packages: dict[str, dict[str, list[str]]] = {}
    for provider in PROVIDERS:
        for init in sorted((site_packages / provider).rglob("__init__.py")):
            exports = package_exports(init.parent)
            if exports:
                packages[".".join(init.parent.relative_to(site_packages).parts)] = exports
    return {
        "generated_from": {provider: metadata.version(provider) for provider in PROVIDERS},
        "packages": packages,
    }


def installed_site_packages() -> Path:
    import pulumi_aws

    return Path(pulumi_aws.__file__).resolve().parent.parent


# ---------------------------------------------------------------- loading on first use


class _FirstUseLoader(importlib.abc.Loader):
    def __init__(self, origin: str, exports: Mapping[str, Sequence[str]]) -> None:
        self._origin = origin
        self._exports = exports

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        source = Path(self._origin).read_text(encoding="utf-8")
        exports = self._exports
        kept = _STAR_IMPORT.sub(lambda m: "" if m.group(1) in exports else m.group(0), source)
        owner = {name: sub for sub, names in exports.items() for name in names}
        package = module.__name__

        def __getattr__(name: str) -> Any:
            sub = owner.get(name, name if name in exports else None)
            if sub is None:
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            loaded = importlib.import_module(f"{package}.{sub}")
            # What `from .<sub> import *` does after the import bound `<sub>` to the module.
            for exported in exports[sub]:
                setattr(module, exported, getattr(loaded, exported))
            return module.__dict__[name]

        def __dir__() -> list[str]:
            return sorted({*module.__dict__, *owner, *exports})

        module.__dict__.update(__getattr__=__getattr__, __dir__=__dir__)
        exec(compile(kept, self._origin, "exec"), module.__dict__)  # the SDK file, minus those lines


# ---------------------------------------------------------------- annotations deferred, from a code cache


def _cache_entry(fullname: str) -> Path:
    return CODE_CACHE / _CACHE_TAG / f"{fullname}.bin"


def _header(source: Path) -> bytes:
    stat = source.stat()
    return (
        importlib.util.MAGIC_NUMBER
        + stat.st_mtime_ns.to_bytes(8, "little")
        + stat.st_size.to_bytes(8, "little")
    )


def cached_code(fullname: str, source: Path) -> Any | None:
    """The deferred-annotations code of `source` when the cache holds it for this exact file, else None."""
    try:
        data = _cache_entry(fullname).read_bytes()
        header = _header(source)
    except OSError:
        return None
    if not data.startswith(header):
        return None
    return marshal.loads(data[len(header) :])


def compile_deferred(source: Path, fullname: str) -> None:
    code = compile(
        source.read_bytes(),
        str(source),
        "exec",
        flags=__future__.annotations.compiler_flag,
        dont_inherit=True,
    )
    entry = _cache_entry(fullname)
    entry.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False) as handle:
        handle.write(_header(source) + marshal.dumps(code))
    Path(handle.name).replace(entry)  # atomic: a concurrent recorder sees the old entry or the new


def deferred_modules(site_packages: Path) -> list[tuple[str, Path]]:
    found = []
    for provider in PROVIDERS:
        for name in _DEFERRED:
            for source in sorted((site_packages / provider).rglob(f"{name}.py")):
                found.append((".".join(source.relative_to(site_packages).with_suffix("").parts), source))
    return found


class _DeferredAnnotationsLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname: str) -> Any:
        code = cached_code(fullname, Path(self.path))
        return code if code is not None else super().get_code(fullname)


class _FirstUseFinder(importlib.abc.MetaPathFinder):
    def __init__(self, packages: Mapping[str, Mapping[str, Sequence[str]]]) -> None:
        self._packages = packages

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.rpartition(".")[2] in _DEFERRED:
            return self._deferred_spec(fullname, path)
        exports = self._packages.get(fullname)
        if exports is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or not spec.submodule_search_locations:
            return None
        spec.loader = _FirstUseLoader(spec.origin, exports)
        return spec

    def _deferred_spec(
        self, fullname: str, path: Sequence[str] | None
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(tuple(f"{p}." for p in PROVIDERS)) or not _cache_entry(fullname).is_file():
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or spec.submodule_search_locations is not None:
            return None
        spec.loader = _DeferredAnnotationsLoader(fullname, spec.origin)
        return spec


def _versions_match(generated_from: Mapping[str, str]) -> bool:
    try:
        return all(metadata.version(p) == v for p, v in generated_from.items())
    except metadata.PackageNotFoundError:
        return False


def _fast_is_empty_function(original: Callable[[Any], bool]) -> Callable[[Any], bool]:
    from pulumi import _utils

    empty_bytecode = frozenset(
        f.__code__.co_code
        for f in (_utils._empty, _utils._empty_doc, _utils._empty_lambda, _utils._empty_lambda_doc)
    )

    def is_empty_function(fn: Callable[..., Any]) -> bool:
        # The SDK's answer is True only for one of these four bytecodes: anything else is False.
        return fn.__code__.co_code in empty_bytecode and original(fn)

    is_empty_function.__wrapped__ = original  # type: ignore[attr-defined]
    return is_empty_function


_installed: list[_FirstUseFinder] = []


def install() -> bool:
    """Load the providers on first use from now on in this process; False when the data does not
    match the installed SDKs (then they load eagerly). Idempotent."""
    if _installed:
        return True
    if os.environ.get("TENANTCTL_LAZY_PROVIDERS", "1") == "0":
        return False
    data = json.loads(EXPORTS_FILE.read_text(encoding="utf-8"))
    if not _versions_match(data["generated_from"]):
        return False
    from pulumi import _utils

    if metadata.version("pulumi") == PULUMI_VERSION and not hasattr(_utils.is_empty_function, "__wrapped__"):
        _utils.is_empty_function = _fast_is_empty_function(_utils.is_empty_function)  # type: ignore[assignment]
    finder = _FirstUseFinder(data["packages"])
    sys.meta_path.insert(0, finder)
    _installed.append(finder)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate tenantctl/data/provider-exports.json")
    parser.add_argument("--write", action="store_true", help="write the file (default: print it)")
    parser.add_argument(
        "--compile", action="store_true", help=f"fill the deferred-annotations code cache ({CODE_CACHE})"
    )
    args = parser.parse_args(argv)
    if args.compile:
        modules = deferred_modules(installed_site_packages())
        for fullname, source in modules:
            if cached_code(fullname, source) is None:
                compile_deferred(source, fullname)
        print(f"{len(modules)} provider modules with deferred annotations in {CODE_CACHE / _CACHE_TAG}")
        return 0
    text = json.dumps(generate(installed_site_packages()), indent=0, sort_keys=True) + "\n"
    if args.write:
        EXPORTS_FILE.parent.mkdir(exist_ok=True)
        EXPORTS_FILE.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
