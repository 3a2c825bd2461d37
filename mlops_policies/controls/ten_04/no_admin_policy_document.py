"""The rule `ten-04-no-admin-policy-document`, one of the TEN-04 rules.

TEN-04: No administrator in a tenant stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies.iam_match import effect, every_arn, pattern_covers, values
from mlops_policies.policy_documents import Document, parse, statements
from mlops_policies.policy_predicates import ADMIN_ACTIONS, admin_grant
from mlops_policies.props import get, indices
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import ResourceCheck, resource_rule

IDENTITY_POLICIES = (
    "aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)  # fmt: skip


def _document_paths(r: ResourceCheck) -> list[tuple[str, tuple[str | int, ...]]]:
    """Where the resource's documents are, each judged on its own: an unknown one defers only itself."""
    if r.type == ROLE:
        return [
            (f"inlinePolicies[{index}].policy", ("inlinePolicies", index, "policy"))
            for index in indices(r.props, "inlinePolicies")
        ]
    return [("policy", ("policy",))]


def _resource_shown(resource: str, service: str | None) -> str:
    if resource.strip() == "*":
        return "Resource '*'"
    return f"Resource {resource.strip()!r} (every {service.upper() + ' ' if service else ''}resource)"


def _statement_grant(statement: Mapping[str, Any]) -> str | None:
    """How one Allow grants an administrator action on every resource (see `_wider_admin_grant`)."""
    resources = values(statement, "Resource")
    resources = ["*"] if resources is None else resources  # no Resource: read as '*', the safe side
    for action in values(statement, "Action") or []:
        covered = next((a for a in ADMIN_ACTIONS if pattern_covers(action, a, ignore_case=True)), None)
        service = None if covered is None or covered == "*" else covered.split(":", 1)[0]
        every = next((r for r in resources if covered and every_arn(r, service)), None)
        if every is not None:
            return f"Allow Action {action!r} on {_resource_shown(every, service)}"
    if values(statement, "NotAction") is not None:
        every = next((r for r in resources if every_arn(r)), None)
        if every is not None:
            return f"Allow with NotAction on {_resource_shown(every, None)} (every action not listed)"
    return None


def _wider_admin_grant(document: Document | None) -> str | None:
    """The grants `policy_predicates.admin_grant` (shared with the live audit) does not see: Resource
    patterns matching every ARN spelt field by field (`arn:*:*:*:*:*`, `arn:aws:*:*:*:*`), and
    `<service>:*` on every ARN of that service (`iam:*` on `arn:aws:iam::*:*` is full IAM admin)."""
    for statement in statements(document):
        if effect(statement) == "allow":
            grant = _statement_grant(statement)
            if grant:
                return grant
    return None


@resource_rule(
    "ten-04-no-admin-policy-document",
    control="TEN-04",
    types=[*IDENTITY_POLICIES, ROLE],
    severity=Severity.CRITICAL,
    description="No identity policy document (Policy, RolePolicy, UserPolicy, GroupPolicy, role inline "
    "policies) allows Action '*', 'iam:*', 'kms:*' or 'sts:*' on Resource '*' or a pattern matching "
    "every ARN ('arn:*:*:*:*:*', 'arn:aws:*:*:*:*'; for a service's '*' every ARN of that service, such as "
    "'arn:aws:iam::*:*'). Resource policies such as key policies are not identity documents and are "
    "judged elsewhere.",
    remediation="Grant the specific actions the workload needs on the tenant's resource ARNs in the policy= "
    "document (for example s3:GetObject on the dataset bucket ARN).",
)
def no_admin_policy_document(r: ResourceCheck) -> None:
    for where, path in _document_paths(r):
        with r.deciding(where):
            document = parse(get(r.props, *path))
            grant = admin_grant(document) or _wider_admin_grant(document)
            if grant:
                r.fail(f"{r.label} has {where} with {grant}; required: no administrator grants")
