"""Secret values kept out of everything a check reports: messages, reasons, error texts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

REDACTED = "[secret]"
# Shorter secret values are not scrubbed from free text: replacing every "ab" in every message would
# destroy the report while protecting nothing a reader could not guess.
MIN_SCRUB_LENGTH = 4


class Scrubber:
    """Removes secret values from text that leaves the check: messages, reasons, error texts."""

    def __init__(self, values: set[str] | None = None) -> None:
        self.values = {v for v in (values or set()) if len(v) >= MIN_SCRUB_LENGTH}

    def add_from_properties(self, properties: Any) -> None:
        from tenantctl.program import SECRET_SIG

        if isinstance(properties, dict):
            if SECRET_SIG in properties:
                self._add_value(properties.get("value"))
                return
            for value in properties.values():
                self.add_from_properties(value)
        elif isinstance(properties, list):
            for value in properties:
                self.add_from_properties(value)

    def add_ciphertexts(self, config: Any) -> None:
        """`pulumi config set --secret` values: ciphertext in the stack file, never shown either."""
        if isinstance(config, dict):
            if set(config) == {"secure"}:
                self._add_value(config["secure"])
                return
            for value in config.values():
                self.add_ciphertexts(value)
        elif isinstance(config, list):
            for value in config:
                self.add_ciphertexts(value)

    def _add_value(self, value: Any) -> None:
        if isinstance(value, str):
            candidates = [value]
        elif isinstance(value, dict | list):
            candidates = [json.dumps(value)]
            for leaf in _leaves(value):
                candidates.append(leaf)
        elif value is None:
            candidates = []
        else:
            candidates = [json.dumps(value)]
        self.values.update(c for c in candidates if len(c) >= MIN_SCRUB_LENGTH)

    def __call__(self, text: str) -> str:
        # Longest first, so a secret containing another secret is removed whole.
        for value in sorted(self.values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, REDACTED)
        return text


def _leaves(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str):
        yield value
    elif value is not None:
        yield json.dumps(value)
