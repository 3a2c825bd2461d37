"""The rule `sec-01-kms-key-rotation`, one of the SEC-01 rules.

SEC-01: KMS keys rotate and cannot be deleted in a hurry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies.keys import KEYS
from mlops_policies.props import as_bool, as_str, get, known, shown
from mlops_policies.resource_types import EXTERNAL_KEYS, REPLICA_KEY
from mlops_policies.rule import ResourceCheck, resource_rule


def _rotatable(props: Mapping[str, Any]) -> bool:
    # Asymmetric and HMAC keys, and keys in custom key stores, cannot rotate automatically (AWS rejects
    # enableKeyRotation for them). An unknown customKeyStoreId is still set, so the key is in a store.
    spec = as_str(get(props, "customerMasterKeySpec")) or as_str(get(props, "keySpec")) or "SYMMETRIC_DEFAULT"
    store = known(props, "customKeyStoreId")
    return spec == "SYMMETRIC_DEFAULT" and (store is None or store == "")


@resource_rule(
    "sec-01-kms-key-rotation",
    control="SEC-01",
    types=KEYS,
    severity=Severity.HIGH,
    description="Symmetric KMS keys rotate their key material automatically (enableKeyRotation true); "
    "asymmetric, HMAC and custom-key-store keys cannot rotate and are not judged. Keys with imported "
    "material (ExternalKey, ReplicaExternalKey) cannot rotate automatically and fail; a ReplicaKey shares "
    "its primary key's rotation, judged on the primary.",
    remediation="Set enable_key_rotation=True on the aws.kms.Key (optionally rotation_period_in_days=365); "
    "replace an aws.kms.ExternalKey by an aws.kms.Key with AWS-generated material, or exempt it with an "
    "approved reason (e.g. HSM-backed key material rotated by the key owner).",
)
def kms_key_rotation(r: ResourceCheck) -> None:
    if r.type == REPLICA_KEY:
        return
    if r.type in EXTERNAL_KEYS:
        r.fail(
            f"{r.label} has imported key material, which KMS cannot rotate automatically; required: an "
            "aws:kms/key:Key with enableKeyRotation true"
        )
        return
    if not _rotatable(r.props):
        return
    rotation = get(r.props, "enableKeyRotation")
    if as_bool(rotation) is not True:
        r.fail(f"{r.label} has enableKeyRotation {shown(rotation)}; required: true")
