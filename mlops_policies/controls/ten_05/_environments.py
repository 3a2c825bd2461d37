"""The tenant's configured environments, the Namespace serving each, and who a role trusts (TEN-05)."""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import PolicyResource

from mlops_policies import policy_predicates
from mlops_policies.iam_match import patterns_overlap
from mlops_policies.namespaces import TenantNamespace, tenant_namespaces
from mlops_policies.pod_identity import bound_namespaces, trusted_namespaces
from mlops_policies.policy_documents import parse
from mlops_policies.props import UNKNOWN, get, known
from mlops_policies.rule import StackCheck, config_value
from mlops_policies.tenancy import ENVIRONMENTS

DEFAULT_ENVIRONMENTS = ("dev", "prod")  # TenantConfig.environments' default


def configured_environments() -> list[str] | None:
    """`landingzone:tenant.environments`; TenantConfig's default (dev, prod) when absent; None if unusable."""
    tenant = config_value("landingzone:tenant")
    raw = tenant.get("environments") if isinstance(tenant, Mapping) else None
    if raw is None:
        return list(DEFAULT_ENVIRONMENTS)
    if not isinstance(raw, list) or not raw or not all(isinstance(e, str) and e for e in raw):
        return None
    return list(dict.fromkeys(raw))


def _serves(namespace: TenantNamespace, env: str, tenant: str | None) -> bool | None:
    """Whether a Namespace is the environment's: label environment=<env> or name <tenant>-<env>."""
    env_label = known(namespace.resource.props, "metadata", "labels", "environment")
    if env_label == env or (tenant is not None and namespace.name == f"{tenant}-{env}"):
        return True
    return (
        None
        if env_label is UNKNOWN or known(namespace.resource.props, "metadata", "name") is UNKNOWN
        else False
    )


def environment_namespaces(stack: StackCheck) -> dict[str, TenantNamespace | None]:
    """Each configured environment's Namespace, None when it has none; an environment whose Namespace
    cannot be told (a name or label unknown) is left out and recorded as undecided."""
    environments = configured_environments()
    if environments is None:
        stack.fail(None, "stack config landingzone:tenant.environments is not a list of environment names; "
                   f"required: a non-empty list such as {list(ENVIRONMENTS)}")  # fmt: skip
        return {}
    namespaces = tenant_namespaces(stack.resources)
    found: dict[str, TenantNamespace | None] = {}
    for env in environments:
        verdicts = [(ns, _serves(ns, env, stack.tenant.id)) for ns in namespaces]
        match = next((ns for ns, serves in verdicts if serves), None)
        if match is None and any(serves is None for _, serves in verdicts):
            stack.undecided.append(f"environment '{env}': a Namespace's name or environment label is unknown")
        else:
            found[env] = match
    return found


def trusted_subjects(role: PolicyResource) -> list[str]:
    """The `:sub` patterns a role's trust policy admits (`policy_predicates.trusted_subjects`)."""
    return policy_predicates.trusted_subjects(parse(get(role.props, "assumeRolePolicy")))


def trusts_namespace(subjects: list[str], namespace: str) -> bool:
    """Whether some trusted subject pattern can be a service account of `namespace`."""
    return any(patterns_overlap(s, f"system:serviceaccount:{namespace}:*") for s in subjects)


def named_environments(found: Mapping[str, TenantNamespace | None]) -> dict[str, str]:
    """Environment -> the name of its Namespace, for environments whose Namespace has a known name."""
    return {env: ns.name for env, ns in found.items() if ns is not None and ns.name is not None}


def trust_environments(role: PolicyResource, named: Mapping[str, str]) -> list[str]:
    """The environments whose namespaces the role's trust policy admits, by either mechanism: IRSA
    `:sub` patterns and the Pod Identity aws:RequestTag/kubernetes-namespace condition (unpinned: `*`).
    An unknown trust policy raises (undecided)."""
    subjects = trusted_subjects(role)
    namespaces = trusted_namespaces(role)
    return [
        env
        for env, name in named.items()
        if trusts_namespace(subjects, name) or any(patterns_overlap(p, name) for p in namespaces)
    ]


def role_environments(stack: StackCheck, role: PolicyResource, named: Mapping[str, str]) -> list[str]:
    """The environments a role serves: its trust policy (both mechanisms) and the Pod Identity
    associations binding it, in one union: a role serving dev by IRSA and prod by Pod Identity serves
    two environments, though each mechanism alone names one."""
    bound = bound_namespaces(stack, role)
    trusted = trust_environments(role, named)
    return [env for env, name in named.items() if env in trusted or name in bound]
