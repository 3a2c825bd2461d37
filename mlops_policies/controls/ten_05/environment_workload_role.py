"""The rule `ten-05-environment-workload-role`, one of the TEN-05 rules.

TEN-05: Environments are separated.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.ten_05._environments import (
    environment_namespaces,
    named_environments,
    role_environments,
    trusted_subjects,
    trusts_namespace,
)
from mlops_policies.namespaces import NAMESPACE
from mlops_policies.pod_identity import ASSOCIATION, association_role
from mlops_policies.props import UNKNOWN, known
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule


@stack_rule(
    "ten-05-environment-workload-role",
    control="TEN-05",
    types=[NAMESPACE, ROLE, ASSOCIATION],
    severity=Severity.MEDIUM,
    description="Every environment Namespace has a workload identity of its own: an EKS "
    "PodIdentityAssociation for that namespace, or an IAM role whose trust policy `:sub` condition names "
    "system:serviceaccount:<that namespace>:<service account> (IRSA); a role serving several environments "
    "(by IRSA, Pod Identity trust or associations together) is none of them's own.",
    remediation="Create per environment an aws.iam.Role trusted by pods.eks.amazonaws.com and an "
    "aws.eks.PodIdentityAssociation with namespace '<tenant>-<env>', its service account and the role's ARN.",
)
def environment_workload_role(stack: StackCheck) -> None:
    found = environment_namespaces(stack)
    named = named_environments(found)
    # A role serving several environments (by any mix of IRSA trust, Pod Identity trust and
    # associations) is no environment's own identity; ten-05-*-single-environment name the role itself.
    shared = {
        role.urn: envs
        for role in stack.of_type(ROLE)
        if known(role.props, "assumeRolePolicy") is not UNKNOWN
        and len(envs := role_environments(stack, role, named)) > 1
    }
    associated = {
        known(a.props, "namespace")
        for a in stack.of_type(ASSOCIATION)
        if (bound := association_role(stack, a)) is None or bound.urn not in shared
    }
    for env, namespace in found.items():
        if namespace is None:
            continue
        with stack.deciding(namespace.resource):
            if namespace.name is None:
                raise Undecided(["metadata.name is unknown, so no trust policy can be matched to it"])
            # Pod Identity: whether the association's role really trusts it is SEC-06's to judge.
            if namespace.name in associated:
                continue
            unresolved, shared_roles = [], []
            for role in stack.of_type(ROLE):
                if known(role.props, "assumeRolePolicy") is UNKNOWN:
                    unresolved.append(label(role))
                elif role.urn in shared:
                    shared_roles.append(f"{label(role)} serves environments {', '.join(shared[role.urn])}")
                elif trusts_namespace(trusted_subjects(role), namespace.name):
                    break
            else:
                if unresolved:
                    raise Undecided([f"trust policies of {', '.join(unresolved)} are unknown"])
                also = (
                    f" ({'; '.join(shared_roles)}: shared, so no environment's own)" if shared_roles else ""
                )
                stack.fail(namespace.resource, f"{label(namespace.resource)} (environment '{env}') has no "
                           f"PodIdentityAssociation for namespace '{namespace.name}' and no IAM role "
                           f"trusting system:serviceaccount:{namespace.name}:*{also}; required: one workload "
                           "identity per environment")  # fmt: skip
