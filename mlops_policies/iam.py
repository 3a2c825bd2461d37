"""IAM policy documents: which documents give a role its permissions, and what a document allows.

Two questions, answered conservatively for rules that look for dangerous grants:

- `role_grants(stack, role)` / `role_documents(stack, role)`: the identity documents of a role that
  the stack declares: the role's own `inlinePolicies`, `aws:iam/rolePolicy:RolePolicy` resources for
  the role, and `aws:iam/policy:Policy` documents attached by `aws:iam/rolePolicyAttachment`,
  `aws:iam/policyAttachment`, `aws:iam/rolePolicyAttachmentsExclusive` (policyArns) or the role's
  `managedPolicyArns`. A role is named by a property
  dependency on the Role (works in a first preview) or by its known `name`. A policy is named by a
  property dependency on the Policy or by a known ARN ending in `:policy/<path><name>`. Documents of
  AWS-managed policies are outside the stack and not read, except the few whose grant is public and
  wide (`WELL_KNOWN_MANAGED`).
- `allows(document, action, resource)`: whether the document lets SOME action matching `action` act
  on SOME resource matching `resource` (both may carry IAM wildcards `*` and `?`). Allow statements
  count whatever their Condition; `NotAction`/`NotResource` in an Allow grant everything they do not
  fully exclude; a Deny only subtracts when it is unconditional and fully covers what an Allow
  grants. So the answer can be "allows" where IAM would deny, never the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import PolicyResource

from mlops_policies.iam_match import effect, pattern_covers, patterns_overlap
from mlops_policies.iam_match import values as iam_values
from mlops_policies.props import UNKNOWN, get, known, policy_document, statements
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

Document = Mapping[str, Any]

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
# AWS-managed policies (matched by the ARN suffix, any partition) whose grant is public and wide enough
# that ignoring them, because their documents are not in the stack, would hide an obvious grant.
WELL_KNOWN_MANAGED: dict[str, Document] = {
    ":iam::aws:policy/AdministratorAccess": _ADMIN,
    ":iam::aws:policy/PowerUserAccess": _POWER_USER,
}


# ---------------------------------------------------------------- what a document allows


def _values(statement: Mapping[str, Any], key: str) -> list[str] | None:
    """String values of Action/NotAction/Resource/NotResource, None when the key is absent."""
    found = iam_values(statement, key)
    return None if found is None else [v.strip() for v in found]


def _granted(statement: Mapping[str, Any], key: str, query: str, ignore_case: bool) -> list[str]:
    """The patterns through which an Allow grants part of `query` for `key` (Action or Resource)."""
    positive, negative = _values(statement, key), _values(statement, f"Not{key}")
    if positive is not None:
        return [p for p in positive if patterns_overlap(p, query, ignore_case=ignore_case)]
    if negative is not None:
        excluded = any(pattern_covers(n, query, ignore_case=ignore_case) for n in negative)
        return [] if excluded else [query]
    # No Action means an invalid statement that grants nothing; no Resource is taken as `*`.
    return [] if key == "Action" else [query]


def _deny_covers(statement: Mapping[str, Any], key: str, patterns: Sequence[str], ignore_case: bool) -> bool:
    positive, negative = _values(statement, key), _values(statement, f"Not{key}")
    if positive is not None:
        return any(pattern_covers(d, p, ignore_case=ignore_case) for d in positive for p in patterns)
    if negative is not None:
        return any(
            not any(patterns_overlap(n, p, ignore_case=ignore_case) for n in negative) for p in patterns
        )
    return False


def unconditional_denies(document: Document | None) -> list[Mapping[str, Any]]:
    """Deny statements that apply whatever the request context (no Condition)."""
    return [s for s in statements(document) if effect(s) == "deny" and not get(s, "Condition")]


def denies(statement: Mapping[str, Any], actions: Sequence[str], resources: Sequence[str]) -> bool:
    """Whether a Deny statement fully covers one of `actions` on one of `resources` (ignores Principal)."""
    return _deny_covers(statement, "Action", actions, True) and _deny_covers(
        statement, "Resource", resources, False
    )


def allows(document: Document | None, action: str, resource: str = "*") -> bool:
    """Whether the document allows some action matching `action` on some resource matching `resource`."""
    deny = unconditional_denies(document)
    for statement in statements(document):
        if effect(statement) != "allow":
            continue
        for granted_action in _granted(statement, "Action", action, True):
            for granted_resource in _granted(statement, "Resource", resource, False):
                narrowed_actions, narrowed_resources = (granted_action, action), (granted_resource, resource)
                if not any(denies(d, narrowed_actions, narrowed_resources) for d in deny):
                    return True
    return False


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
    document = policy_document(value)
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
