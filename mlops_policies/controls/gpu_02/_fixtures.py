"""Fixtures shared by the tests of several GPU-02 rules."""

from __future__ import annotations

from typing import Any

from tests.policies.gpu_isolation_fixtures import MIG_GROUP
from tests.policies.harness import changed


def labels(**extra: Any) -> dict[str, Any]:
    return changed(MIG_GROUP, "labels", {**MIG_GROUP["labels"], **extra})
