"""One IAM matcher with AWS's own semantics, for every rule and audit check that reads a policy document
(documents are read by `mlops_policies.policy_documents`; no Pulumi import, the audit uses it too).

- Actions: `service:Action` compared case-insensitively, `*` and `?` wildcards allowed in the
  statement AND in the question (`grants_action(statement, "s3:Get*")` asks "some s3:Get... action").
- Action / NotAction, Resource / NotResource: an Allow with NotAction or NotResource grants everything
  it does not list, so it is broad (`broad_allow`); a missing Resource reads as `*` (trust policies
  have none).
- Resources: ARNs compared case-sensitively (as IAM does), wildcards of any shape (`arn:*`,
  `arn:aws:s3:::acme-*`). `confined(pattern, spaces)` is True only when every ARN the pattern can
  match lies inside one of the allowed `spaces`: `arn:aws:s3:::acme-*` is not confined to tenant
  acme's buckets, since it also reaches tenant `acme-labs`.
- Principals: `*`, `{"AWS": "*"}` and NotPrincipal in an Allow name everyone; account ids are read from
  bare 12-digit ids and from `arn:<partition>:iam::<account>:...` ARNs (root, role, user).
- KMS keys: `KeyRef` parses key ids, key ARNs, alias names and alias ARNs into (kind, account, region,
  id); two references name the same key only on an exact match of kind and id, and of account where
  both carry one: never a substring match.
- Tenant identity: a name belongs to tenant `acme` when it is `acme` or starts with `acme-`: never
  `acme2` or `acmeco`. (Sibling tenants whose id starts with `acme-` cannot be told apart from a name
  alone; rules that must tell them apart name resources exactly, see `confined`.)

Readers here never raise on wrong shapes; unknown values raise `UnknownValueError` (judge each
statement inside a `deciding` scope).

Just over 300 lines: AWS's matching semantics in one place, so no rule or audit check has its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mlops_policies.shapes import as_list, as_str, get

ACCOUNT_ID = re.compile(r"[0-9]{12}")
_IAM_ARN = re.compile(r"arn:[a-z-]+:(?:iam|sts)::([0-9]{12}):.+")
_KMS_ARN = re.compile(r"arn:([a-z-]+):kms:([a-z0-9-]*):([0-9]{12}):(key|alias)/(.+)")
_KEY_ID = re.compile(r"(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


# ---------------------------------------------------------------- wildcard patterns


def _has_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


@functools.lru_cache(maxsize=1024)
def _matcher(pattern: str) -> re.Pattern[str]:
    """The IAM pattern as a regex: `*` any run of characters (newlines too), `?` exactly one."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.DOTALL)


# Both checks are pure and asked the same few questions for every statement of every resource: cached,
# they were a quarter of a pack's analysis time.
@functools.lru_cache(maxsize=8192)
def patterns_overlap(a: str, b: str, *, ignore_case: bool = False) -> bool:
    """Whether some string matches both IAM patterns (`*` any run of characters, `?` one character)."""
    if ignore_case:
        a, b = a.lower(), b.lower()
    if not _has_wildcard(a) or not _has_wildcard(b):
        literal, pattern = (a, b) if not _has_wildcard(a) else (b, a)
        return _matcher(pattern).fullmatch(literal) is not None
    return _overlap_by_table(a, b)


def _overlap_by_table(a: str, b: str) -> bool:
    """patterns_overlap for any two patterns, by dynamic programming (the reference for the fast path)."""
    la, lb = len(a), len(b)
    # dp[i][j]: the suffixes a[i:] and b[j:] can match a common string.
    dp = [[False] * (lb + 1) for _ in range(la + 1)]
    for i in range(la, -1, -1):
        for j in range(lb, -1, -1):
            if i == la and j == lb:
                value = True
            elif i < la and a[i] == "*":
                value = dp[i + 1][j] or (j < lb and dp[i][j + 1])
            elif j < lb and b[j] == "*":
                value = dp[i][j + 1] or (i < la and dp[i + 1][j])
            elif i < la and j < lb:
                value = (a[i] == "?" or b[j] == "?" or a[i] == b[j]) and dp[i + 1][j + 1]
            else:
                value = False
            dp[i][j] = value
    return dp[0][0]


@functools.lru_cache(maxsize=8192)
def pattern_covers(outer: str, inner: str, *, ignore_case: bool = False) -> bool:
    """Whether every string matching `inner` matches `outer` (sound: True only when certain)."""
    if ignore_case:
        outer, inner = outer.lower(), inner.lower()
    if not _has_wildcard(inner):
        return _matcher(outer).fullmatch(inner) is not None
    if not _has_wildcard(outer):
        return False  # a pattern with a wildcard matches more than the one string `outer` is
    return _covers_by_table(outer, inner)


def _covers_by_table(outer: str, inner: str) -> bool:
    """pattern_covers for any two patterns, by dynamic programming (the reference for the fast paths)."""
    lo, li = len(outer), len(inner)
    # dp[i][j]: outer[i:] matches every expansion of inner[j:], inner wildcards taken as symbols.
    dp = [[False] * (li + 1) for _ in range(lo + 1)]
    for i in range(lo, -1, -1):
        for j in range(li, -1, -1):
            if i == lo:
                value = j == li
            elif outer[i] == "*":
                value = dp[i + 1][j] or (j < li and dp[i][j + 1])
            elif j == li:
                value = False
            elif outer[i] == "?":
                value = inner[j] != "*" and dp[i + 1][j + 1]
            else:
                value = inner[j] not in "*?" and outer[i] == inner[j] and dp[i + 1][j + 1]
            dp[i][j] = value
    return dp[0][0]


def action_matches(pattern: str, action: str) -> bool:
    """Whether an action pattern grants some action matching `action` (both may hold wildcards)."""
    return patterns_overlap(pattern.strip(), action.strip(), ignore_case=True)


def confined(pattern: str, spaces: Iterable[str]) -> bool:
    """Whether every ARN `pattern` can match lies inside one of `spaces` (patterns; case-sensitive)."""
    return any(pattern_covers(space, pattern) for space in spaces)


PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
# IAM and STS ARNs have no region: `arn:aws:iam::*:*` is every IAM resource.
_GLOBAL_SERVICES = frozenset({"iam", "sts"})


def every_arn(pattern: str, service: str | None = None) -> bool:
    """Whether a Resource pattern matches every ARN of a partition (`*`, `arn:*`, `arn:*:*:*:*:*`,
    `arn:aws:*:*:*:*`), or with `service` every ARN of that service (`arn:aws:iam::*:*` for iam)."""
    text = pattern.strip()
    shapes = ["arn:*:*:*:*:*"] + [f"arn:{p}:*:*:*:*" for p in PARTITIONS]
    if service:
        region = "" if service.lower() in _GLOBAL_SERVICES else "*"
        shapes += [f"arn:{p}:{service.lower()}:{region}:*:*" for p in ("*", *PARTITIONS)]
    return any(pattern_covers(text, shape) for shape in shapes)


# ---------------------------------------------------------------- statements


def effect(statement: Mapping[str, Any]) -> str | None:
    """`allow` or `deny` (IAM accepts any case), None for a statement without a usable Effect."""
    value = as_str(get(statement, "Effect"))
    return value.strip().lower() if value and value.strip().lower() in {"allow", "deny"} else None


def is_allow(statement: Mapping[str, Any]) -> bool:
    """An Allow; a statement without a usable Effect counts as Allow, so a malformed grant is not waved
    through (AWS rejects it anyway)."""
    return effect(statement) != "deny"


def values(statement: Mapping[str, Any], key: str) -> list[str] | None:
    """String values of Action/NotAction/Resource/NotResource; None when the key is absent."""
    if get(statement, key) is None:
        return None
    return [v for v in as_list(get(statement, key)) if isinstance(v, str)]


def grants_action(statement: Mapping[str, Any], action: str) -> bool:
    """Whether the statement's Action/NotAction reaches some action matching `action`.

    With NotAction: every action not fully excluded by one of its patterns. Neither key: nothing.
    """
    positive, negative = values(statement, "Action"), values(statement, "NotAction")
    if positive is not None:
        return any(action_matches(p, action) for p in positive)
    if negative is not None:
        return not any(pattern_covers(n.strip(), action.strip(), ignore_case=True) for n in negative)
    return False


def reaches_resource(statement: Mapping[str, Any], resource: str = "*") -> bool:
    """Whether the statement's Resource/NotResource reaches some ARN matching `resource`; none means `*`."""
    positive, negative = values(statement, "Resource"), values(statement, "NotResource")
    if positive is not None:
        return any(patterns_overlap(p, resource) for p in positive)
    if negative is not None:
        return not any(pattern_covers(n, resource) for n in negative)
    return True


def broad_allow(statement: Mapping[str, Any]) -> str | None:
    """How an Allow grants by exclusion ("NotAction ...", "NotResource ..."); None for a listed grant."""
    if not is_allow(statement):
        return None
    for key in ("NotAction", "NotResource"):
        listed = values(statement, key)
        if listed is not None:
            return f"{key} {listed!r} (everything not listed)"
    return None


def resources_outside(statement: Mapping[str, Any], spaces: Sequence[str]) -> list[str]:
    """The Resource patterns of a statement that reach beyond `spaces` (NotResource and none: `*`)."""
    positive = values(statement, "Resource")
    if positive is None:
        return ["*"] if values(statement, "NotResource") is None else ["NotResource"]
    return [p for p in positive if not confined(p, spaces)]


# ---------------------------------------------------------------- principals


def principal_values(statement: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, value) of each principal: ("*", "*") for a bare `*`, else ("AWS"|"Service"|..., value)."""
    principal = get(statement, "Principal")
    if isinstance(principal, str):
        return [("*", principal.strip())]
    if isinstance(principal, Mapping):
        return [
            (str(kind), value.strip())
            for kind, listed in principal.items()
            for value in as_list(listed)
            if isinstance(value, str)
        ]
    return []


def everyone(statement: Mapping[str, Any]) -> str | None:
    """How an Allow names every principal, or None: `Principal '*'`, `{'AWS': '*'}` (any wildcard
    AWS principal), or NotPrincipal (every principal not listed)."""
    if not is_allow(statement):
        return None
    if get(statement, "NotPrincipal") is not None:
        return "NotPrincipal (every principal not listed)"
    for kind, value in principal_values(statement):
        if kind == "*" and value == "*":
            return "Principal '*'"
        if kind == "AWS" and (value == "*" or value in {"arn:aws:iam::*:root", "arn:*:iam::*:root"}):
            return f"Principal {{'AWS': {value!r}}}"
    return None


def account_of(principal: str) -> str | None:
    """The account a principal string belongs to: a bare 12-digit id or an IAM/STS ARN's account."""
    text = principal.strip()
    if ACCOUNT_ID.fullmatch(text):
        return text
    match = _IAM_ARN.fullmatch(text)
    return match.group(1) if match else None


def foreign_accounts(statement: Mapping[str, Any], account_id: str | None) -> list[str]:
    """AWS principals of the statement in an account other than `account_id` (all of them when None)."""
    found = []
    for kind, value in principal_values(statement):
        owner = account_of(value) if kind == "AWS" else None
        if owner is not None and owner != account_id:
            found.append(value)
    return found


def foreign_account_roots(statement: Mapping[str, Any], account_id: str | None) -> list[str]:
    """AWS principals naming a whole account (a bare id or `...:root`: every principal of that account)
    other than `account_id`; [] when `account_id` is unknown (nothing to compare with)."""
    if not account_id:
        return []
    return [
        value
        for value in foreign_accounts(statement, account_id)
        if ACCOUNT_ID.fullmatch(value) or value.endswith(":root")
    ]


# ---------------------------------------------------------------- KMS key identity


@dataclass(frozen=True)
class KeyRef:
    """A KMS key reference: kind `key` (id is the key id) or `alias` (id is `alias/<name>`)."""

    kind: str
    id: str
    account: str | None = None
    region: str | None = None

    def same_key(self, other: KeyRef) -> bool:
        """Exact identity: same kind and id, and same account/region wherever both references say."""
        if self.kind != other.kind or self.id != other.id:
            return False
        if self.account and other.account and self.account != other.account:
            return False
        return not (self.region and other.region and self.region != other.region)

    def in_account(self, account_id: str | None) -> bool | None:
        """True/False when the reference names its account; None for bare ids and alias names."""
        if self.account is None:
            return None
        return account_id is not None and self.account == account_id


def parse_key(value: Any) -> KeyRef | None:
    """A `KeyRef` for a key id, key ARN, alias name or alias ARN; None for anything else."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _KMS_ARN.fullmatch(text)
    if match:
        _, region, account, kind, rest = match.groups()
        return KeyRef(kind, rest if kind == "key" else f"alias/{rest}", account, region or None)
    if text.startswith("alias/") and len(text) > len("alias/"):
        return KeyRef("alias", text)
    if _KEY_ID.fullmatch(text):
        return KeyRef("key", text)
    return None


def is_aws_managed_key(ref: KeyRef) -> bool:
    return ref.kind == "alias" and ref.id.startswith("alias/aws/")


# ---------------------------------------------------------------- tenant identity


def belongs_to_tenant(name: str, tenant_id: str | None) -> bool:
    """Whether `name` is the tenant's by the landing zone's naming: `<tenant>` or `<tenant>-...`."""
    return bool(tenant_id) and (name == tenant_id or name.startswith(f"{tenant_id}-"))


def tenant_alias(alias_id: str, tenant_id: str | None) -> bool:
    """Whether `alias/<name>` follows the tenant's alias naming (`alias/<tenant>-<purpose>`)."""
    return (
        alias_id.startswith("alias/")
        and belongs_to_tenant(alias_id[len("alias/") :], tenant_id)
        and (alias_id != f"alias/{tenant_id}")
    )
