"""Shared by the secrets tests of several controls."""

from __future__ import annotations

import time

import pytest

from mlops_policies import credentials


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ASIAY34FZKBOKMUTVV7A", "an AWS access key id"),
        ("-----BEGIN EC PRIVATE KEY-----", "a private key block"),
        ("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'", "a bearer token"),
        ("ghp_" + "a1" * 18, "a GitHub token"),
        ("github_pat_" + "A1b2_" * 9, "a GitHub token"),
        ("xoxb-1234567890-abcdef", "a Slack token"),
        ("sk-ant-api03-" + "x9" * 12, "an API key (sk-...)"),
        ("mysql://root:topsecret@db/app", "a password in a URL"),
        ("--password=topsecret", "a password assignment"),
    ],
)
def test_credential_patterns_recognise_common_formats(text, kind):
    assert [f.kind for f in credentials.scan_text(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "postgres://app:${DB_PASSWORD}@db/app",
        "password_file=/run/secrets/db",
        "lock_passwd: true",
        "docker login --password-stdin",
        "token_type: bearer",
        "sk-learn-style-identifier-without-digits",
        "risk-assessment-20240101-report-generator",
        "AKIAIOSFODNN7EXAMPLEEXTRA",
    ],
)
def test_credential_patterns_ignore_look_alikes(text):
    assert credentials.scan_text(text) == []


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("DB_PASSWORD", "PASSWORD"),
        ("clientSecret", "SECRET"),
        ("HF_TOKEN", "TOKEN"),
        ("myAPIKey", "API_KEY"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET"),
        ("S3_ACCESS_KEY", "ACCESS_KEY"),
        ("SSH_PRIVATE_KEY", "PRIVATE_KEY"),
        ("GOOGLE_APPLICATION_CREDENTIALS", "CREDENTIAL"),
        ("MAX_NEW_TOKENS", None),
        ("TOKENIZERS_PARALLELISM", None),
        ("DB_SECRET_ARN", None),
        ("TOKEN_URL", None),
        ("AWS_ACCESS_KEY_ID", None),
    ],
)
def test_secret_suggesting_names(name, word):
    assert credentials.secret_name(name) == word


def test_scanning_large_pathological_user_data_stays_linear():
    # Quadratic regexes take minutes on these; linear ones take well under a second.
    started = time.monotonic()
    for text in ("a" * 100_000, "a:" * 50_000, "password" * 12_000, "AbC" * 30_000):
        credentials.scan_text(text)
        credentials.user_data_texts(text)
        credentials.secret_name(text)
    assert time.monotonic() - started < 10
