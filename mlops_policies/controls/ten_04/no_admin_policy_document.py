"""The rule `ten-04-no-admin-policy-document`, one of the TEN-04 rules.

TEN-04: No administrator in a tenant stack.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.policy_documents import parse
from mlops_policies.policy_predicates import admin_grant
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
            grant = admin_grant(parse(get(r.props, *path)))
            if grant:
                r.fail(f"{r.label} has {where} with {grant}; required: no administrator grants")
