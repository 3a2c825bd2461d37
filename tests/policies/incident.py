"""A quarantined stack for the quarantine rules' tests: its `landingzone:incident` block, set and cleared."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pulumi

SINCE = "2026-12-02T00:15:00Z"
EVIDENCE = {
    "buckets": ["acme-audit-log-111122223333", "acme-checkpoint-111122223333"],
    "log_groups": ["/mlops/acme/audit"],
    "repositories": ["acme/models"],
    "trails": ["acme-audit-trail"],
    "key_aliases": ["alias/acme-logs"],
    "audit_retention_days": 365,
    "registry_retention_days": 30,
    "log_retention_days": 90,
    "artifact_retention_days": 180,
}
INCIDENT = {
    "state": "quarantined",
    "ticket": "INC-42",
    "reason": "leaked token",
    "since": SINCE,
    "evidence": EVIDENCE,
}


@contextmanager
def quarantined(block: Mapping[str, Any] | None = INCIDENT) -> Iterator[None]:
    """The stack config holds `block` as landingzone:incident (None: not quarantined) for the duration."""
    config = pulumi.runtime.config.CONFIG.get()
    if block is None:
        config.pop("landingzone:incident", None)
    else:
        pulumi.runtime.set_config("landingzone:incident", json.dumps(block))
    try:
        yield
    finally:
        pulumi.runtime.config.CONFIG.get().pop("landingzone:incident", None)
