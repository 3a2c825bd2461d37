"""SEC-06 on a quarantined stack: workload-role sessions issued before the quarantine are revoked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from mlops_policies.iam import ROLE, ROLE_POLICY, elements, names_role
from mlops_policies.iam_match import effect
from mlops_policies.incident import quarantine
from mlops_policies.policy_documents import parse, statements
from mlops_policies.props import get, known
from mlops_policies.rule import StackCheck, label, stack_rule

WORKLOAD_SUFFIX = "-workload"


def _revokes(statement: Mapping[str, Any], since: str) -> bool:
    """Deny every action on every resource to tokens issued before `since` (AWS's revoke pattern)."""
    return (
        effect(statement) == "deny"
        and elements(get(statement, "Action")) == ["*"]
        and elements(get(statement, "Resource")) == ["*"]
        and get(statement, "Condition", "DateLessThan", "aws:TokenIssueTime") == since
    )


def _workload_roles(stack: StackCheck) -> list[PolicyResource]:
    return [
        role
        for role in stack.of_type(ROLE)
        if isinstance(known(role.props, "name"), str) and known(role.props, "name").endswith(WORKLOAD_SUFFIX)
    ]


@stack_rule(
    "sec-06-quarantine-revokes-sessions",
    control="SEC-06",
    types=[ROLE, ROLE_POLICY],
    description="On a quarantined stack every workload role (<tenant>-<env>-workload) has an inline policy "
    "denying every action on every resource to sessions whose aws:TokenIssueTime is before the "
    "quarantine's `since` (DateLessThan), so credentials issued before the incident stop working.",
    remediation="Deploy the stack as `tenantctl quarantine` left it: the program adds a revoke-sessions "
    "policy to each workload role; do not remove or edit it until `tenantctl release`.",
    severity=Severity.CRITICAL,
)
def quarantine_revokes_sessions(stack: StackCheck) -> None:
    incident = quarantine()
    policies = stack.of_type(ROLE_POLICY)
    for role in _workload_roles(stack):
        with stack.deciding(role):
            attached = [p for p in policies if names_role(stack, p, "role", role)]
            revoking = [
                p
                for p in attached
                if any(_revokes(s, incident.since) for s in statements(parse(known(p.props, "policy"))))
            ]
            if not revoking:
                stack.fail(
                    role,
                    f"{label(role)}: no inline policy denies sessions issued before the quarantine "
                    f"(ticket {incident.ticket}); required: Deny Action * Resource * with "
                    f"DateLessThan aws:TokenIssueTime {incident.since}",
                )
