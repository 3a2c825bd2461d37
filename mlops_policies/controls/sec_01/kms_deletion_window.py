"""The rule `sec-01-kms-deletion-window`, one of the SEC-01 rules.

SEC-01: KMS keys rotate and cannot be deleted in a hurry.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.keys import KEYS
from mlops_policies.props import as_int, get
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "sec-01-kms-deletion-window",
    control="SEC-01",
    types=KEYS,
    severity=Severity.MEDIUM,
    description="KMS keys wait at least `minDeletionWindowDays` (default 14) days before deletion; "
    "a missing deletionWindowInDays means the AWS default of 30 and passes.",
    remediation="Set deletion_window_in_days to 30 (or at least 14) on the aws.kms.Key.",
    config={"minDeletionWindowDays": {"type": "integer", "default": 14}},
)
def kms_deletion_window(r: ResourceCheck) -> None:
    minimum = r.config["minDeletionWindowDays"]
    window = get(r.props, "deletionWindowInDays")
    if window is None:
        return
    days = as_int(window)
    if days is None or days < minimum:
        r.fail(f"{r.label} has deletionWindowInDays {window!r}; required: at least {minimum}")
