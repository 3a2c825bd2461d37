"""Requiring a tenant key on a resource input, and the builder of the per-type DATA-04 rules."""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets as s3
from mlops_policies import keys as kms
from mlops_policies.messages import as_shown, prop_path
from mlops_policies.props import as_bool, get
from mlops_policies.rule import Rule, StackCheck, label, stack_rule

BUCKET_ENCRYPTION = s3.ENCRYPTION
KMS_KEY = kms.KEY


def require_tenant_key(stack: StackCheck, resource: PolicyResource, prop: str, *path: str | int) -> None:
    """Fail `resource` unless the key input at prop/path is a tenant key; undecided defers it."""
    where = f"{label(resource)} {prop_path(prop, *path)}"
    use = kms.require_decided(kms.key_use(stack, resource, prop, *path), where)
    if not use.tenant_key:
        stack.fail(
            resource,
            f"{label(resource)} has {prop_path(prop, *path)} {use.found}; required: a KMS key of this stack "
            f"tagged tenant={stack.tenant.id}",
        )


def require_encrypted(stack: StackCheck, resource: PolicyResource, *path: str | int) -> None:
    """Fail `resource` unless its `encrypted` input (at `path` inside it, e.g. a block device) is true."""
    encrypted = get(resource.props, *path, "encrypted")
    if as_bool(encrypted) is not True:
        where = prop_path(str(path[0]), *path[1:], "encrypted") if path else "encrypted"
        stack.fail(resource, f"{label(resource)} has {where} {as_shown(encrypted)}; required: true")


def tenant_key_rule(
    name: str,
    resource_type: str,
    key_prop: str,
    remediation: str,
    *,
    severity: Severity,
    flag: bool = False,
) -> Rule:
    """One DATA-04 rule for a resource type whose own input names its key (and, with `flag`, `encrypted`)."""
    flag_text = "sets encrypted true and " if flag else ""

    def check(stack: StackCheck) -> None:
        for resource in stack.of_type(resource_type):
            with stack.deciding(resource):
                if flag:
                    require_encrypted(stack, resource)
                require_tenant_key(stack, resource, key_prop)

    # Named after the module attribute ("data-04-ebs-volume-tenant-key" -> ebs_volume_tenant_key), the
    # name tests and reports use for the rule.
    check.__name__ = check.__qualname__ = name.removeprefix("data-04-").replace("-", "_")
    return stack_rule(
        name,
        control="DATA-04",
        types=[resource_type, KMS_KEY],
        description=f"Every {resource_type} {flag_text}has {key_prop} naming a tenant key.",
        remediation=remediation,
        severity=severity,
    )(check)
