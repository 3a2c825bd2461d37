"""The rule `sec-06-irsa-trust-one-service-account`, one of the SEC-06 rules.

SEC-06: Workload identity is scoped to one service account.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.sec_06._trust import (
    by_subject,
    irsa_scopes,
    pod_identity_scopes,
    scope_problems,
    web_identity,
)
from mlops_policies.policy_predicates import web_identity_scope_problems
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "sec-06-irsa-trust-one-service-account",
    control="SEC-06",
    types=[ROLE],
    severity=Severity.HIGH,
    description="Roles trusted through web identity (sts:AssumeRoleWithWebIdentity from a Federated OIDC "
    "provider) require StringEquals <provider>:sub = one system:serviceaccount:<namespace>:<name> and "
    "<provider>:aud = sts.amazonaws.com; across all its trust statements (Pod Identity ones included) a "
    "role names one service account and one OIDC provider.",
    remediation='Add to the assume_role_policy statement "Condition": {"StringEquals": {"<provider>:sub": '
    '"system:serviceaccount:<namespace>:<name>", "<provider>:aud": "sts.amazonaws.com"}} and drop '
    "StringLike wildcards; use one role per service account.",
)
def irsa_trust_one_service_account(r: ResourceCheck) -> None:
    for name, statement, providers in web_identity(r.props):
        for provider in providers:
            for problem, required in web_identity_scope_problems(statement, provider):
                r.fail(
                    f"{r.label} assumeRolePolicy {name} (web identity) has {problem}; required: {required}"
                )
    # The role, not each statement, is scoped to one service account: statements naming one each must
    # name the same one. A Pod Identity statement of the same role counts too (the same role, reached
    # another way); a role trusted by Pod Identity alone is the Pod Identity rule's.
    irsa = irsa_scopes(r.props)
    if irsa:
        subjects = by_subject(irsa, pod_identity_scopes(r.props))
        for problem in scope_problems(subjects, {host for host, _subject in irsa}, "OIDC provider"):
            r.fail(f"{r.label} assumeRolePolicy {problem}; required: one service account of one cluster "
                   "per role")  # fmt: skip
