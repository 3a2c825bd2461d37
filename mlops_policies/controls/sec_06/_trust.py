"""The Allow statements of a role's trust policy, and those that trust web identity (SEC-06)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from mlops_policies import pod_identity
from mlops_policies.iam_match import is_allow
from mlops_policies.policy_documents import condition_values, parse, statements
from mlops_policies.policy_predicates import SERVICE_ACCOUNT_SUB, web_identity_providers
from mlops_policies.policy_statements import statement_name
from mlops_policies.props import get


def trust_statements(props: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Allow statements of the role's trust policy; an unknown assumeRolePolicy raises (undecided)."""
    for index, statement in enumerate(statements(parse(get(props, "assumeRolePolicy")))):
        if is_allow(statement):
            yield statement_name(index, statement), statement


def web_identity(props: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], list[str]]]:
    """Trust statements granting AssumeRoleWithWebIdentity to Federated principals, with the providers."""
    for name, statement in trust_statements(props):
        providers = web_identity_providers(statement)
        if providers:
            yield name, statement, providers


def _provider_host(provider: str) -> str:
    return provider.split(":oidc-provider/", 1)[1] if ":oidc-provider/" in provider else provider


def irsa_scopes(props: Mapping[str, Any]) -> dict[tuple[str, str], list[str]]:
    """(OIDC provider host, `system:serviceaccount:<ns>:<name>`) -> the statements naming it, for each
    web-identity statement whose StringEquals `:sub` names exactly one service account (a statement
    that does not is a per-statement problem, reported on its own)."""
    found: dict[tuple[str, str], list[str]] = {}
    for name, statement, providers in web_identity(props):
        for provider in providers:
            host = _provider_host(provider)
            subjects = condition_values(statement, "StringEquals", f"{host}:sub")
            if subjects and len(subjects) == 1 and SERVICE_ACCOUNT_SUB.fullmatch(subjects[0]):
                found.setdefault((host, subjects[0]), []).append(name)
    return found


def pod_identity_scopes(props: Mapping[str, Any]) -> dict[tuple[str, str], list[str]]:
    """(cluster, `system:serviceaccount:<ns>:<name>`) -> the statements naming it, for each Pod Identity
    trust statement pinning namespace, service account and cluster to one value each."""
    found: dict[tuple[str, str], list[str]] = {}
    for name, statement in pod_identity.trust_statements(props):
        scope = pod_identity.scope(statement)
        if scope.namespace and scope.service_account and scope.cluster:
            subject = f"system:serviceaccount:{scope.namespace}:{scope.service_account}"
            found.setdefault((scope.cluster, subject), []).append(name)
    return found


def by_subject(*scopes: dict[tuple[str, str], list[str]]) -> dict[str, list[str]]:
    """Service account -> the statements naming it, over the scopes of one or both mechanisms."""
    found: dict[str, list[str]] = {}
    for scope in scopes:
        for (_cluster, subject), names in scope.items():
            found.setdefault(subject, []).extend(n for n in names if n not in found[subject])
    return found


def scope_problems(subjects: dict[str, list[str]], clusters: set[str], cluster_kind: str) -> list[str]:
    """What a role's trust names beyond one service account of one cluster, summed over its statements:
    each statement can be scoped to one service account while the role serves several."""
    problems = []
    if len(subjects) > 1:
        named = "; ".join(f"{subject!r} in {', '.join(names)}" for subject, names in sorted(subjects.items()))
        problems.append(f"names {len(subjects)} service accounts ({named})")
    if len(clusters) > 1:
        problems.append(f"names {len(clusters)} {cluster_kind}s ({', '.join(map(repr, sorted(clusters)))})")
    return problems
