"""The rule `aud-01-trail-log-file-validation`, one of the AUD-01 rules.

AUD-01: Every tenant has a tamper-evident trail.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.aud_01._trail import trail_flag
from mlops_policies.resource_types import TRAIL
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "aud-01-trail-log-file-validation",
    control="AUD-01",
    types=[TRAIL],
    severity=Severity.MEDIUM,
    description="CloudTrail trails write digest files, so tampering with delivered logs is detectable "
    "(enableLogFileValidation true).",
    remediation="Set enable_log_file_validation=True on the trail.",
)
def trail_log_file_validation(r: ResourceCheck) -> None:
    trail_flag(r, "enableLogFileValidation", default=None)  # AWS default false
