"""Recognising plaintext credentials (SEC-04) without ever repeating them.

Two independent signals:
- a literal VALUE that looks like a credential (AWS access key id, private key block, bearer token,
  well-known token prefixes, a password inside a URL or a `password=` assignment);
- an env var NAME that suggests a secret (PASSWORD, SECRET, TOKEN, API_KEY, ...) holding a literal,
  non-empty value that is not a reference (a path, an ARN, a `$(VAR)` expansion, a flag).

Patterns are deliberately narrow: ML workloads are full of names like MAX_NEW_TOKENS,
TOKENIZERS_PARALLELISM or GOOGLE_APPLICATION_CREDENTIALS=/var/run/key.json that are not secrets.
Every function returns descriptions of the *kind* of finding only, never the matched text.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from dataclasses import dataclass

# What a value looks like -> how messages describe it. Each pattern is linear (no nested
# quantifiers), so scanning large user-data scripts stays cheap.
_VALUE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("an AWS access key id", re.compile(r"(?<![0-9A-Z])(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])")),
    ("a private key block", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    ("a bearer token", re.compile(r"(?<![A-Za-z0-9])[Bb]earer[ \t]+[A-Za-z0-9._~+/-]{16,}=*")),
    (
        "a GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})"),
    ),
    ("a Slack token", re.compile(r"(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}")),
    # OpenAI/Anthropic-style keys are long random strings; requiring a digit keeps kebab-case
    # identifiers that happen to start with "sk-" out.
    ("an API key (sk-...)", re.compile(r"(?<![A-Za-z0-9_-])sk-(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}")),
    ("a Hugging Face token", re.compile(r"(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9])")),
]
# The lookbehind lets a scheme start only where a run of scheme characters starts: scanning stays linear.
_URL_PASSWORD = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]+:([^\s/@]+)@")
# `password=...`, `DB_PASSWORD: ...`, `"password": "..."`, `--password=...` (not password_file=...).
_PASSWORD_ASSIGNMENT = re.compile(
    r"(?<![A-Za-z0-9_.-])(?:[A-Za-z0-9_.-]*[_.-])?(?:password|passwd)"
    r"[\"']?[ \t]*[=:][ \t]*[\"']?([^\s\"'&;,]+)",
    re.IGNORECASE,
)

# A value that points at a secret rather than being one: shell/Kubernetes/template expansions,
# absolute paths of mounted secret files, ARNs, URLs without credentials, flags.
_REFERENCE = re.compile(r"^(?:\$|\{\{|<|%|\*+$|/|arn:|file://|s3://|https?://[^@]*$)")
_FLAGS = {"", "true", "false", "yes", "no", "on", "off", "0", "1", "none", "null", "required", "optional"}

# Words that, as the last word of a secret-suggesting name, make it metadata about a secret
# (DB_SECRET_ARN, GOOGLE_APPLICATION_CREDENTIALS_FILE, TOKEN_URL) rather than the secret itself.
_QUALIFIERS = {
    "FILE", "PATH", "DIR", "ARN", "NAME", "ID", "REF", "URL", "URI", "ENDPOINT", "TYPE", "TTL",
    "EXPIRY", "EXPIRATION", "TIMEOUT", "SECONDS", "LENGTH", "HEADER", "PARAMETER", "PARAM",
    "ENABLED", "DISABLED", "MODE", "PROVIDER", "LOCATION", "KEY_ID", "REGION", "PREFIX", "VERSION",
    "MANAGER", "STORE", "BACKEND", "SOURCE", "KIND", "FORMAT", "ALGORITHM", "POLICY",
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One kind of credential found in a text, and the first line (1-based) it was found on."""

    kind: str
    line: int


def _is_reference(value: str) -> bool:
    stripped = value.strip().strip("\"'")
    return stripped.lower() in _FLAGS or _REFERENCE.match(stripped) is not None


def scan_text(text: str) -> list[Finding]:
    """The kinds of credentials a literal text contains, each once, with its first line."""
    found: dict[str, int] = {}

    def note(kind: str, offset: int) -> None:
        found.setdefault(kind, text.count("\n", 0, offset) + 1)

    for kind, pattern in _VALUE_PATTERNS:
        match = pattern.search(text)
        if match:
            note(kind, match.start())
    for match in _URL_PASSWORD.finditer(text):
        if not _is_reference(match.group(1)):
            note("a password in a URL", match.start())
            break
    for match in _PASSWORD_ASSIGNMENT.finditer(text):
        if not _is_reference(match.group(1)):
            note("a password assignment", match.start())
            break
    return [Finding(kind, line) for kind, line in sorted(found.items(), key=lambda item: item[1])]


_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_MAX_NAME = 256


def _words(name: str) -> list[str]:
    """DB_PASSWORD, db-password, dbPassword and myAPIKey -> upper-case words."""
    return [w.upper() for w in _WORD.findall(name[:_MAX_NAME])]


def secret_name(name: str) -> str | None:
    """The secret-suggesting word in an env var name (e.g. 'PASSWORD'), or None."""
    words = _words(name)
    if not words:
        return None
    tail = "_".join(words[-2:])
    if words[-1] in _QUALIFIERS or tail in _QUALIFIERS:
        return None
    for index, word in enumerate(words):
        after = words[index + 1] if index + 1 < len(words) else ""
        if "PASSWORD" in word or "PASSWD" in word:
            return "PASSWORD"
        if "SECRET" in word:
            return "SECRET"
        # TOKEN but not TOKENS/TOKENIZER: MAX_NEW_TOKENS and TOKENIZERS_PARALLELISM are model settings.
        if word.endswith("TOKEN"):
            return "TOKEN"
        if "CREDENTIAL" in word:
            return "CREDENTIAL"
        for compound, first in (("APIKEY", "API"), ("PRIVATEKEY", "PRIVATE"), ("ACCESSKEY", "ACCESS")):
            label = f"{first}_KEY"
            if compound in word or (word == first and after in {"KEY", "KEYS"}):
                return label
    return None


def literal_env_findings(name: str | None, value: str) -> str | None:
    """Why a literal env value is a plaintext secret, as a phrase ('has a literal value ...'), or None."""
    parts = []
    kinds = [f.kind for f in scan_text(value)]
    if kinds:
        parts.append("that looks like " + " and ".join(kinds))
    word = secret_name(name) if name else None
    if word and not _is_reference(value):
        parts.append(f"under a name that suggests a secret ({word})")
    return ("has a literal value " + ", ".join(parts)) if parts else None


def display_name(name: str) -> str:
    """An env var name safe to print: redacted if the name itself looks like a credential."""
    return "<redacted name>" if scan_text(name) else name


_MAX_DECODED = 1 << 20


def user_data_texts(value: str) -> list[tuple[str, str]]:
    """The texts to scan in user data, each with how it was read: as given, and base64/gzip-decoded.

    Lenient: whitespace and missing padding are tolerated; what does not decode is scanned as given.
    """
    texts = [("as given", value)]
    compact = re.sub(r"\s+", "", value)
    if len(compact) < 8 or not re.fullmatch(r"[A-Za-z0-9+/_-]+={0,2}", compact):
        return texts
    padded = compact.rstrip("=") + "=" * (-len(compact.rstrip("=")) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return texts
    how = "base64-decoded"
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = zlib.decompressobj(wbits=31).decompress(raw, _MAX_DECODED)
        except zlib.error:
            return texts
        how = "base64-decoded, gunzipped"
    texts.append((how, raw.decode("utf-8", errors="replace")))
    return texts
