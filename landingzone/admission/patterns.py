"""RE2 translations of the CrossGuard rules' Python regular expressions, for CEL's `matches()`.

Kubernetes CEL (and cel-cpp, which the tests run) evaluate `matches()` with RE2, which has no
lookaround and whose `\\s` is ASCII-only, while the CrossGuard rules use Python's `re`. Every pattern
here is rewritten so that "does the text contain a match" has the same answer in both flavours:

- a lookbehind `(?<!X)` before a match becomes `(?:^|[^X])` (the consumed character only moves the
  match start, never the yes/no answer); a lookahead `(?!X)` after it becomes `(?:$|[^X])` (RE2's `$`
  without the `m` flag is the end of the text, as a failing lookahead at the end is in Python);
- Python's Unicode `\\s` (what `str.isspace` and `str.strip()` treat as whitespace) is spelled out as
  `PY_SPACE`, and case-insensitive words are spelled as `[Tt][Rr][Uu][Ee]` so that RE2's Unicode case
  folding (long s, Kelvin sign) cannot accept what Python's `str.lower()` would not.

The env-var-name heuristic of `mlops_policies.credentials.secret_name` splits names into words with a
lookahead; `qualifier_regex` and `secret_word_regex` encode the same word boundaries (see the
comment above them). Where a
translation is not exact, the difference is stated next to it and in docs/admission.md.
"""

from __future__ import annotations

# Every character `str.isspace()` accepts, as the body of an RE2 character class.
PY_SPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)

# `[^@\s]+@sha256:<64 hex>` (PROV-06's DIGEST_PINNED), anchored: Python uses fullmatch.
DIGEST_PINNED = rf"^[^@{PY_SPACE}]+@sha256:[0-9a-f]{{64}}$"

# credentials._FLAGS, each word matched exactly as `str.lower() in _FLAGS` would.
FLAGS = ("true", "false", "yes", "no", "on", "off", "0", "1", "none", "null", "required", "optional")

# credentials._QUALIFIERS (a test asserts the two lists are equal). KEY_ID, the only two-word
# qualifier, needs no pattern of its own: its last word, ID, is a qualifier already.
QUALIFIERS = (
    "FILE", "PATH", "DIR", "ARN", "NAME", "ID", "REF", "URL", "URI", "ENDPOINT", "TYPE", "TTL",
    "EXPIRY", "EXPIRATION", "TIMEOUT", "SECONDS", "LENGTH", "HEADER", "PARAMETER", "PARAM",
    "ENABLED", "DISABLED", "MODE", "PROVIDER", "LOCATION", "KEY_ID", "REGION", "PREFIX", "VERSION",
    "MANAGER", "STORE", "BACKEND", "SOURCE", "KIND", "FORMAT", "ALGORITHM", "POLICY", "STDIN",
    "DURATION", "LIFETIME", "COUNT", "LIMIT", "SIZE", "AUDIENCE", "ISSUER", "SCOPE", "SCOPES",
    "ALGO", "BUDGET", "DAYS", "HOURS", "MINUTES", "INTERVAL", "RETRIES", "THRESHOLD", "MIN", "MAX",
    "ROTATION",
)  # fmt: skip

# Words whose presence inside one word of the name makes it secret-suggesting (secret_name's
# `in word` tests), the word that must end a word (TOKEN), and the two-word compounds.
CONTAINED = ("PASSWORD", "PASSWD", "SECRET", "CREDENTIAL", "APIKEY", "PRIVATEKEY", "ACCESSKEY")
COMPOUND_FIRST = ("API", "PRIVATE", "ACCESS")


def _caseless(word: str) -> str:
    """`[Tt][Rr][Uu][Ee]`: ASCII case-insensitive without RE2's Unicode case folding."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


def caseless_host(host: str) -> str:
    """A DNS name as an RE2 pattern matching it in any ASCII case (`.` and `-` escaped).

    Registry hosts are DNS names, which compare case-insensitively (RFC 4343); the image reference
    grammar (distribution/reference) accepts upper-case letters in the domain. Explicit classes, not
    `(?i)`: RE2's case folding would also let the Kelvin sign stand for `k` in `dkr`.
    """
    return "".join(
        f"[{c.upper()}{c.lower()}]" if c.isascii() and c.isalpha() else ("\\" + c if c in ".-" else c)
        for c in host
    )


def _flag_words() -> str:
    return "(?:" + "|".join(_caseless(w) for w in FLAGS) + ")"


def _alternatives(words: tuple[str, ...] | list[str]) -> str:
    return "(?:" + "|".join(words) + ")"


# ---------------------------------------------------------------- env var names (credentials.secret_name)
#
# secret_name() splits a name with `[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+` and upper-cases the
# words. Inside one word the original spelling is therefore UPPER, lower, or Capitalized, and:
# - an UPPER word W starts after a non-capital (or at the start) and ends before the end, a non-letter,
#   or a capital followed by a lower-case letter (`APIKey` is API + Key);
# - a Capitalized word starts at its capital and ends before a non-lower-case character;
# - a lower-case word starts after a non-letter (a capital before it joins it: `Xapi` is one word)
#   and ends before a non-lower-case character.
# Contiguous lower-case text and a capital followed by lower-case text always lie inside one word, so
# `password` and `Password` anywhere, and `PASSWORD` not followed by a lower-case letter, are inside one.


def _upper_word(word: str) -> str:
    return f"(?:^|[^A-Z]){word}(?:$|[^A-Za-z]|[A-Z][a-z])"


def _capitalized_word(word: str) -> str:
    return f"{word.capitalize()}(?:$|[^a-z])"


def _lower_word(word: str) -> str:
    return f"(?:^|[^A-Za-z]){word.lower()}(?:$|[^a-z])"


def qualifier_regex() -> str:
    """The name's last word is a qualifier (FILE, ARN, ...): metadata about a secret, not a secret."""
    words = [w for w in QUALIFIERS if "_" not in w]
    # Trailing separators do not make a word: DB_FILE_ ends with the word FILE.
    end = "[^A-Za-z0-9]*$"
    upper = "(?:^|[^A-Z])" + _alternatives(words) + end
    capitalized = _alternatives([w.capitalize() for w in words]) + end
    lower = "(?:^|[^A-Za-z])" + _alternatives([w.lower() for w in words]) + end
    return f"{upper}|{capitalized}|{lower}"


def token_word_regex() -> str:
    """A word of the name ends with TOKEN (secret_words' TOKEN)."""
    return "TOKEN(?:$|[^A-Za-z]|[A-Z][a-z])|Token(?:$|[^a-z])|token(?:$|[^a-z])"


def other_secret_word_regex() -> str:
    """A word of the name contains PASSWORD/SECRET/..., is PWD, or is API/PRIVATE/ACCESS + KEY(S):
    every secret word of secret_words but TOKEN."""
    parts = []
    for word in CONTAINED:
        parts += [f"{word}(?:$|[^a-z])", word.capitalize(), word.lower()]
    # PWD counts only as a whole word (secret_words' `word == "PWD"`): PWDX and apwd are other words.
    parts += [_upper_word("PWD"), _capitalized_word("PWD"), _lower_word("PWD")]
    separators = "[^A-Za-z0-9]+"
    key_any = "(?:KEYS?(?:$|[^A-Za-z]|[A-Z][a-z])|Keys?(?:$|[^a-z])|keys?(?:$|[^a-z]))"
    key_upper = "KEYS?(?:$|[^A-Za-z]|[A-Z][a-z])"
    key_capitalized = "Keys?(?:$|[^a-z])"
    for first in COMPOUND_FIRST:
        # UPPER first word: directly followed only by a Capitalized KEY (APIKEY is one word, caught above).
        parts.append(f"(?:^|[^A-Z]){first}(?:{separators}{key_any}|{key_capitalized})")
        lower_or_capitalized = f"(?:{first.capitalize()}|(?:^|[^A-Za-z]){first.lower()})"
        parts.append(f"{lower_or_capitalized}(?:{separators}{key_any}|{key_capitalized}|{key_upper})")
    return "|".join(parts)


def secret_word_regex() -> str:
    """Some word of the name is secret-suggesting (secret_name is not None, qualifiers aside)."""
    return f"{token_word_regex()}|{other_secret_word_regex()}"


# ---------------------------------------------------------------- literal values (credentials.scan_text)

_VALUE_PATTERNS = (
    r"(?:^|[^0-9A-Z])(?:AKIA|ASIA)[0-9A-Z]{16}(?:$|[^0-9A-Z])",
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
    r"(?:^|[^A-Za-z0-9])[Bb]earer[ \t]+[A-Za-z0-9._~+/-]{16,}",
    r"(?:^|[^A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})",
    r"(?:^|[^A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}",
    # sk-(?=[run]*[0-9])[run]{20,}: the run after `sk-` holds a digit and is at least 20 long; without
    # lookahead, one alternative per position of the first digit.
    "(?:^|[^A-Za-z0-9_-])sk-(?:"
    + "|".join(f"[A-Za-z0-9_-]{{{i}}}[0-9][A-Za-z0-9_-]{{{19 - i},}}" for i in range(19))
    + "|[A-Za-z0-9_-]{19,}[0-9])",
    r"(?:^|[^A-Za-z0-9_])hf_[A-Za-z0-9]{30,}",
)
CREDENTIAL_VALUE = "|".join(f"(?:{p})" for p in _VALUE_PATTERNS)

# `scheme://user:password@` (the user may be empty: `redis://:pw@host`): any occurrence, and one whose
# password is a reference (credentials flags it only when the password is not). CEL tests
# `any && !reference`: exact when a value holds at most one URL with a password (Python reports a value
# whose first URL password is a reference and whose second is literal; this translation does not).
_URL_START = rf"(?:^|[^A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^{PY_SPACE}/:@]*:"
URL_PASSWORD = _URL_START + rf"[^{PY_SPACE}/@]+@"
# The password (no space, `/` or `@`) as credentials.is_reference reads it for Kubernetes, quotes
# stripped: a flag (or nothing), `arn:...`, a mask, a closed `{{...}}` or `<...>` placeholder, or only
# `$(VAR)` expansions. `$x`, `${X}`, `%s` and `$$(X)` are literal text to Kubernetes, so literals here.
_URL_TEXT = rf"[^{PY_SPACE}/@]"
URL_PASSWORD_REFERENCE = _URL_START + (
    rf"[\"']*(?:{_flag_words()}|arn:{_URL_TEXT}*|\*+|\{{\{{{_URL_TEXT}*\}}\}}|<[^<>{PY_SPACE}/@]*>"
    rf"|(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\))+)?[\"']*@"
)

# `password=...` / `DB_PASSWORD: ...` (IGNORECASE in Python: spelled out here), same `any && !reference`
# reading as URL passwords.
_ASSIGNMENT_START = (
    "(?:^|[^A-Za-z0-9_.-])(?:[A-Za-z0-9_.-]*[_.-])?(?:"
    + _caseless("password")
    + "|"
    + _caseless("passwd")
    + "|"
    + _caseless("pwd")
    + r")[\"']?[ \t]*[=:][ \t]*[\"']?"
)
_VALUE_END = rf"(?:$|[{PY_SPACE}\"'&;,])"
PASSWORD_ASSIGNMENT = _ASSIGNMENT_START + rf"[^{PY_SPACE}\"'&;,]+"
# The value is a reference as credentials.is_reference reads it for Kubernetes (the admission layer
# judges pod env): a flag, a path, an ARN, a URL without credentials, a mask, a closed `{{...}}` or
# `<...>` placeholder, or only `$(VAR)` expansions (Kubernetes expands no other `$` form).
_TOKEN = rf"[^{PY_SPACE}\"'&;,]"
PASSWORD_ASSIGNMENT_REFERENCE = _ASSIGNMENT_START + (
    rf"(?:{_flag_words()}{_VALUE_END}|/|arn:|file://|s3://|\*+{_VALUE_END}"
    rf"|https?://[^{PY_SPACE}\"'&;,@]*{_VALUE_END}"
    rf"|\{{\{{{_TOKEN}*\}}\}}{_VALUE_END}|<[^<>{PY_SPACE}\"'&;,]*>{_VALUE_END}"
    rf"|(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\))+{_VALUE_END})"
)

# credentials._is_reference on a whole env value: strip() whitespace, then strip quotes, then test.
_STRIPPED = rf"^[{PY_SPACE}]*[\"']*"
_TRAILER = rf"[\"']*[{PY_SPACE}]*$"
# Kubernetes reading (credentials.Expansion.KUBERNETES): only `$(VAR)` expansions are references.
REFERENCE_VALUE = (
    rf"{_STRIPPED}(?:/|arn:|file://|s3://)"
    rf"|{_STRIPPED}(?:{_flag_words()})?{_TRAILER}"
    rf"|{_STRIPPED}\*+{_TRAILER}"
    rf"|{_STRIPPED}https?://[^@]*$"
    rf"|{_STRIPPED}\{{\{{.*\}}\}}{_TRAILER}"
    rf"|{_STRIPPED}<[^<>]*>{_TRAILER}"
    rf"|{_STRIPPED}(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\))+{_TRAILER}"
)

# credentials._NOT_A_TOKEN on a whole value, read as is_reference reads it (strip, then quotes): a
# tokenizer special token `[UNK]` or a count of at most 7 digits, not a credential under a TOKEN name.
NOT_A_TOKEN_VALUE = rf"{_STRIPPED}(?:\[[A-Z]{{2,10}}\]|[0-9]{{1,7}}){_TRAILER}"

# A non-blank string (Python's `value.strip()` is truthy).
NOT_BLANK = f"[^{PY_SPACE}]"

MAX_NAME = 256
"""credentials._MAX_NAME: secret_name() looks at the first 256 characters of a name."""

# An IAM role ARN, the only value of eks.amazonaws.com/role-arn that gives a pod AWS credentials instead
# of the API token (SEC-07): partition aws, aws-cn or aws-us-gov, a 12-digit account, an optional IAM
# path (`/` + printable ASCII + `/`) and a role name of 1-64 `[A-Za-z0-9+=,.@_-]` (IAM's own limits).
# Anchored and ASCII-only, so RE2 and Python's `re.fullmatch` give the same answer; sec-07's
# CrossGuard rule uses this very text (a test asserts it).
IRSA_ROLE_ARN = r"^arn:aws(?:-cn|-us-gov)?:iam::[0-9]{12}:role/(?:[!-~]*/)?[A-Za-z0-9+=,.@_-]{1,64}$"
