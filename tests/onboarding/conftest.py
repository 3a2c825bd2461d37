"""Each test works on a throw-away copy of the project's stacks/ and platform.yaml (via --project-dir)."""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from tenantctl.onboarding import register

ROOT = Path(__file__).resolve().parents[2]


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "stacks", destination / "stacks")
    shutil.copy(ROOT / "platform.yaml", destination / "platform.yaml")
    return destination


def digest(directory: Path) -> str:
    """Names and bytes of everything under `directory`, hidden files included."""
    sha = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        sha.update(str(path.relative_to(directory)).encode())
        if path.is_file():
            sha.update(path.read_bytes())
    return sha.hexdigest()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tenantctl")
    register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


Run = Callable[..., tuple[int, str]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def run(project: Path) -> Run:
    """`run("onboard", "--tenant", ...)` -> (exit code, terminal output) against the project copy."""

    def invoke(*argv: str) -> tuple[int, str]:
        out = io.StringIO()
        args = parse([*argv, "--project-dir", str(project)])
        code = args.func(args, Console(file=out, width=250))
        return code, out.getvalue()

    return invoke
