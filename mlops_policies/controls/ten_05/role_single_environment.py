"""The rule `ten-05-role-single-environment`, one of the TEN-05 rules.

TEN-05: Environments are separated.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.ten_05._environments import (
    environment_namespaces,
    named_environments,
    trust_environments,
)
from mlops_policies.namespaces import NAMESPACE
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "ten-05-role-single-environment",
    control="TEN-05",
    types=[NAMESPACE, ROLE],
    severity=Severity.HIGH,
    description="No IAM role's trust policy names service accounts of two environments' namespaces, by "
    "IRSA `:sub` conditions and Pod Identity aws:RequestTag/kubernetes-namespace conditions together "
    "(wildcards, web-identity trust without a `:sub` condition and Pod Identity trust without a namespace "
    "condition count for every namespace they match).",
    remediation="Give each environment its own aws.iam.Role whose assume_role_policy `:sub` condition names "
    "exactly one namespace: 'system:serviceaccount:<tenant>-<env>:<service account>'.",
)
def role_single_environment(stack: StackCheck) -> None:
    named = named_environments(environment_namespaces(stack))
    for role in stack.of_type(ROLE):
        with stack.deciding(role):
            # Both mechanisms of one trust policy: IRSA for dev and Pod Identity for prod is two.
            envs = trust_environments(role, named)
            if len(envs) > 1:
                spaces = ", ".join(named[e] for e in envs)
                stack.fail(role, f"{label(role)} has assumeRolePolicy trusting service accounts of "
                           f"environments {', '.join(envs)} (namespaces {spaces}); required: one environment "
                           "per role")  # fmt: skip
