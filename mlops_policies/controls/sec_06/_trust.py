"""The Allow statements of a role's trust policy, and those that trust web identity (SEC-06)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from mlops_policies.policy_documents import parse, statements
from mlops_policies.policy_statements import allows_statement, grants_action, statement_name
from mlops_policies.props import as_list, get

WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


def trust_statements(props: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Allow statements of the role's trust policy; an unknown assumeRolePolicy raises (undecided)."""
    for index, statement in enumerate(statements(parse(get(props, "assumeRolePolicy")))):
        if allows_statement(statement):
            yield statement_name(index, statement), statement


def web_identity(props: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], list[str]]]:
    """Trust statements granting AssumeRoleWithWebIdentity to Federated principals, with the providers."""
    for name, statement in trust_statements(props):
        providers = [p for p in as_list(get(statement, "Principal", "Federated")) if isinstance(p, str)]
        if providers and grants_action(statement, WEB_IDENTITY):
            yield name, statement, providers
