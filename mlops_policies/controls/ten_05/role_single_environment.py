"""The rule `ten-05-role-single-environment`, one of the TEN-05 rules.

TEN-05: Environments are separated.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.ten_05._environments import (
    environment_namespaces,
    trusted_subjects,
    trusts_namespace,
)
from mlops_policies.namespaces import NAMESPACE
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "ten-05-role-single-environment",
    control="TEN-05",
    types=[NAMESPACE, ROLE],
    severity=Severity.HIGH,
    description="No IAM role's trust policy names service accounts of two environments' namespaces "
    "(wildcards and web-identity trust without a `:sub` condition count for every namespace they match).",
    remediation="Give each environment its own aws.iam.Role whose assume_role_policy `:sub` condition names "
    "exactly one namespace: 'system:serviceaccount:<tenant>-<env>:<service account>'.",
)
def role_single_environment(stack: StackCheck) -> None:
    found = environment_namespaces(stack)
    named = {env: ns.name for env, ns in found.items() if ns is not None and ns.name is not None}
    for role in stack.of_type(ROLE):
        with stack.deciding(role):
            patterns = trusted_subjects(role)
            envs = [env for env, name in named.items() if trusts_namespace(patterns, name)]
            if len(envs) > 1:
                spaces = ", ".join(named[e] for e in envs)
                stack.fail(role, f"{label(role)} has assumeRolePolicy trusting service accounts of "
                           f"environments {', '.join(envs)} (namespaces {spaces}); required: one environment "
                           "per role")  # fmt: skip
