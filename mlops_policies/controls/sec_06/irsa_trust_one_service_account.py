"""The rule `sec-06-irsa-trust-one-service-account`, one of the SEC-06 rules.

SEC-06: Workload identity is scoped to one service account.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.sec_06._trust import web_identity
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
    "<provider>:aud = sts.amazonaws.com.",
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
