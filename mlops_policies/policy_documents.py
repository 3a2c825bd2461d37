"""IAM-style policy documents (identity, trust, bucket, key and endpoint policies), read one way for the
gate and the live audit.

The gate's rules read a document from a stack's properties, the audit (tenantctl audit) from the AWS
API; both read it here, and match actions, resources and principals through `mlops_policies.iam_match`
(AWS's semantics: case-insensitive actions with wildcards on both sides, NotAction/NotResource, every
spelling of "everyone"), so a document is judged the same before deploy and in the account. The
judgements both sides make of one property live in `mlops_policies.policy_predicates`.

No Pulumi import here (the audit must not load the policy SDK). Readers never raise on wrong shapes;
a preview's unknown value raises `UnknownValueError` when read, and that propagates.

- `parse`: a document from a mapping, a JSON string, or the URL-encoded JSON IAM's API returns for
  trust and policy-version documents; None when unusable.
- `statements`, `string_values`, `principals`, `conditions` / `condition_values` / `condition_keys` /
  `has_condition`: the parts of a document.
- `allows(document, action, resource)`: whether the document lets SOME action matching `action` act on
  SOME resource matching `resource` (both may carry IAM wildcards `*` and `?`). Allow statements count
  whatever their Condition; `NotAction`/`NotResource` in an Allow grant everything they do not fully
  exclude; a Deny only subtracts when it is unconditional and fully covers what an Allow grants. So the
  answer can be "allows" where IAM would deny, never the other way round.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from mlops_policies.iam_match import effect, pattern_covers, patterns_overlap, principal_values, values
from mlops_policies.shapes import as_list, get

Document = Mapping[str, Any]


# ---------------------------------------------------------------- reading


def parse(value: Any) -> Document | None:
    """A policy document from a mapping or a JSON string (URL-encoded as IAM returns it, or plain)."""
    if isinstance(value, str):
        text = value.strip()
        # IAM's API returns documents URL-encoded ("%7B%22Version..."); JSON itself starts with "{".
        if text and not text.startswith("{"):
            text = unquote(text)
        try:
            value = json.loads(text)
        except ValueError:
            return None
    return value if isinstance(value, Mapping) else None


def statements(document: Document | None) -> Iterator[Mapping[str, Any]]:
    """The statements of a document (one statement object counts as a list of one, as IAM allows)."""
    for statement in as_list(get(document, "Statement")):
        if isinstance(statement, Mapping):
            yield statement


def string_values(statement: Mapping[str, Any], key: str) -> list[str]:
    """The string values of Action/NotAction/Resource/NotResource; [] when the key is absent."""
    return values(statement, key) or []


def principals(statement: Mapping[str, Any]) -> list[str]:
    """Every principal string of a statement: "*" for a bare wildcard, else AWS/Service/Federated values."""
    return [value for _kind, value in principal_values(statement)]


def _condition_value(value: Any) -> str:
    # IAM compares condition values as strings; JSON's false is the string "false".
    return value if isinstance(value, str) else json.dumps(value)


def conditions(statement: Mapping[str, Any]) -> dict[str, dict[str, list[str]]]:
    """The Condition block as operator -> key -> values (strings); wrong shapes are left out."""
    block = get(statement, "Condition")
    if not isinstance(block, Mapping):
        return {}
    return {
        str(operator): {
            str(key): [_condition_value(v) for v in as_list(tested)] for key, tested in tests.items()
        }
        for operator, tests in block.items()
        if isinstance(tests, Mapping)
    }


def condition_values(
    statement: Mapping[str, Any],
    operators: str | tuple[str, ...],
    key: str | None = None,
    *,
    suffix: str | None = None,
) -> list[str] | None:
    """Values of a condition key under `operators` (one or several): the key named exactly, or any key
    ending in `suffix` (`":sub"`: any OIDC provider's sub), compared case-insensitively as IAM compares
    keys; None when no such key is tested."""
    block = conditions(statement)
    found: list[str] | None = None
    for operator in (operators,) if isinstance(operators, str) else operators:
        for tested, listed in block.get(operator, {}).items():
            name = tested.lower()
            if (key is not None and name == key.lower()) or (
                suffix is not None and name.endswith(suffix.lower())
            ):
                found = [*(found or []), *listed]
    return found


def condition_keys(statement: Mapping[str, Any]) -> set[str]:
    """Every condition key a statement tests, lower-cased (AWS compares keys case-insensitively)."""
    return {key.lower() for tests in conditions(statement).values() for key in tests}


def has_condition(statement: Mapping[str, Any]) -> bool:
    """Whether some operator of the Condition tests a key (an empty block narrows nothing)."""
    return any(tests for tests in conditions(statement).values())


# ---------------------------------------------------------------- what a document allows


def _stripped(statement: Mapping[str, Any], key: str) -> list[str] | None:
    found = values(statement, key)
    return None if found is None else [v.strip() for v in found]


def _granted(statement: Mapping[str, Any], key: str, query: str, ignore_case: bool) -> list[str]:
    """The patterns through which an Allow grants part of `query` for `key` (Action or Resource)."""
    positive, negative = _stripped(statement, key), _stripped(statement, f"Not{key}")
    if positive is not None:
        return [p for p in positive if patterns_overlap(p, query, ignore_case=ignore_case)]
    if negative is not None:
        excluded = any(pattern_covers(n, query, ignore_case=ignore_case) for n in negative)
        return [] if excluded else [query]
    # No Action means an invalid statement that grants nothing; no Resource is taken as `*`.
    return [] if key == "Action" else [query]


def _deny_covers(statement: Mapping[str, Any], key: str, patterns: Sequence[str], ignore_case: bool) -> bool:
    positive, negative = _stripped(statement, key), _stripped(statement, f"Not{key}")
    if positive is not None:
        return any(pattern_covers(d, p, ignore_case=ignore_case) for d in positive for p in patterns)
    if negative is not None:
        return any(
            not any(patterns_overlap(n, p, ignore_case=ignore_case) for n in negative) for p in patterns
        )
    return False


def unconditional_denies(document: Document | None) -> list[Mapping[str, Any]]:
    """Deny statements that apply whatever the request context (no Condition)."""
    return [s for s in statements(document) if effect(s) == "deny" and not get(s, "Condition")]


def denies(statement: Mapping[str, Any], actions: Sequence[str], resources: Sequence[str]) -> bool:
    """Whether a Deny statement fully covers one of `actions` on one of `resources` (ignores Principal
    and Condition): Action or NotAction, Resource or NotResource."""
    return _deny_covers(statement, "Action", actions, True) and _deny_covers(
        statement, "Resource", resources, False
    )


def allows(document: Document | None, action: str, resource: str = "*") -> bool:
    """Whether the document allows some action matching `action` on some resource matching `resource`."""
    deny = unconditional_denies(document)
    for statement in statements(document):
        if effect(statement) != "allow":
            continue
        for granted_action in _granted(statement, "Action", action, True):
            for granted_resource in _granted(statement, "Resource", resource, False):
                narrowed_actions, narrowed_resources = (granted_action, action), (granted_resource, resource)
                if not any(denies(d, narrowed_actions, narrowed_resources) for d in deny):
                    return True
    return False
