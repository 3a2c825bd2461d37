"""Credentials in the files and commands of EC2 user data (SEC-04), beyond what `credentials` reads.

`credentials.scan_text` reads a text as a shell would: assignments, `--flag value`, URLs and well-known
token shapes. Boot scripts and cloud-config also *write files* and *log in*, and credentials hide there in
shapes a shell reading does not see:
- config files: INI `aws_secret_access_key = ...` (spaces around `=`), YAML `api_key: ...` (also inside a
  `content: |` block), JSON `"token": "..."`, each under a key whose name suggests a secret
  (`credentials.secret_name`: TOKEN, SECRET, API_KEY... but not TOKEN_URL or API_KEY_FILE);
- `.netrc` entries: `machine <host> login <user> password <secret>`, on one line or several;
- login commands given the password as a short flag: `docker login -u admin -p <secret>` (and podman,
  buildah, skopeo, nerdctl, oras, helm registry, crane auth), `sshpass -p <secret>`, `mysql -p<secret>`,
  and `echo <secret> | docker login --password-stdin` (`--password-stdin` fed by a command is the fix).

A value that only points at a secret is not one: empty, `null`, a `$VAR`/`${VAR}`/`$(command)` expansion,
a `<placeholder>` or `{{ template }}`, a path to a file (`/run/secrets/x`, `~/.x`, `./x`), an ARN.

A line `credentials.scan_text` already reports (`password: ...` is a password assignment there) is not
reported again, so each credential is described once. Like `credentials`, this module returns the *kind*
of a finding and its line only, never the matched text.
"""

from __future__ import annotations

import re

from mlops_policies import credentials
from mlops_policies.credentials import Expansion, Finding, Scan
from mlops_policies.decoding import decode

KEY_VALUE = "a literal value under a secret-named key"
NETRC_PASSWORD = "a password in a .netrc entry"
LOGIN_PASSWORD = "a password given to a login command"

# A config key: bare, or quoted as JSON and YAML allow.
_KEY = r"(?:\"([A-Za-z_][A-Za-z0-9_.-]*)\"|'([A-Za-z_][A-Za-z0-9_.-]*)'|([A-Za-z_][A-Za-z0-9_.-]*))"
# A config value: a quoted string, a YAML block scalar indicator (the value is on the next line), or a bare
# word. A bare word does not start with what makes it something else in YAML/INI/JSON: a flow collection
# (`[`, `{`), a comment (`#`, `;`), an anchor, alias or tag (`&`, `*`, `!`), a reserved indicator (`%`, `@`,
# backquote) or a quote.
_VALUE = (
    r"(\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|[|>][-+0-9]*(?=[ \t]*(?:#[^\n]*)?$)"
    r"|[^\s\"'\[\]{},#;&*!%@`|>][^\s,\]}]*)"
)
# `key: value`, `key = value`, `"key": "value"` where a key can start: at the start of a line (after the
# indentation and a YAML list dash), or after `{` or `,` in a flow mapping or a one-line JSON object.
_KEY_VALUE = re.compile(
    r"(?:^[ \t]*(?:-[ \t]+)?|(?<=[{,])[ \t]*)" + _KEY + r"[ \t]*[:=][ \t]*" + _VALUE, re.MULTILINE
)
# A .netrc entry: `machine <host>` (or `default`), then any login/account/port tokens, then the password.
# Tokens are separated by any white space, newlines included; an entry may open a quoted string
# (`echo 'machine ...' > ~/.netrc`). An entry has a few tokens: the bound keeps `login default login
# default ...` from being rescanned from every `default`.
_NETRC = re.compile(
    r"(?<![^\s\"'])(?:machine\s+\S+|default)(?:\s+(?:login|account|port|protocol)\s+\S+){0,4}\s+password\s+"
    r"([^\s\"']+)"
)
_WORD = r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s;&|'\"]+)"
# Commands whose `-p` is a password (elsewhere `-p` is a port, a parent directory, a publish spec...).
_LOGIN = (
    r"(?:(?:docker|podman|buildah|skopeo|nerdctl|oras|finch)[ \t]+login|helm[ \t]+registry[ \t]+login"
    r"|crane[ \t]+auth[ \t]+login)"
)
_COMMAND_START = r"(?<![\w./-])"
# The rest of one command line: up to a newline or a command separator.
_ARGS = r"([^\n;&|]*)"
_LOGIN_COMMAND = re.compile(_COMMAND_START + _LOGIN + r"\b" + _ARGS)
# sshpass's own options only: the command it runs follows them (`sshpass -f file ssh -p 22 host`).
_NONCAPTURING_WORD = r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s;&|'\"]+)"
_SSHPASS_COMMAND = re.compile(
    _COMMAND_START + r"sshpass((?:[ \t]+(?:-[pfdP][ \t]*" + _NONCAPTURING_WORD + r"|-[evhV]))*)"
)
# `-p value`, `-p=value`, `-pvalue` (pflag and sshpass accept all three); not `--password-stdin`.
_SHORT_P = re.compile(r"(?<!\S)-p(?:=|[ \t]+)?" + _WORD)
# The MySQL clients take a password only attached (`-psecret`): `-p secret` prompts and names a database.
_MYSQL_COMMAND = re.compile(_COMMAND_START + r"(?:mysql|mariadb|mysqldump|mysqladmin)\b" + _ARGS)
_MYSQL_P = re.compile(r"(?<!\S)-p([^\s;&|'\"]+)")
# A literal piped or fed into `--password-stdin`: `echo secret | docker login ... --password-stdin`,
# `docker login ... --password-stdin <<< secret`.
_ECHO_TO_STDIN = re.compile(
    r"(?<![\w./-])(?:echo|printf)[ \t]+(?:-[A-Za-z]+[ \t]+)*"
    + _WORD
    + r"[ \t]*\|[ \t]*(?:sudo[ \t]+)?"
    + _LOGIN
    + r"\b[^\n;&|]*--password-stdin"
)
_HERE_STRING = re.compile(r"<<<[ \t]*" + _WORD)
_HERE_STRING_COMMAND = re.compile(_COMMAND_START + _LOGIN + r"\b" + _ARGS)

# Words that, last in a secret-suggesting key, make it configuration of how a secret is obtained
# (`credential_process`, `credHelpers`, `token_command`) rather than the secret; `credentials.secret_name`
# already leaves out FILE, PATH, URL, ARN, NAME, ID, TTL and the like.
_KEY_QUALIFIERS = frozenset({"PROCESS", "HELPER", "HELPERS", "COMMAND", "CMD", "PROGRAM", "SCRIPT"})
# Whole values that point at a secret or stand in for one, beyond `credentials.is_reference`: home- or
# directory-relative paths, ConfigParser interpolation, templates and `~` (YAML null).
_POINTER = re.compile(r"^(?:~$|~/|\./|\.\./|%\(|\{\{|\{%|<)")


def _unquoted(value: str) -> str:
    inner = value.strip()
    if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "\"'":
        inner = inner[1:-1]
    return inner.strip()


def _literal(value: str) -> bool:
    """Whether a config value is a literal that could be a credential (not empty, a flag, a reference)."""
    inner = _unquoted(value)
    return not (credentials.is_reference(inner, Expansion.SHELL) or _POINTER.match(inner))


def _secret_key(key: str) -> bool:
    words = re.findall(r"[A-Za-z]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key))
    return credentials.secret_name(key) is not None and not (words and words[-1].upper() in _KEY_QUALIFIERS)


def _block_value(text: str, end: int) -> str:
    """The first word of the YAML block scalar whose indicator ends at `end` (empty if there is none)."""
    start = text.find("\n", end) + 1
    for _ in range(2):  # the first non-blank line of the block
        if start == 0:
            return ""
        stop = text.find("\n", start)
        line = text[start : stop if stop >= 0 else len(text)]
        if line.strip():
            return line.split()[0]
        start = stop + 1
    return ""


def _candidates(text: str) -> list[tuple[str, int]]:
    """(kind, offset) for every credential shape of this module in one text, unfiltered."""
    found: list[tuple[str, int]] = []
    for match in _KEY_VALUE.finditer(text):
        key = match.group(1) or match.group(2) or match.group(3)
        if not _secret_key(key):
            continue
        value = match.group(4)
        if value[0] in "|>":
            value = _block_value(text, match.end())
        # credentials' reading of a value under a secret name: not a reference, and under TOKEN alone not
        # a tokenizer's special token or a count (`pad_token: "[PAD]"`, `max_token: 512`).
        inner = _unquoted(value)
        if credentials.literal_under_secret_name(key, inner, Expansion.SHELL) and not _POINTER.match(inner):
            found.append((KEY_VALUE, match.start(4)))
    found.extend(
        (NETRC_PASSWORD, match.start(1)) for match in _NETRC.finditer(text) if _literal(match.group(1))
    )
    # A command continued over several lines (`\` at a line end) is one command line; the replacement
    # keeps offsets, so lines are still counted in the text as given.
    joined = text.replace("\\\n", "  ")
    for command, flag in (
        (_LOGIN_COMMAND, _SHORT_P),
        (_SSHPASS_COMMAND, _SHORT_P),
        (_MYSQL_COMMAND, _MYSQL_P),
        (_HERE_STRING_COMMAND, _HERE_STRING),
    ):
        for match in command.finditer(joined):
            arguments = match.group(1)
            if flag is _HERE_STRING and "--password-stdin" not in arguments:
                continue  # a here-string feeds the password only to --password-stdin
            for argument in flag.finditer(arguments):
                if _literal(argument.group(1)):
                    found.append((LOGIN_PASSWORD, match.start(1) + argument.start(1)))
    found.extend(
        (LOGIN_PASSWORD, match.start(1))
        for match in _ECHO_TO_STDIN.finditer(joined)
        if _literal(match.group(1))
    )
    return found


def scan_text(text: str) -> list[Finding]:
    """The kinds of credentials in one literal text that `credentials.scan_text` does not report, each
    once, with the first line it is on."""
    found: dict[str, int] = {}
    covered: dict[int, bool] = {}  # line -> whether the shell reading reports something on it
    # Offsets ascend, so lines are counted once across the text (not from its start for each candidate).
    line, counted = 1, 0
    for kind, offset in sorted(_candidates(text), key=lambda item: item[1]):
        line += text.count("\n", counted, offset)
        counted = offset
        if kind in found:
            continue
        if line not in covered:
            start = text.rfind("\n", 0, offset) + 1
            stop = text.find("\n", offset)
            covered[line] = bool(credentials.scan_text(text[start : stop if stop >= 0 else len(text)]))
        # A line the shell reading already reports (`password: ...`, `export X=...`) is described once.
        if not covered[line]:
            found[kind] = line
    return [Finding(kind, line) for kind, line in sorted(found.items(), key=lambda item: item[1])]


def scan(value: str) -> Scan:
    """User data scanned as given and through every encoded layer, by `credentials.scan_text` and by this
    module; each kind once, at the first layer (and line) it shows in."""
    decoded = decode(value)
    found: dict[str, Finding] = {}
    for layer in decoded.layers:
        # A shell runs the script; cloud-init and the programs it starts read the files it writes.
        findings = [*credentials.scan_text(layer.text, Expansion.SHELL), *scan_text(layer.text)]
        for finding in sorted(findings, key=lambda f: f.line):
            found.setdefault(finding.kind, Finding(finding.kind, finding.line, layer.how))
    return Scan(list(found.values()), decoded.incomplete)
