"""`tenantctl --help` and every sub-command's help, pinned by committed snapshots in help/.

A change to an option or a help text fails here until the snapshots are regenerated and reviewed:

    PYTHONPATH=. .venv/bin/python -m tests.tenantctl.test_help --update
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

from tenantctl import cli
from tenantctl.helptext import COMMANDS

SNAPSHOTS = Path(__file__).parent / "help"
WIDTH = "100"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def rendered() -> dict[str, str]:
    """name -> help text, at a fixed width (argparse reads COLUMNS)."""
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        parser = cli.build_parser()
        texts = {"tenantctl": parser.format_help()}
        texts.update({name: sub.format_help() for name, sub in _subcommands(parser).items()})
        return texts
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def test_every_subcommand_has_a_description_examples_and_exit_codes() -> None:
    texts = rendered()
    commands = set(texts) - {"tenantctl"}
    assert commands == set(COMMANDS)
    for name in commands:
        text = texts[name]
        assert COMMANDS[name].description.split("\n")[0] in text, name
        assert "\nexamples:\n  tenantctl " in text, name
        assert "\nexit codes:\n  0  " in text, name


def test_no_developer_notes_reach_the_help() -> None:
    for name, text in rendered().items():
        for leak in ("runner.run_audit", "wiring", "sub-commands of the other", "module", "the lead"):
            assert leak not in text, (name, leak)


@pytest.mark.parametrize("name", ["tenantctl", *sorted(COMMANDS)])
def test_help_matches_its_snapshot(name: str) -> None:
    snapshot = SNAPSHOTS / f"{name}.txt"
    assert snapshot.is_file(), f"no snapshot {snapshot}: regenerate (see this module's docstring)"
    assert rendered()[name] == snapshot.read_text(), f"help of {name} changed: regenerate and review"


def update() -> None:
    SNAPSHOTS.mkdir(exist_ok=True)
    for stale in SNAPSHOTS.glob("*.txt"):
        stale.unlink()
    for name, text in rendered().items():
        (SNAPSHOTS / f"{name}.txt").write_text(text)
        print(f"wrote {SNAPSHOTS / f'{name}.txt'}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.tenantctl.test_help --update")
    update()
