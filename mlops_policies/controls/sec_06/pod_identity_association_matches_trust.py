"""sec-06-pod-identity-association-matches-trust: each association's role trusts exactly that binding."""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies.pod_identity import (
    ASSOCIATION,
    SERVICE,
    association_role,
    role_arn_unknown,
    scope,
    trust_statements,
)
from mlops_policies.props import as_str, known
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule


def _cluster_matches(pinned: str | None, cluster: str | None) -> bool:
    # The trust may pin eks-cluster-name (a name) or eks-cluster-arn (…:cluster/<name>).
    return pinned is not None and cluster is not None and pinned.split(":cluster/")[-1] == cluster


def _judge(stack: StackCheck, association: PolicyResource) -> None:
    role = association_role(stack, association)
    if role is None:
        if role_arn_unknown(stack, association):
            raise Undecided([f"{label(association)}: roleArn is unknown and names no role of the stack"])
        arn = as_str(known(association.props, "roleArn")) or "not set"
        stack.fail(association, f"{label(association)} has roleArn '{arn}', which names no aws:iam/role:Role "
                   "of the stack; required: the workload role declared in the same stack, so its trust "
                   "can be judged")  # fmt: skip
        return
    wanted = tuple(
        as_str(known(association.props, p)) for p in ("namespace", "serviceAccount", "clusterName")
    )
    if any(value is None for value in wanted):
        raise Undecided([f"{label(association)}: namespace, serviceAccount or clusterName is unknown"])
    namespace, service_account, cluster = wanted
    statements = list(trust_statements(role.props))
    if not statements:
        stack.fail(association, f"{label(association)} binds {label(role)}, whose assumeRolePolicy does not "
                   f"trust {SERVICE}; required: a role trusted by EKS Pod Identity")  # fmt: skip
        return
    for _name, statement in statements:
        pinned = scope(statement)
        if (pinned.namespace, pinned.service_account) == (namespace, service_account) and _cluster_matches(
            pinned.cluster, cluster
        ):
            return
    stack.fail(association, f"{label(association)} binds {namespace}/{service_account} on cluster "
               f"'{cluster}' to {label(role)}, whose Pod Identity trust does not name exactly that "
               "namespace, service account and cluster; required: a trust statement pinning those three "
               "session tags")  # fmt: skip


@stack_rule(
    "sec-06-pod-identity-association-matches-trust",
    control="SEC-06",
    types=[ASSOCIATION, ROLE],
    severity=Severity.HIGH,
    description="Every PodIdentityAssociation binds a role declared in the stack whose Pod Identity trust "
    "pins the association's own namespace, service account and cluster.",
    remediation="Give the aws.eks.PodIdentityAssociation the ARN of the stack's workload role and make that "
    "role's trust condition name the association's namespace, service account and cluster name.",
)
def pod_identity_association_matches_trust(stack: StackCheck) -> None:
    for association in stack.of_type(ASSOCIATION):
        with stack.deciding(association):
            _judge(stack, association)
