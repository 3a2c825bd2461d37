"""The rule `sec-06-no-wildcard-trust`, one of the SEC-06 rules.

SEC-06: Workload identity is scoped to one service account.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.sec_06._trust import trust_statements
from mlops_policies.policy_predicates import wide_trust
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "sec-06-no-wildcard-trust",
    control="SEC-06",
    types=[ROLE],
    severity=Severity.CRITICAL,
    description="No Allow statement of a role trust policy names every principal (Principal '*', "
    "{'AWS': '*'}, arn:aws:iam::*:root or NotPrincipal), or every principal of an account other than the "
    "platform's (landingzone:platform account_id) through its root or bare account id; Deny statements "
    "with '*' only restrict and are fine.",
    remediation="Name the trusted principals in assume_role_policy (an account root, a role ARN, a service, "
    "or the cluster's OIDC provider as Federated).",
)
def no_wildcard_trust(r: ResourceCheck) -> None:
    for name, statement in trust_statements(r.props):
        # The live audit's role_trust_no_wildcard_principal judges the role's trust with this predicate.
        for wide in wide_trust(statement, r.tenant.account_id):
            r.fail(f"{r.label} assumeRolePolicy {name} allows {wide}; required: named principals")
