"""ten-05-pod-identity-single-environment: no Pod Identity role serves two environments."""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies.controls.ten_05._environments import environment_namespaces
from mlops_policies.iam_match import patterns_overlap
from mlops_policies.namespaces import NAMESPACE
from mlops_policies.pod_identity import ASSOCIATION, association_role, trusted_namespaces, trusts_pod_identity
from mlops_policies.props import as_str, known
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import StackCheck, label, stack_rule


def _bound_namespaces(stack: StackCheck, role: PolicyResource) -> list[str]:
    found = []
    for association in stack.of_type(ASSOCIATION):
        namespace = as_str(known(association.props, "namespace"))
        if namespace and association_role(stack, association) is role:
            found.append(namespace)
    return found


@stack_rule(
    "ten-05-pod-identity-single-environment",
    control="TEN-05",
    types=[NAMESPACE, ROLE, ASSOCIATION],
    severity=Severity.HIGH,
    description="No role is bound by Pod Identity associations, or trusted through its "
    "aws:RequestTag/kubernetes-namespace condition, for namespaces of two environments.",
    remediation="Give each environment its own aws.iam.Role and aws.eks.PodIdentityAssociation; the role's "
    "trust names exactly one namespace '<tenant>-<env>'.",
)
def pod_identity_single_environment(stack: StackCheck) -> None:
    found = environment_namespaces(stack)
    named = {env: ns.name for env, ns in found.items() if ns is not None and ns.name is not None}
    for role in stack.of_type(ROLE):
        with stack.deciding(role):
            if not trusts_pod_identity(role) and not _bound_namespaces(stack, role):
                continue
            patterns = trusted_namespaces(role) + _bound_namespaces(stack, role)
            envs = [env for env, name in named.items() if any(patterns_overlap(p, name) for p in patterns)]
            if len(envs) > 1:
                spaces = ", ".join(named[e] for e in envs)
                stack.fail(
                    role,
                    f"{label(role)} serves Pod Identity workloads of environments {', '.join(envs)} "
                    f"(namespaces {spaces}); required: one environment per role",
                )
