"""Recognising plaintext credentials (SEC-04) without ever repeating them.

Three independent signals:
- a literal VALUE that looks like a credential (AWS access key id, private key block, bearer token,
  well-known token prefixes, a password inside a URL, a `password=`/`Pwd=` assignment, an
  `AccountKey=`-style connection-string key, a shell assignment or flag giving a secret-named variable a
  literal);
- an env var NAME that suggests a secret (PASSWORD, SECRET, TOKEN, API_KEY, ...) holding a literal,
  non-empty value that is not a reference (a path, an ARN, an expansion the runtime performs, a flag);
- the same, after decoding: values are read through base64, gzip and MIME multipart layers
  (`mlops_policies.decoding`), recursively and within a bound.

What counts as a reference depends on who reads the value (`Expansion`): Kubernetes expands only
`$(VAR)` in env values, a shell expands `$VAR`, `${VAR}` and `$(command)`, and Lambda, ECS and
SageMaker expand nothing, so `$ecret` is a literal there.

The decoding bound (`MAX_DEPTH` layers, `MAX_DECODED_BYTES` of decoded text, `MAX_TEXTS` texts) is
fail-closed: when a layer beyond the bound would still decode to text (or gzip), the result says so
(`Scan.incomplete`) and rules report the value as not shown to be free of credentials. A layer that
decodes to binary junk is not text a credential could be read from, so it ends the recursion
without failing.

Patterns are deliberately narrow: ML workloads are full of names like MAX_NEW_TOKENS,
TOKENIZERS_PARALLELISM or GOOGLE_APPLICATION_CREDENTIALS=/var/run/key.json that are not secrets.
Every function returns descriptions of the *kind* of finding only, never the matched text.
"""

from __future__ import annotations

import bisect
import enum
import itertools
import re
from dataclasses import dataclass

from mlops_policies.decoding import MAX_DECODED_BYTES as MAX_DECODED_BYTES
from mlops_policies.decoding import MAX_DEPTH as MAX_DEPTH
from mlops_policies.decoding import decode

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
# The user may be empty (`redis://:password@host`): the password is still in the URL.
_URL_PASSWORD = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]*:([^\s/@]+)@")
# `password=...`, `DB_PASSWORD: ...`, `"password": "..."`, `--password=...`, ODBC/ADO.NET `Pwd=...` and
# `Password=...;` (not password_file=...).
_PASSWORD_ASSIGNMENT = re.compile(
    r"(?<![A-Za-z0-9_.-])(?:[A-Za-z0-9_.-]*[_.-])?(?:password|passwd|pwd)"
    r"[\"']?[ \t]*[=:][ \t]*[\"']?([^\s\"'&;,]+)",
    re.IGNORECASE,
)
# Azure storage / Service Bus / Event Hubs connection strings carry the key itself.
_CONNECTION_KEY = re.compile(
    r"(?<![A-Za-z0-9_])(?:AccountKey|SharedAccessKey|SharedSecretValue)[ \t]*=[ \t]*([^\s\"';]+)",
    re.IGNORECASE,
)
# An unquoted shell word that is a plain literal: code (`os.environ["X"]`, `getpass()`) and expansions are
# not, so a word with brackets, parentheses, braces, `$`, quotes or backquotes is not taken for one.
_UNQUOTED = r"[^\s;&|()\[\]{}$`'\"]+(?=[\s;&|)]|$)"
# `export HF_TOKEN=...`, `DB_PASSWORD="..."`, `declare -x API_KEY=...` at the start of a shell word.
_SHELL_ASSIGNMENT = re.compile(
    r"(?<![^\s;&|(`])(?:(?:export|declare|typeset|readonly|local|env)[ \t]+(?:-[A-Za-z]+[ \t]+)*)?"
    r"([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"\n]*\"|'[^'\n]*'|" + _UNQUOTED + ")"
)
# `--token abc`, `--api-key=abc`, `-password abc` on a command line.
_SECRET_FLAG = re.compile(
    r"(?<![^\s\"'])--?([A-Za-z][A-Za-z0-9_-]*)(?:=|[ \t]+)(\"[^\"\n]*\"|'[^'\n]*'|" + _UNQUOTED + ")"
)


class Expansion(enum.Enum):
    """Who reads a value, and so which `$` forms are references rather than literal text."""

    NONE = "none"
    """Lambda, ECS, SageMaker environments: nothing is expanded, `$x` is literal."""
    KUBERNETES = "kubernetes"
    """Kubernetes container env: only `$(VAR_NAME)` refers to another variable."""
    SHELL = "shell"
    """User data and command lines: `$VAR`, `${VAR...}` and `$(command)` are expanded by the shell."""


# Whole values that point at a secret rather than being one: absolute paths of mounted secret files,
# ARNs, URLs without credentials, template placeholders, masks.
_REFERENCE = re.compile(r"^(?:/|arn:|file://|s3://|https?://[^@]*$|\*+$|\{\{.*\}\}$|<[^<>]*>$)")
_KUBERNETES_REFERENCE = re.compile(r"^(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\))+$")
# A value starting with an expansion is computed by the shell (the regexes cut values at spaces, so a
# `$(command ...)` may arrive without its closing parenthesis).
_SHELL_REFERENCE = re.compile(r"^(?:\$[A-Za-z_({]|`)")
_FLAGS = {"", "true", "false", "yes", "no", "on", "off", "0", "1", "none", "null", "required", "optional"}

# Words that, as the last word of a secret-suggesting name, make it metadata about a secret
# (DB_SECRET_ARN, GOOGLE_APPLICATION_CREDENTIALS_FILE, TOKEN_URL) rather than the secret itself.
_QUALIFIERS = {
    "FILE", "PATH", "DIR", "ARN", "NAME", "ID", "REF", "URL", "URI", "ENDPOINT", "TYPE", "TTL",
    "EXPIRY", "EXPIRATION", "TIMEOUT", "SECONDS", "LENGTH", "HEADER", "PARAMETER", "PARAM",
    "ENABLED", "DISABLED", "MODE", "PROVIDER", "LOCATION", "KEY_ID", "REGION", "PREFIX", "VERSION",
    "MANAGER", "STORE", "BACKEND", "SOURCE", "KIND", "FORMAT", "ALGORITHM", "POLICY", "STDIN",
    "DURATION", "LIFETIME", "COUNT", "LIMIT", "SIZE", "AUDIENCE", "ISSUER", "SCOPE", "SCOPES",
    # Settings about a secret, never the secret: TOKEN_BUDGET, PASSWORD_HASH_ALGO,
    # ACCESS_KEY_ROTATION_DAYS, PASSWORD_MIN, SECRET_ROTATION, TOKEN_REFRESH_INTERVAL.
    "ALGO", "BUDGET", "DAYS", "HOURS", "MINUTES", "INTERVAL", "RETRIES", "THRESHOLD", "MIN", "MAX",
    "ROTATION",
}  # fmt: skip

# A value that cannot be a token, under a name whose only secret-suggesting word is TOKEN: a tokenizer's
# special token (`[UNK]`, `[MASK]`, `[CLS]`, `[SEP]`, `[PAD]`; `<s>`, `</s>`, `<pad>` are `<...>`
# placeholders already) or a count below ten million (MAX_TOKEN=512, a context length). In ML settings
# TOKEN names tokenizer vocabulary and token counts as often as credentials, and no issued token (sk-,
# hf_, ghp_, JWTs, random hex) is 2-10 capitals in brackets or a short run of digits. Only TOKEN: a
# number under PASSWORD, SECRET, CREDENTIAL or *_KEY is a PIN or a numeric password, still a secret.
_NOT_A_TOKEN = re.compile(r"\[[A-Z]{2,10}\]|[0-9]{1,7}")


@dataclass(frozen=True)
class Finding:
    """One kind of credential found in a text, the first line (1-based) it was found on, and how the
    text was read (as given, base64-decoded, a MIME part...)."""

    kind: str
    line: int
    how: str = "as given"


def is_reference(value: str, expansion: Expansion = Expansion.NONE) -> bool:
    """Whether a whole value refers to a secret (or is a flag) rather than holding one literally."""
    stripped = value.strip().strip("\"'")
    if stripped.lower() in _FLAGS or _REFERENCE.match(stripped):
        return True
    if expansion is Expansion.KUBERNETES:
        return _KUBERNETES_REFERENCE.match(stripped) is not None
    if expansion is Expansion.SHELL:
        return _SHELL_REFERENCE.match(stripped) is not None
    return False


# Kubernetes expands `$(NAME)` in a container's env values from the variables defined before it (its
# envFrom sources, then earlier env entries; kubelet's third_party/forked/golang/expansion): `$$` is an
# escaped `$`, read left to right, so `$$(X)` is the literal text `$(X)` and `$$$(X)` a `$` then X's
# value; a reference to an undefined name stays as written. `$$` is first replaced by NUL, which no env
# var name contains (names are printable ASCII), so a `$(NAME)` left over is a reference, and an
# expanded copy keeps the escape as NUL: never a reference marker, so the copy is judged as a literal.
_K8S_ESCAPE = "\0"
# What a referenced variable contributes when its own value expands other variables: chains are not
# followed, the contribution is judged as a literal (NUL: not a reference, not a flag).
_K8S_COMPUTED = "\0"


def kubernetes_references(value: str, name: str) -> bool:
    """Whether a Kubernetes env value expands the variable `name` (`$(name)`, not `$$(name)`)."""
    return f"$({name})" in value.replace("$$", _K8S_ESCAPE)


def kubernetes_expand(value: str, name: str, name_value: str) -> str:
    """`value` with its `$(name)` references replaced by `name_value` as Kubernetes expands it: a value
    itself expanding a variable (`$(OTHER)`) contributes a literal placeholder (see `_K8S_COMPUTED`)."""
    if "$(" in name_value.replace("$$", _K8S_ESCAPE):
        name_value = _K8S_COMPUTED
    return value.replace("$$", _K8S_ESCAPE).replace(f"$({name})", name_value)


def scan_text(text: str, expansion: Expansion = Expansion.SHELL) -> list[Finding]:
    """The kinds of credentials one literal text contains (no decoding), each once, with its first line.

    `expansion` says which `$` forms in assignments are references: user data is read by a shell.
    """
    found: dict[str, int] = {}
    covered: list[tuple[int, int]] = []

    def note(kind: str, offset: int) -> None:
        # Counted once per kind: counting lines for every match made a long text quadratic.
        if kind not in found:
            found[kind] = text.count("\n", 0, offset) + 1

    for kind, pattern in _VALUE_PATTERNS:
        for match in pattern.finditer(text):
            covered.append(match.span())
            note(kind, match.start())
    for kind, pattern in (
        ("a password in a URL", _URL_PASSWORD),
        ("a password assignment", _PASSWORD_ASSIGNMENT),
        ("a key in a connection string", _CONNECTION_KEY),
    ):
        for match in pattern.finditer(text):
            covered.append(match.span())
            if not is_reference(match.group(1), expansion):
                note(kind, match.start())
    # Spans by start, with the furthest end so far: a span [start, end) overlaps a covered one when one
    # starting before `end` reaches past `start` (a bisection instead of a pass over every span).
    covered.sort()
    starts = [s for s, _ in covered]
    reach = list(itertools.accumulate((e for _, e in covered), max))
    for pattern in (_SHELL_ASSIGNMENT, _SECRET_FLAG):
        for match in pattern.finditer(text):
            start, end = match.span()
            before = bisect.bisect_left(starts, end)
            if before and reach[before - 1] > start:
                continue  # the value was already recognised by its shape
            name, value = match.group(1), match.group(2)
            if literal_under_secret_name(name, value, expansion) and not value.startswith("-"):
                note("a literal assigned to a secret-named variable", start)
    return [Finding(kind, line) for kind, line in sorted(found.items(), key=lambda item: item[1])]


_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_MAX_NAME = 256


def _words(name: str) -> list[str]:
    """DB_PASSWORD, db-password, dbPassword and myAPIKey -> upper-case words."""
    return [w.upper() for w in _WORD.findall(name[:_MAX_NAME])]


def secret_words(name: str) -> list[str]:
    """Every secret-suggesting word of an env var name, in order (e.g. ['SECRET', 'ACCESS_KEY']).

    Empty when the name's last word is a qualifier (DB_SECRET_ARN, TOKEN_BUDGET): metadata or a
    setting about a secret, not the secret."""
    words = _words(name)
    if not words:
        return []
    tail = "_".join(words[-2:])
    if words[-1] in _QUALIFIERS or tail in _QUALIFIERS:
        return []
    found: list[str] = []
    for index, word in enumerate(words):
        after = words[index + 1] if index + 1 < len(words) else ""
        labels = []
        if "PASSWORD" in word or "PASSWD" in word or word == "PWD":
            labels.append("PASSWORD")
        if "SECRET" in word:
            labels.append("SECRET")
        # TOKEN but not TOKENS/TOKENIZER: MAX_NEW_TOKENS and TOKENIZERS_PARALLELISM are model settings.
        if word.endswith("TOKEN"):
            labels.append("TOKEN")
        if "CREDENTIAL" in word:
            labels.append("CREDENTIAL")
        for compound, first in (("APIKEY", "API"), ("PRIVATEKEY", "PRIVATE"), ("ACCESSKEY", "ACCESS")):
            if compound in word or (word == first and after in {"KEY", "KEYS"}):
                labels.append(f"{first}_KEY")
        found += [label for label in labels if label not in found]
    return found


def secret_name(name: str) -> str | None:
    """The (first) secret-suggesting word in an env var name (e.g. 'PASSWORD'), or None."""
    words = secret_words(name)
    return words[0] if words else None


def literal_under_secret_name(name: str, value: str, expansion: Expansion) -> str | None:
    """The secret-suggesting word of `name` if `value` is a literal that may be that secret, else None.

    Not a secret: a reference (`is_reference`), and under a name whose only secret word is TOKEN, a
    value that cannot be a token (`_NOT_A_TOKEN`, read like `is_reference` reads values)."""
    word = secret_name(name)
    if word is None or is_reference(value, expansion):
        return None
    if secret_words(name) == ["TOKEN"] and _NOT_A_TOKEN.fullmatch(value.strip().strip("\"'")):
        return None
    return word


def display_name(name: str) -> str:
    """An env var name safe to print: redacted if the name itself looks like a credential."""
    return "<redacted name>" if scan_text(name) else name


@dataclass(frozen=True)
class Scan:
    """Every kind of credential found in a value's layers, and why the value was not fully read."""

    findings: list[Finding]
    incomplete: str | None


def scan(value: str, expansion: Expansion = Expansion.SHELL) -> Scan:
    """Scan a value and every layer encoded inside it; each kind once, at the first layer it shows in."""
    decoded = decode(value)
    found: dict[str, Finding] = {}
    for layer in decoded.layers:
        # The value as given is read by its consumer; anything decoded inside it is a file or script.
        reader = expansion if layer.how == "as given" else Expansion.SHELL
        for finding in scan_text(layer.text, reader):
            found.setdefault(finding.kind, Finding(finding.kind, finding.line, layer.how))
    return Scan(list(found.values()), decoded.incomplete)


def user_data_texts(value: str) -> list[tuple[str, str]]:
    """The texts to scan in user data, each with how it was read (see `decode`)."""
    return [(layer.how, layer.text) for layer in decode(value).layers]


def literal_env_findings(name: str | None, value: str, expansion: Expansion = Expansion.NONE) -> str | None:
    """Why a literal env value is a plaintext secret, as a phrase ('has a literal value ...'), or None.

    `expansion` is the runtime reading the value: Kubernetes expands `$(VAR)`, Lambda/ECS/SageMaker
    nothing. A value whose decoding hits the bound is reported: it cannot be shown free of credentials.
    """
    parts = []
    result = scan(value, expansion)
    kinds = [f.kind if f.how == "as given" else f"{f.kind} ({f.how})" for f in result.findings]
    if kinds:
        parts.append("that looks like " + " and ".join(kinds))
    word = literal_under_secret_name(name, value, expansion) if name else None
    if word:
        parts.append(f"under a name that suggests a secret ({word})")
    if result.incomplete and not parts:
        parts.append(f"that cannot be read to the end ({result.incomplete})")
    return ("has a literal value " + ", ".join(parts)) if parts else None
