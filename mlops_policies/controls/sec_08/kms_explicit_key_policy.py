"""The rule `sec-08-kms-explicit-key-policy`, one of the SEC-08 rules.

SEC-08: Key policies name only the tenant's principals.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import PolicyResource, Severity

from mlops_policies.keys import KEYS
from mlops_policies.props import UNKNOWN, known
from mlops_policies.references import unresolved_references
from mlops_policies.resource_types import KMS_KEY_POLICY
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule


def _key_policies(stack: StackCheck, key: PolicyResource) -> list[PolicyResource]:
    found = stack.attached_to(key, [KMS_KEY_POLICY], "keyId")
    ids = {v for v in (known(key.props, p) for p in ("keyId", "arn", "id")) if isinstance(v, str)}
    for policy in stack.of_type(KMS_KEY_POLICY):
        key_id = known(policy.props, "keyId")
        if policy not in found and isinstance(key_id, str) and key_id in ids:
            found.append(policy)
    return found


@stack_rule(
    "sec-08-kms-explicit-key-policy",
    control="SEC-08",
    types=[*KEYS, KMS_KEY_POLICY],
    severity=Severity.HIGH,
    description="Every KMS key has an explicit key policy: its own `policy`, or an "
    "aws:kms/keyPolicy:KeyPolicy whose keyId comes from the key (the AWS default policy delegates the "
    "key to every principal of the account).",
    remediation="Pass policy=<key policy JSON> to aws.kms.Key, or add aws.kms.KeyPolicy(key_id=key.id, "
    "policy=...), naming only the tenant's principals.",
)
def kms_explicit_key_policy(stack: StackCheck) -> None:
    for key in stack.of_type(*KEYS):
        with stack.deciding(key):
            policy = known(key.props, "policy")
            # A computed (unknown) policy is still an explicit one; its content is judged at update time.
            if policy is UNKNOWN or (isinstance(policy, str | Mapping) and len(policy) > 0):
                continue
            if _key_policies(stack, key):
                continue
            unresolved = unresolved_references(stack, KMS_KEY_POLICY, "keyId")
            if unresolved:
                raise Undecided([f"keyId of {label(unresolved[0])} is unknown, with no dependencies"])
            stack.fail(
                key,
                f"{label(key)} has policy missing and no {KMS_KEY_POLICY} attached; "
                "required: an explicit key policy",
            )
