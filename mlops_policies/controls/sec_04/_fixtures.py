"""Fixtures shared by the tests of several SEC-04 rules."""

from __future__ import annotations

from tests.policies.secrets_fixtures import ACCESS_KEY_ID

PASSWORD = "hunter2-Correct-Horse"
HF_TOKEN = "hf_" + "AbCdEfGhIj" * 4


def assert_no_secret_in(messages: list[str]) -> None:
    for message in messages:
        for value in (ACCESS_KEY_ID, PASSWORD, HF_TOKEN, "PRIVATE KEY-----"):
            assert value not in message
