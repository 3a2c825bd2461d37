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


@resource_rule(
    "sec-08-kms-no-public-decrypt",
    control="SEC-08",
    types=[*KEYS, KMS_KEY_POLICY],
    severity=Severity.CRITICAL,
    description="No Allow statement of a key policy grants kms:Decrypt (kms:*, *, kms:Decr*, ...) to "
    "Principal '*' without a Condition.",
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
    everyone = public_grant(statement, "kms:Decrypt")
    if everyone:
        key = "NotAction" if get(statement, "NotAction") is not None else "Action"
        actions = shown_values(string_values(statement, key))
        r.fail(
            f"{r.label} policy {statement_name(index, statement)} allows kms:Decrypt ({key} {actions}) "
            f"to {everyone} without a Condition; required: named principals or a Condition"
        )
