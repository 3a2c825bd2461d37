"""sec-06-pod-identity-trust-one-service-account: a Pod Identity role serves one service account."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies.controls.sec_06._trust import by_subject, pod_identity_scopes, scope_problems
from mlops_policies.iam_match import grants_action
from mlops_policies.pod_identity import (
    ACTIONS,
    CLUSTER_TAGS,
    NAMESPACE_TAG,
    SERVICE,
    SERVICE_ACCOUNT_TAG,
    exact,
    trust_statements,
)
from mlops_policies.policy_documents import condition_values, string_values
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import ResourceCheck, resource_rule


def _shown(values: list[Any] | None) -> str:
    if values is None:
        return "missing"
    return ", ".join(f"'{v}'" for v in values) if values else "empty"


def _problems(statement: Mapping[str, Any]) -> Iterator[str]:
    missing = [a for a in ACTIONS if not grants_action(statement, a)]
    if missing:
        yield f"does not grant {', '.join(missing)}; required: Action sts:AssumeRole and sts:TagSession"
    extra = [a for a in string_values(statement, "Action") if a.lower() not in {x.lower() for x in ACTIONS}]
    if extra or string_values(statement, "NotAction"):
        found = ", ".join(extra) if extra else "NotAction"
        yield f"grants {found}; required: exactly sts:AssumeRole and sts:TagSession"
    for key in (NAMESPACE_TAG, SERVICE_ACCOUNT_TAG):
        values = condition_values(statement, ("StringEquals",), key)
        if exact(values) is None:
            yield f"has StringEquals {key} {_shown(values)}; required: exactly one name, no wildcards"
    clusters = [condition_values(statement, ("StringEquals", "ArnEquals"), key) for key in CLUSTER_TAGS]
    if not any(exact(values) for values in clusters):
        yield (
            f"has no exact {CLUSTER_TAGS[0]} or {CLUSTER_TAGS[1]} condition; required: the one cluster "
            "whose associations may use the role"
        )
    for key in (NAMESPACE_TAG, SERVICE_ACCOUNT_TAG, *CLUSTER_TAGS):
        patterns = condition_values(statement, ("StringLike", "ArnLike"), key)
        if patterns is not None:
            yield f"has a pattern condition on {key} ({_shown(patterns)}); required: StringEquals only"


@resource_rule(
    "sec-06-pod-identity-trust-one-service-account",
    control="SEC-06",
    types=[ROLE],
    severity=Severity.HIGH,
    description=f"Roles trusted by EKS Pod Identity (Principal Service {SERVICE}) allow exactly "
    "sts:AssumeRole and sts:TagSession under StringEquals conditions naming one value each for "
    f"{NAMESPACE_TAG}, {SERVICE_ACCOUNT_TAG} and {CLUSTER_TAGS[0]} (or {CLUSTER_TAGS[1]}); across all its "
    "trust statements a role names one service account of one cluster.",
    remediation='Set assume_role_policy to "Action": ["sts:AssumeRole", "sts:TagSession"] and "Condition": '
    f'{{"StringEquals": {{"{NAMESPACE_TAG}": "<namespace>", "{SERVICE_ACCOUNT_TAG}": "<service account>", '
    f'"{CLUSTER_TAGS[0]}": "<cluster>"}}}}; use one role per service account.',
)
def pod_identity_trust_one_service_account(r: ResourceCheck) -> None:
    for name, statement in trust_statements(r.props):
        for problem in _problems(statement):
            r.fail(f"{r.label} assumeRolePolicy {name} (EKS Pod Identity) {problem}")
    # The role, not each statement, is scoped to one service account of one cluster.
    scopes = pod_identity_scopes(r.props)
    for problem in scope_problems(by_subject(scopes), {cluster for cluster, _subject in scopes}, "cluster"):
        r.fail(f"{r.label} assumeRolePolicy (EKS Pod Identity) {problem}; required: one service account of "
               "one cluster per role")  # fmt: skip
