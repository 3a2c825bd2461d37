"""The rule `sec-06-irsa-trust-one-service-account`, one of the SEC-06 rules.

SEC-06: Workload identity is scoped to one service account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies.controls.sec_06._trust import web_identity
from mlops_policies.policy_statements import shown_values
from mlops_policies.props import as_list, get
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import ResourceCheck, resource_rule

_SERVICE_ACCOUNT_SUB = re.compile(r"system:serviceaccount:[a-z0-9][-a-z0-9]*:[a-z0-9][-.a-z0-9]*")


def _condition(statement: Mapping[str, Any], operator: str, key: str) -> list[Any] | None:
    """Values of a condition key under one operator (IAM condition keys are case-insensitive)."""
    block = get(statement, "Condition", operator)
    if not isinstance(block, Mapping):
        return None
    for candidate in block:
        if isinstance(candidate, str) and candidate.lower() == key.lower():
            return as_list(get(block, candidate))
    return None


def _provider_prefix(federated: str) -> str:
    """Condition-key prefix of an OIDC provider: the ARN's part after `oidc-provider/`."""
    return federated.split(":oidc-provider/", 1)[1] if ":oidc-provider/" in federated else federated


def _scope_problems(statement: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    sub, aud = f"{prefix}:sub", f"{prefix}:aud"
    subjects = _condition(statement, "StringEquals", sub)
    exact = "exactly one 'system:serviceaccount:<namespace>:<name>' without wildcards"
    if subjects is None:
        yield f"no StringEquals condition on {sub!r}", f"StringEquals {sub!r}: {exact}"
    elif len(subjects) != 1 or not _SERVICE_ACCOUNT_SUB.fullmatch(str(subjects[0])):
        yield f"StringEquals {sub!r} {shown_values(subjects)}", exact
    patterns = _condition(statement, "StringLike", sub) or []
    if any(not isinstance(p, str) or "*" in p or "?" in p for p in patterns):
        yield (
            f"StringLike {sub!r} {shown_values(patterns)}",
            f"StringEquals {sub!r} with {exact}, no StringLike wildcards",
        )
    audiences = _condition(statement, "StringEquals", aud)
    if audiences != ["sts.amazonaws.com"]:
        found = "missing" if audiences is None else shown_values(audiences)
        yield f"StringEquals {aud!r} {found}", f"StringEquals {aud!r}: 'sts.amazonaws.com'"


@resource_rule(
    "sec-06-irsa-trust-one-service-account",
    control="SEC-06",
    types=[ROLE],
    severity=Severity.HIGH,
    description="Roles trusted through web identity (sts:AssumeRoleWithWebIdentity from a Federated OIDC "
    "provider) require StringEquals <provider>:sub = one system:serviceaccount:<namespace>:<name> and "
    "<provider>:aud = sts.amazonaws.com.",
    remediation='Add to the assume_role_policy statement "Condition": {"StringEquals": {"<provider>:sub": '
    '"system:serviceaccount:<namespace>:<name>", "<provider>:aud": "sts.amazonaws.com"}} and drop '
    "StringLike wildcards; use one role per service account.",
)
def irsa_trust_one_service_account(r: ResourceCheck) -> None:
    for name, statement, providers in web_identity(r.props):
        for provider in providers:
            for problem, required in _scope_problems(statement, _provider_prefix(provider)):
                r.fail(
                    f"{r.label} assumeRolePolicy {name} (web identity) has {problem}; required: {required}"
                )
