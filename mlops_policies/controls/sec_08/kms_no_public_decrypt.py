"""The rule `sec-08-kms-no-public-decrypt`, one of the SEC-08 rules.

SEC-08: Key policies name only the tenant's principals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies.keys import KEYS
from mlops_policies.policy_documents import parse, string_values
from mlops_policies.policy_predicates import public_grant
from mlops_policies.policy_statements import shown_values, statement_name
from mlops_policies.props import get, indices, item
from mlops_policies.resource_types import KMS_KEY_POLICY
from mlops_policies.rule import ResourceCheck, resource_rule

# Actions that give whoever holds them the key's plaintext power though they are not kms:Decrypt:
# ReEncryptFrom decrypts under this key (and hands the ciphertext to a key the caller owns), CreateGrant
# lets the caller grant itself Decrypt, PutKeyPolicy lets it rewrite the policy. (GenerateDataKey* only
# mints new data keys; it reads no existing ciphertext, so it is not among them.)
DECRYPT_EQUIVALENT = {
    "kms:ReEncryptFrom": "decrypts under the key",
    "kms:CreateGrant": "can grant itself kms:Decrypt",
    "kms:PutKeyPolicy": "can rewrite the key policy to allow kms:Decrypt",
}


@resource_rule(
    "sec-08-kms-no-public-decrypt",
    control="SEC-08",
    types=[*KEYS, KMS_KEY_POLICY],
    severity=Severity.CRITICAL,
    description="No Allow statement of a key policy grants kms:Decrypt (kms:*, *, kms:Decr*, ...) or an "
    "action that amounts to it (kms:ReEncryptFrom, kms:CreateGrant, kms:PutKeyPolicy) to Principal '*' "
    "without a Condition.",
    remediation="Name the tenant's principals in the key policy statement, or add a Condition limiting the "
    "callers (e.g. kms:CallerAccount, aws:PrincipalOrgID, aws:PrincipalTag/tenant).",
)
def kms_no_public_decrypt(r: ResourceCheck) -> None:
    # Each statement is judged on its own: an unknown one defers only itself (core's unknown-aware
    # evaluation), never a public grant beside it.
    document = parse(get(r.props, "policy"))
    for index in indices(document, "Statement"):
        with r.deciding(f"policy Statement[{index}]"):
            statement = item(document, "Statement", index)
            if isinstance(statement, Mapping):
                _judge(r, index, statement)


def _judge(r: ResourceCheck, index: int, statement: Mapping[str, Any]) -> None:
    for action, why in {"kms:Decrypt": "", **DECRYPT_EQUIVALENT}.items():
        everyone = public_grant(statement, action)
        if everyone:
            key = "NotAction" if get(statement, "NotAction") is not None else "Action"
            actions = shown_values(string_values(statement, key))
            granted = f"{action} ({key} {actions}" + (f"; it {why})" if why else ")")
            r.fail(
                f"{r.label} policy {statement_name(index, statement)} allows {granted} "
                f"to {everyone} without a Condition; required: named principals or a Condition"
            )
            return
