"""EKS Pod Identity as the policies read it: role trust scoped by session tags, and associations.

EKS Pod Identity assumes a workload role as the service principal `pods.eks.amazonaws.com`
(`sts:AssumeRole` + `sts:TagSession`) and sets session tags the trust policy can condition on
(aws:RequestTag/<tag>): `kubernetes-namespace`, `kubernetes-service-account`, `eks-cluster-name`,
`eks-cluster-arn`, `kubernetes-pod-name`, `kubernetes-pod-uid`. A PodIdentityAssociation binds one
namespace/service account of one cluster to a role ARN. Shared by SEC-06 (scope of the trust) and
TEN-05 (one environment per role).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource

from mlops_policies.iam_match import is_allow
from mlops_policies.policy_documents import condition_values, parse, principals, statements
from mlops_policies.policy_statements import statement_name
from mlops_policies.props import UNKNOWN, get, known
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import StackCheck

ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
SERVICE = "pods.eks.amazonaws.com"
ACTIONS = ("sts:AssumeRole", "sts:TagSession")
NAMESPACE_TAG = "aws:RequestTag/kubernetes-namespace"
SERVICE_ACCOUNT_TAG = "aws:RequestTag/kubernetes-service-account"
CLUSTER_TAGS = ("aws:RequestTag/eks-cluster-name", "aws:RequestTag/eks-cluster-arn")


def trust_statements(props: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Allow statements of a role's trust naming the Pod Identity service; unknown trust raises."""
    for index, statement in enumerate(statements(parse(get(props, "assumeRolePolicy")))):
        if is_allow(statement) and SERVICE in principals(statement):
            yield statement_name(index, statement), statement


def trusts_pod_identity(role: PolicyResource) -> bool:
    return any(True for _ in trust_statements(role.props))


def exact(values: list[Any] | None) -> str | None:
    """The one literal value of an exact-match condition, or None (absent, several, or a wildcard)."""
    if values is None or len(values) != 1 or not isinstance(values[0], str):
        return None
    value = values[0]
    return None if not value or "*" in value or "?" in value else value


@dataclass(frozen=True)
class Scope:
    """What a Pod Identity trust statement allows: None means the tag is not pinned to one value."""

    namespace: str | None
    service_account: str | None
    cluster: str | None


def scope(statement: Mapping[str, Any]) -> Scope:
    cluster = next(
        (
            value
            for key in CLUSTER_TAGS
            if (value := exact(condition_values(statement, ("StringEquals", "ArnEquals"), key)))
        ),
        None,
    )
    return Scope(
        namespace=exact(condition_values(statement, ("StringEquals",), NAMESPACE_TAG)),
        service_account=exact(condition_values(statement, ("StringEquals",), SERVICE_ACCOUNT_TAG)),
        cluster=cluster,
    )


def trusted_namespaces(role: PolicyResource) -> list[str]:
    """Namespace values (patterns included) the role's Pod Identity trust names; `*` when unpinned."""
    found: list[str] = []
    for _name, statement in trust_statements(role.props):
        values = condition_values(statement, ("StringEquals", "StringLike"), NAMESPACE_TAG)
        found.extend([v for v in values if isinstance(v, str)] if values else ["*"])
    return found


# ---------------------------------------------------------------- associations and their roles


def _role_name_of_arn(arn: str) -> str | None:
    return arn.rsplit("/", 1)[1] if ":role/" in arn else None


def association_role(stack: StackCheck, association: PolicyResource) -> PolicyResource | None:
    """The stack's role an association binds: by property dependency, else by its spelled-out ARN.

    Raises through `known` semantics: an unknown roleArn with no property dependency is undecided
    for the caller to report.
    """
    for dep in stack.referenced_by(association, "roleArn"):
        if dep.resource_type == ROLE:
            return dep
    arn = known(association.props, "roleArn")
    if not isinstance(arn, str) or arn is UNKNOWN:
        return None
    name = _role_name_of_arn(arn)
    for role in stack.of_type(ROLE):
        if name is not None and known(role.props, "name") == name:
            return role
        if known(role.props, "arn") == arn:
            return role
    return None


def role_arn_unknown(stack: StackCheck, association: PolicyResource) -> bool:
    return not stack.referenced_by(association, "roleArn") and known(association.props, "roleArn") is UNKNOWN


def bound_namespaces(stack: StackCheck, role: PolicyResource) -> list[str]:
    """The namespaces of the stack's associations that bind `role` (known namespaces only)."""
    found = []
    for association in stack.of_type(ASSOCIATION):
        namespace = known(association.props, "namespace")
        # known() turns an unknown namespace into UNKNOWN, which is no str: left out, as before.
        if isinstance(namespace, str) and namespace and association_role(stack, association) is role:
            found.append(namespace)
    return found
