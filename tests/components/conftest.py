"""Fixtures for the component tests: recordings of the scenarios in `scenarios.py`, made once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.components.recording import Recording
from tests.components.scenarios import recorded as _recorded


@pytest.fixture(scope="session")
def recorded() -> Callable[..., Recording]:
    """`recorded(scenario_id, preview=False)`: the scenario's registrations (cached for the session)."""
    return _recorded
