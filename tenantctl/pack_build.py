"""`tenantctl packs build`: turn the repository's pack folders into folders that run on their own.

`pulumi policy publish` archives the pack folder and nothing else; the consuming CLI extracts it
under ~/.pulumi/policies/<org>/<pack>/<version>, creates `venv/` inside it with `python -m venv`,
runs `venv/bin/python -m pip install -r requirements.txt` with the folder as working directory, and
starts `venv/bin/python -m pulumi.policy <engine> .` there. So a built pack folder carries:

- `mlops_policies/` and `landingzone/` (code and catalog data), vendored: `python -m` puts the
  working directory first on sys.path, so the copies next to `__main__.py` are what the pack imports;
- `requirements.txt` with the third-party pins copied from the project's requirements.txt;
- `PulumiPolicy.yaml` with `virtualenv: venv` (inside the folder) and the project's version from
  pyproject.toml (the CLI uses it over the version the Python SDK reports);
- a `.gitignore` keeping `venv/` and bytecode out of a later publish.

The archive honours every `.gitignore` from the pack folder up to the filesystem root, so a folder
built under an ignored directory (this repository ignores `/build/`) would be published empty.
`build` checks the folder the way the CLI archives it and refuses such a destination.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PACKS = ("mlops-baseline", "mlops-regulated")
VENDORED_PACKAGES = ("mlops_policies", "landingzone")
# What the vendored packages import from PyPI; the pins come from the project's requirements.txt.
PACK_DEPENDENCIES = ("pulumi", "pulumi-policy", "PyYAML", "pydantic", "jsonschema", "grpcio", "protobuf")
PACK_GITIGNORE = "venv/\n__pycache__/\n*.pyc\n"
BUILD_MARKER = ".tenantctl-pack-build"


class PackBuildError(Exception):
    """The packs cannot be built as asked (the message says what to change)."""


# ---------------------------------------------------------------- one place for versions and pins


def project_version(project_dir: Path) -> str:
    """`[project] version` of pyproject.toml: the version of the project and of every pack."""
    path = project_dir / "pyproject.toml"
    try:
        version = tomllib.loads(path.read_text())["project"]["version"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as err:
        raise PackBuildError(f"{path}: cannot read [project] version ({err})") from None
    return str(version)


def pinned_requirements(project_dir: Path) -> list[str]:
    """The `name==version` lines of requirements.txt for the packages the vendored code needs."""
    path = project_dir / "requirements.txt"
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s#;]+).*", line)
        if match:
            pins[_canonical(match.group(1))] = f"{match.group(1)}=={match.group(2)}"
    missing = [name for name in PACK_DEPENDENCIES if _canonical(name) not in pins]
    if missing:
        raise PackBuildError(f"{path}: no '==' pin for {', '.join(missing)}; the packs need exact pins")
    return [pins[_canonical(name)] for name in PACK_DEPENDENCIES]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# ---------------------------------------------------------------- what `pulumi policy publish` archives


@dataclass(frozen=True)
class _IgnoreFile:
    """One .gitignore, compiled the way the CLI's archiver (sabhiram/go-gitignore) compiles it."""

    root: str
    patterns: tuple[tuple[re.Pattern[str], bool, str], ...]

    @classmethod
    def load(cls, path: Path) -> _IgnoreFile:
        compiled = []
        for line in path.read_text(errors="replace").split("\n"):
            pattern = _compile(line)
            if pattern is not None:
                compiled.append((*pattern, line.strip()))
        return cls(str(path.parent), tuple(compiled))

    def match(self, file: str) -> str | None:
        """The pattern that ignores `file` (an absolute path), or None."""
        relative = file.removeprefix(self.root)
        found: str | None = None
        for regex, negate, line in self.patterns:
            if regex.search(relative):
                if not negate:
                    found = line
                elif found is not None:
                    found = None
        return found


def _compile(line: str) -> tuple[re.Pattern[str], bool] | None:
    """go-gitignore's getPatternFromLine, step by step (its quirks included: that is what runs)."""
    line = line.rstrip("\r")
    if line.startswith("#"):
        return None
    line = line.strip(" ")
    if not line:
        return None
    negate = line[0] == "!"
    if negate:
        line = line[1:]
    if re.match(r"^(\#|\!)", line):
        line = line[1:]
    if re.search(r"([^\/+])/.*\*\.", line) and line[0] != "/":
        line = "/" + line
    line = line.replace(".", r"\.")
    magic = "#$~"
    if line.startswith("/**/"):
        line = line[1:]
    line = line.replace("/**/", "(/|/.+/)")
    line = line.replace("**/", f"(|.{magic}/)")
    line = line.replace("/**", f"(|/.{magic})")
    line = line.replace("\\*", "\\" + magic)
    line = line.replace("*", "([^/]*)")
    line = line.replace("?", r"\?")
    line = line.replace(magic, "*")
    expr = line + ("(|.*)$" if line.endswith("/") else "(|/.*)$")
    expr = "^(|/)" + expr[1:] if expr.startswith("/") else "^(|.*/)" + expr
    try:
        return re.compile(expr), negate
    except re.error:
        return None  # go's regexp.Compile error is ignored too: the line ignores nothing


def archive_members(folder: Path) -> tuple[list[str], dict[str, str]]:
    """What `pulumi policy publish` would put in the archive: (kept files, dropped file -> reason).

    Paths are relative to `folder`. The CLI applies the folder's own .gitignore files, every
    .gitignore above the folder, and skips `.git`.
    """
    folder = folder.resolve()
    ancestors = [
        _IgnoreFile.load(parent / ".gitignore")
        for parent in folder.parents
        if (parent / ".gitignore").is_file()
    ]
    kept: list[str] = []
    dropped: dict[str, str] = {}
    for path, ignores in _walk(folder, ancestors):
        relative = str(path.relative_to(folder))
        for ignore in ignores:
            pattern = ignore.match(str(path))
            if pattern is not None:
                dropped[relative] = f"pattern '{pattern}' of {ignore.root}/.gitignore"
                break
        else:
            kept.append(relative)
    return sorted(kept), dropped


def _walk(directory: Path, ignores: list[_IgnoreFile]) -> Iterator[tuple[Path, list[_IgnoreFile]]]:
    own = directory / ".gitignore"
    if own.is_file():
        ignores = [_IgnoreFile.load(own), *ignores]
    for entry in sorted(directory.iterdir()):
        if entry.name == ".git":
            continue
        if entry.is_dir():
            yield from _walk(entry, ignores)
        elif entry.is_file():
            yield entry, ignores


# ---------------------------------------------------------------- building


def build_pack(project_dir: Path, pack: str, out_dir: Path) -> Path:
    """Write the self-contained folder of `pack` to out_dir/pack and return it."""
    source = project_dir / "policy_packs" / pack
    if not (source / "PulumiPolicy.yaml").is_file():
        raise PackBuildError(f"{source}: no PulumiPolicy.yaml; packs are {', '.join(PACKS)}")
    target = out_dir / pack
    _prepare(target)
    document = yaml.safe_load((source / "PulumiPolicy.yaml").read_text()) or {}
    document["version"] = project_version(project_dir)
    document["runtime"] = {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    (target / "PulumiPolicy.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    (target / "requirements.txt").write_text(
        "# Written by `tenantctl packs build` from the project's requirements.txt; the rules and the\n"
        "# control catalog are vendored next to __main__.py (mlops_policies/, landingzone/).\n"
        + "\n".join(pinned_requirements(project_dir))
        + "\n"
    )
    (target / ".gitignore").write_text(PACK_GITIGNORE)
    shutil.copy2(source / "__main__.py", target / "__main__.py")
    for package in VENDORED_PACKAGES:
        shutil.copytree(project_dir / package, target / package, ignore=_not_shipped)
    (target / BUILD_MARKER).write_text(f"{pack} {document['version']}\n")
    _refuse_dropped_files(target)
    return target


def _not_shipped(directory: str, names: list[str]) -> set[str]:
    """Tests, caches and bytecode stay in the repository."""
    return {
        n
        for n in names
        if n == "__pycache__" or n.endswith(".pyc") or (n.startswith("test_") and n.endswith(".py"))
    }


def _prepare(target: Path) -> None:
    if target.exists():
        if not (target / BUILD_MARKER).is_file():
            raise PackBuildError(f"{target} exists and was not written by `tenantctl packs build`; use --out")
        shutil.rmtree(target)
    target.mkdir(parents=True)


def _refuse_dropped_files(target: Path) -> None:
    _kept, dropped = archive_members(target)
    if dropped:
        first, reason = next(iter(sorted(dropped.items())))
        shutil.rmtree(target)
        raise PackBuildError(
            f"{target}: `pulumi policy publish` would leave out {len(dropped)} file(s) of the pack "
            f"(e.g. {first}: {reason}); build outside ignored directories (--out $RUNNER_TEMP/packs)"
        )


def build_all(project_dir: Path, out_dir: Path, packs: tuple[str, ...] = PACKS) -> list[Path]:
    source_packs = (project_dir / "policy_packs").resolve()
    resolved = out_dir.resolve()
    if resolved == source_packs or source_packs in resolved.parents:
        raise PackBuildError(f"--out {out_dir}: must not be inside policy_packs/ (the packs' sources)")
    return [build_pack(project_dir, pack, out_dir) for pack in packs]


# ---------------------------------------------------------------- the command


def register(subparsers: Any) -> None:
    from tenantctl.helptext import COMMANDS, add_command, epilog

    packs = add_command(subparsers, "packs")
    commands = packs.add_subparsers(dest="packs_command", required=True, metavar="COMMAND")
    build = commands.add_parser(
        "build",
        help="write each pack folder with its rules, catalog, pinned requirements and version",
        description=COMMANDS["packs"].description,
        epilog=epilog(COMMANDS["packs"]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("--out", type=Path, required=True, metavar="DIR", help="where the pack folders go")
    build.add_argument(
        "--pack", action="append", choices=PACKS, metavar="NAME", help=f"only this pack ({', '.join(PACKS)})"
    )
    build.add_argument("--project-dir", type=Path, default=Path.cwd(), metavar="DIR", help="project root")
    build.set_defaults(func=handle_build)


def handle_build(args: argparse.Namespace) -> int:
    try:
        built = build_all(args.project_dir, args.out, tuple(args.pack or PACKS))
    except PackBuildError as err:
        print(f"tenantctl packs build: {err}", file=sys.stderr)
        return 2
    for folder in built:
        kept, _dropped = archive_members(folder)
        print(f"{folder}{os.sep}: {len(kept)} files, version {project_version(args.project_dir)}")
    return 0
