"""The rule `ten-05-environment-namespaces`, one of the TEN-05 rules.

TEN-05: Environments are separated.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies.controls.ten_05._environments import environment_namespaces
from mlops_policies.namespaces import NAMESPACE
from mlops_policies.rule import StackCheck, label, stack_rule


@stack_rule(
    "ten-05-environment-namespaces",
    control="TEN-05",
    types=[NAMESPACE],
    severity=Severity.MEDIUM,
    description="Every configured environment has its own Namespace (metadata.labels.environment=<env> or "
    "metadata.name <tenant>-<env>), and no Namespace serves two environments.",
    remediation="Create one kubernetes.core.v1.Namespace per environment in landingzone:tenant.environments, "
    "named '<tenant>-<env>' with metadata.labels.environment '<env>'.",
)
def environment_namespaces_exist(stack: StackCheck) -> None:
    found = environment_namespaces(stack)
    served: dict[str, tuple[PolicyResource, list[str]]] = {}
    for env, namespace in found.items():
        if namespace is None:
            stack.fail(None, f"stack has no Namespace for environment '{env}' (metadata.labels.environment "
                       f"'{env}' or metadata.name '{stack.tenant.id}-{env}'); required: one Namespace per "
                       "configured environment")  # fmt: skip
        else:
            served.setdefault(namespace.resource.urn, (namespace.resource, []))[1].append(env)
    for resource, envs in served.values():
        if len(envs) > 1:
            stack.fail(resource, f"{label(resource)} serves environments {', '.join(envs)}; required: one "
                       "Namespace per environment")  # fmt: skip
