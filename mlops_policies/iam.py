"""IAM policy documents: which documents a stack gives a role, for rules that look for dangerous grants.

- `role_grants(stack, role)` / `role_documents(stack, role)`: the identity documents of a role that
  the stack declares: the role's own `inlinePolicies`, `aws:iam/rolePolicy:RolePolicy` resources for
  the role, and `aws:iam/policy:Policy` documents attached by `aws:iam/rolePolicyAttachment`,
  `aws:iam/policyAttachment`, `aws:iam/rolePolicyAttachmentsExclusive` (policyArns) or the role's
  `managedPolicyArns`. A role is named by a property
  dependency on the Role (works in a first preview) or by its known `name`. A policy is named by a
  property dependency on the Policy or by a known ARN ending in `:policy/<path><name>`. Documents of
  AWS-managed policies are outside the stack and not read, except the few whose grant is public and
  wide (`WELL_KNOWN_MANAGED`).

What a document allows is `mlops_policies.policy_documents.allows`, shared with the live audit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import PolicyResource

from mlops_policies.policy_documents import Document, parse
from mlops_policies.props import UNKNOWN, known
from mlops_policies.rule import StackCheck, Undecided, label

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
POLICY = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
POLICIES_EXCLUSIVE = "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive"
# RolePoliciesExclusive only names (by policyNames) the RolePolicy resources already read for the role:
# it removes other inline policies and adds no document of its own, so it is not read here.


_ADMIN: Document = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
_POWER_USER: Document = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
    ],
}
# IAMFullAccess: iam:* plus a few organizations reads (listed so the document is AWS's, not a guess).
_IAM_FULL: Document = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization",
                "organizations:DescribeOrganizationalUnit", "organizations:DescribePolicy",
                "organizations:ListChildren", "organizations:ListParents",
                "organizations:ListPoliciesForTarget", "organizations:ListRoots",
                "organizations:ListPolicies", "organizations:ListTargetsForPolicy",
            ],
            "Resource": "*",
        },
    ],
}  # fmt: skip
# AWS-managed policies (matched by the ARN suffix, any partition) whose grant is public and wide enough
# that ignoring them, because their documents are not in the stack, would hide an obvious grant.
WELL_KNOWN_MANAGED: dict[str, Document] = {
    ":iam::aws:policy/AdministratorAccess": _ADMIN,
    ":iam::aws:policy/PowerUserAccess": _POWER_USER,
    ":iam::aws:policy/IAMFullAccess": _IAM_FULL,
}


# ---------------------------------------------------------------- which documents a role has


@dataclass(frozen=True)
class Grant:
    """One identity document of a role and where it is declared (for messages)."""

    source: PolicyResource
    where: str
    document: Document


@dataclass
class RoleGrants:
    """A role's documents in the stack, and why some of them could not be read (unknown in preview)."""

    grants: list[Grant] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def elements(value: Any) -> list[Any]:
    """Items of a list input, each known or `UNKNOWN`; a scalar is a one-item list; UNKNOWN stays one item."""
    if _is_sequence(value):
        return [known(value, index) for index in range(len(value))]
    return [] if value is None else [value]


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def reference_unknown(stack: StackCheck, candidate: PolicyResource, prop: str) -> bool:
    """Whether input `prop` is (partly) unknown and no property dependency tells what it refers to."""
    if stack.referenced_by(candidate, prop):
        return False
    return any(item is UNKNOWN for item in elements(known(candidate.props, prop)))


def names_role(stack: StackCheck, candidate: PolicyResource, prop: str, role: PolicyResource) -> bool:
    """Whether `candidate`'s input `prop` (a role name, or a list of them) names `role`."""
    if any(dep.urn == role.urn for dep in stack.referenced_by(candidate, prop)):
        return True
    role_name = known(role.props, "name")
    return isinstance(role_name, str) and role_name in elements(known(candidate.props, prop))


def _add_document(found: RoleGrants, source: PolicyResource, where: str, value: Any) -> None:
    if value is UNKNOWN:
        found.unresolved.append(f"{label(source)} has an unknown {where}")
        return
    document = parse(value)
    if document is not None:
        found.grants.append(Grant(source, where, document))


def _policy_by_arn(stack: StackCheck, arn: str) -> PolicyResource | None:
    for policy in stack.of_type(POLICY):
        name, path = known(policy.props, "name"), known(policy.props, "path", default="/")
        if isinstance(name, str) and isinstance(path, str) and arn.endswith(f":policy{path}{name}"):
            return policy
    return None


def _add_attached(found: RoleGrants, stack: StackCheck, source: PolicyResource, prop: str) -> None:
    """Documents of the policies that `source`'s input `prop` (one ARN or a list of ARNs) refers to."""
    dependencies = [dep for dep in stack.referenced_by(source, prop) if dep.resource_type == POLICY]
    for policy in dependencies:
        _add_document(found, policy, "policy", known(policy.props, "policy"))
    for arn in elements(known(source.props, prop)):
        if arn is UNKNOWN and not dependencies:
            found.unresolved.append(f"{label(source)} attaches a policy through an unknown {prop}")
        if not isinstance(arn, str):
            continue
        well_known = next((doc for suffix, doc in WELL_KNOWN_MANAGED.items() if arn.endswith(suffix)), None)
        if well_known is not None:
            found.grants.append(Grant(source, f"{prop} {arn}", well_known))
        declared = _policy_by_arn(stack, arn)
        if declared is not None and all(dep.urn != declared.urn for dep in dependencies):
            _add_document(found, declared, "policy", known(declared.props, "policy"))


def role_grants(stack: StackCheck, role: PolicyResource) -> RoleGrants:
    """Every identity document the stack gives `role`, with the declaring resource of each."""
    found = RoleGrants()
    inline = known(role.props, "inlinePolicies")
    if inline is UNKNOWN:
        found.unresolved.append(f"{label(role)} has unknown inlinePolicies")
    elif _is_sequence(inline):
        for index in range(len(inline)):
            _add_document(found, role, f"inlinePolicies[{index}].policy", known(inline, index, "policy"))
    _add_attached(found, stack, role, "managedPolicyArns")
    for role_policy in stack.of_type(ROLE_POLICY):
        if names_role(stack, role_policy, "role", role):
            _add_document(found, role_policy, "policy", known(role_policy.props, "policy"))
    for attachment in stack.of_type(ROLE_POLICY_ATTACHMENT):
        if names_role(stack, attachment, "role", role):
            _add_attached(found, stack, attachment, "policyArn")
    for attachment in stack.of_type(POLICY_ATTACHMENT):
        if names_role(stack, attachment, "roles", role):
            _add_attached(found, stack, attachment, "policyArn")
    for attachment in stack.of_type(ATTACHMENTS_EXCLUSIVE):
        if names_role(stack, attachment, "roleName", role):
            _add_attached(found, stack, attachment, "policyArns")
    return found


def role_documents(stack: StackCheck, role: PolicyResource) -> list[Document]:
    """The role's documents; raises `Undecided` (use inside `stack.deciding`) when one is unknown."""
    found = role_grants(stack, role)
    if found.unresolved:
        raise Undecided(found.unresolved)
    return [grant.document for grant in found.grants]


def unattributed(stack: StackCheck) -> list[PolicyResource]:
    """Role policies and attachments whose role cannot be told in preview (unknown, no dependency)."""
    candidates = [(c, "role") for c in stack.of_type(ROLE_POLICY, ROLE_POLICY_ATTACHMENT)]
    candidates += [(c, "roles") for c in stack.of_type(POLICY_ATTACHMENT)]
    candidates += [(c, "roleName") for c in stack.of_type(ATTACHMENTS_EXCLUSIVE)]
    return [candidate for candidate, prop in candidates if reference_unknown(stack, candidate, prop)]
