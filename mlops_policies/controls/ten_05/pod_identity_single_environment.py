"""ten-05-pod-identity-single-environment: no Pod Identity role serves two environments."""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.ten_05._environments import (
    environment_namespaces,
    named_environments,
    role_environments,
)
from mlops_policies.namespaces import NAMESPACE
from mlops_policies.pod_identity import ASSOCIATION, bound_namespaces, trusts_pod_identity
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "ten-05-pod-identity-single-environment",
    control="TEN-05",
    types=[NAMESPACE, ROLE, ASSOCIATION],
    severity=Severity.HIGH,
    description="No role is bound by Pod Identity associations, or trusted through its "
    "aws:RequestTag/kubernetes-namespace condition, for namespaces of two environments; a role used by Pod "
    "Identity counts its IRSA `:sub` trust too.",
    remediation="Give each environment its own aws.iam.Role and aws.eks.PodIdentityAssociation; the role's "
    "trust names exactly one namespace '<tenant>-<env>'.",
)
def pod_identity_single_environment(stack: StackCheck) -> None:
    named = named_environments(environment_namespaces(stack))
    for role in stack.of_type(ROLE):
        with stack.deciding(role):
            if not trusts_pod_identity(role) and not bound_namespaces(stack, role):
                continue  # a role without Pod Identity is ten-05-role-single-environment's alone
            # The union with the role's IRSA trust: an association in prod and IRSA for dev is two.
            envs = role_environments(stack, role, named)
            if len(envs) > 1:
                spaces = ", ".join(named[e] for e in envs)
                stack.fail(
                    role,
                    f"{label(role)} serves Pod Identity workloads of environments {', '.join(envs)} "
                    f"(namespaces {spaces}); required: one environment per role",
                )
