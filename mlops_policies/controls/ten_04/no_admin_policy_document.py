"""The rule `ten-04-no-admin-policy-document`, one of the TEN-04 rules.

TEN-04: No administrator in a tenant stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies.iam_match import effect, pattern_covers
from mlops_policies.props import get, indices, policy_document, statement_values, statements
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import ResourceCheck, resource_rule

IDENTITY_POLICIES = (
    "aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)  # fmt: skip
ADMIN_ACTIONS = ("*", "iam:*", "kms:*", "sts:*")


def admin_grant(document: Mapping[str, Any] | None) -> str | None:
    """How an identity document grants `*` or iam/kms/sts `*` on Resource `*`; None when it does not.

    Conditions and Deny statements are not subtracted: the control forbids writing such an Allow at all.
    """
    for statement in statements(document):
        if effect(statement) != "allow":
            continue
        # A missing Resource is taken as '*' (AWS rejects it; the reading stays on the safe side).
        resources = (
            statement_values(statement, "Resource") if get(statement, "Resource") is not None else ["*"]
        )
        every = ("*", "arn:*", "arn:aws:*")  # `arn:*` matches every ARN: it is Resource '*' spelt otherwise
        if not any(pattern_covers(r.strip(), e) for r in resources for e in every) and (
            get(statement, "NotResource") is None
        ):
            continue
        if get(statement, "NotAction") is not None:
            return "Allow with NotAction on Resource '*' (every action not listed)"
        for action in statement_values(statement, "Action"):
            covered = next((a for a in ADMIN_ACTIONS if pattern_covers(action, a, ignore_case=True)), None)
            if covered:
                return f"Allow Action {action!r} on Resource '*'"
    return None


def _document_paths(r: ResourceCheck) -> list[tuple[str, tuple[str | int, ...]]]:
    """Where the resource's documents are, each judged on its own: an unknown one defers only itself."""
    if r.type == ROLE:
        return [
            (f"inlinePolicies[{index}].policy", ("inlinePolicies", index, "policy"))
            for index in indices(r.props, "inlinePolicies")
        ]
    return [("policy", ("policy",))]


@resource_rule(
    "ten-04-no-admin-policy-document",
    control="TEN-04",
    types=[*IDENTITY_POLICIES, ROLE],
    severity=Severity.CRITICAL,
    description="No identity policy document (Policy, RolePolicy, UserPolicy, GroupPolicy, role inline "
    "policies) allows Action '*', 'iam:*', 'kms:*' or 'sts:*' on Resource '*'. Resource policies such as "
    "key policies are not identity documents and are judged elsewhere.",
    remediation="Grant the specific actions the workload needs on the tenant's resource ARNs in the policy= "
    "document (for example s3:GetObject on the dataset bucket ARN).",
)
def no_admin_policy_document(r: ResourceCheck) -> None:
    for where, path in _document_paths(r):
        with r.deciding(where):
            grant = admin_grant(policy_document(get(r.props, *path)))
            if grant:
                r.fail(f"{r.label} has {where} with {grant}; required: no administrator grants")
