"""Whether a resource input refers to a tenant key: a KMS key of this stack tagged with the stack's tenant.

For stack rules (a resource rule cannot see the keys). The answer, in this order:

1. the value is known and absent or empty: not a tenant key ("missing");
2. the value is known and names an AWS-managed key (`alias/aws/...`): not a tenant key;
3. the input has property dependencies on keys (or on aliases of keys) of this stack: a tenant key if
   one of them is tagged tenant=<tenant>; undecided if that tag is unknown; otherwise not. This is
   how a first preview decides, where `key.arn` is still unknown;
4. the value is unknown: undecided (None), never a silent pass;
5. a known string, parsed exactly (`iam_match.parse_key`, never a substring match): a key or alias
   ARN naming an account other than the tenant's (landingzone:platform account_id) is not a tenant
   key; otherwise a tenant key if it is an alias following the tenant's naming (`alias/<tenant>-...`,
   not `alias/<tenant>co-...`) or names a tenant key or tenant alias of this stack by its ARN, key id
   or alias name; any other value is not a tenant key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource

from mlops_policies import typemap
from mlops_policies.iam_match import is_aws_managed_key, parse_key, tenant_alias
from mlops_policies.props import UNKNOWN, known
from mlops_policies.rule import StackCheck, Undecided, label

KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
KEYS = typemap.types("kms.key")
"""Every key type: own, replica and imported-material (external) keys, and their replicas."""
KEY_TYPES = (*KEYS, ALIAS)


@dataclass(frozen=True)
class KeyUse:
    """The verdict (True, False, or None for undecided) and how messages describe what was found."""

    tenant_key: bool | None
    found: str


def is_tenant_key(key: PolicyResource, tenant_id: str | None) -> bool | None:
    """Whether a Key is tagged tenant=<tenant_id>; None when the tag is unknown."""
    tag = known(key.props, "tags", "tenant")
    if tag is UNKNOWN:
        return None
    return tenant_id is not None and tag == tenant_id


def keys_behind(stack: StackCheck, dependencies: list[PolicyResource]) -> list[PolicyResource]:
    """The Keys among `dependencies`, with aliases followed to the keys their targetKeyId refers to."""
    found = [dep for dep in dependencies if dep.resource_type in KEYS]
    for alias in (dep for dep in dependencies if dep.resource_type == ALIAS):
        found.extend(dep for dep in stack.referenced_by(alias, "targetKeyId") if dep.resource_type in KEYS)
    return found


def _identities(stack: StackCheck, tenant_id: str | None) -> dict[bool | None, set[str]]:
    """Known ARNs, key ids and alias names of this stack's keys, by `is_tenant_key` verdict."""
    found: dict[bool | None, set[str]] = {True: set(), False: set(), None: set()}
    for key in stack.of_type(*KEYS):
        names = {v for v in (known(key.props, p) for p in ("arn", "keyId", "id")) if isinstance(v, str) and v}
        found[is_tenant_key(key, tenant_id)].update(names)
    for alias in stack.of_type(ALIAS):
        name = known(alias.props, "name")
        verdicts = [is_tenant_key(k, tenant_id) for k in keys_behind(stack, [alias])]
        if isinstance(name, str) and name and verdicts:
            found[True if True in verdicts else None if None in verdicts else False].add(name)
    return found


def _by_value(stack: StackCheck, value: str, tenant_id: str | None) -> KeyUse:
    ref = parse_key(value)
    if ref is None:
        return KeyUse(False, f"{value!r}, not a KMS key id, key ARN, alias name or alias ARN")
    # A full ARN matches only itself; a bare key id or alias name matches the stack's keys by that id.
    identities = _identities(stack, tenant_id)
    candidates = {value} if ref.account else {value, ref.id}
    if candidates & identities[True]:
        return KeyUse(True, repr(value))
    if candidates & identities[None]:
        return KeyUse(None, f"{value!r}, a key of this stack whose tags.tenant is unknown")
    if candidates & identities[False]:
        return KeyUse(False, f"{value!r}, a key of this stack not tagged tenant={tenant_id}")
    account = stack.tenant.account_id
    if ref.in_account(account) is False:
        return KeyUse(False, f"{value!r}, a key in account {ref.account}, not the tenant's account {account}")
    if tenant_alias(ref.id, tenant_id):
        return KeyUse(True, repr(value))
    return KeyUse(False, f"{value!r}, not a key of this stack")


def key_use(stack: StackCheck, resource: PolicyResource, prop: str, *path: str | int) -> KeyUse:
    """Whether input `prop` (at `path` inside it, e.g. `0, "kmsKey"`) refers to a tenant key."""
    tenant_id = stack.tenant.id
    value: Any = known(resource.props, prop, *path)
    if value is None or value == "":
        return KeyUse(False, "missing")
    ref = parse_key(value)
    if ref is not None and is_aws_managed_key(ref):
        return KeyUse(False, f"{value!r} (an AWS-managed key)")
    if ref is not None and ref.in_account(stack.tenant.account_id) is False:
        # A key ARN in another account is judged by its value whatever the dependencies say: they are
        # recorded per top-level input, so for one item of a list (a block device, a replica) the keys
        # behind `prop` may be another item's.
        return _by_value(stack, value, tenant_id)
    keys = keys_behind(stack, stack.referenced_by(resource, prop))
    if keys:
        verdicts = [is_tenant_key(key, tenant_id) for key in keys]
        if True in verdicts:
            return KeyUse(True, label(keys[verdicts.index(True)]))
        if None in verdicts:
            return KeyUse(None, f"{label(keys[verdicts.index(None)])} whose tags.tenant is unknown")
        return KeyUse(False, f"{label(keys[0])}, which is not tagged tenant={tenant_id}")
    if value is UNKNOWN:
        return KeyUse(None, "an unknown value with no dependency on a KMS key")
    if not isinstance(value, str):
        return KeyUse(False, "a value that is not a key reference")
    return _by_value(stack, value, tenant_id)


def uses_tenant_key(stack: StackCheck, resource: PolicyResource, prop: str, *path: str | int) -> bool | None:
    """True, False, or None when it cannot be decided (an unknown value with no dependency information)."""
    return key_use(stack, resource, prop, *path).tenant_key


def require_decided(use: KeyUse, where: str) -> KeyUse:
    """`use`, or raise `Undecided` (call inside `stack.deciding(resource)`) when it is undecided."""
    if use.tenant_key is None:
        raise Undecided([f"{where} is {use.found}"])
    return use
