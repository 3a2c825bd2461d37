"""The Allow statements of a role's trust policy, and those that trust web identity (SEC-06)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from mlops_policies.iam_match import is_allow
from mlops_policies.policy_documents import parse, statements
from mlops_policies.policy_predicates import web_identity_providers
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
