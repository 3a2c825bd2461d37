"""The rule `aud-01-trail-multi-region`, one of the AUD-01 rules.

AUD-01: Every tenant has a tamper-evident trail.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.aud_01._trail import trail_flag
from mlops_policies.resource_types import TRAIL
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "aud-01-trail-multi-region",
    control="AUD-01",
    types=[TRAIL],
    severity=Severity.HIGH,
    description="CloudTrail trails record every region (isMultiRegionTrail true).",
    remediation="Set is_multi_region_trail=True on the trail.",
)
def trail_multi_region(r: ResourceCheck) -> None:
    trail_flag(r, "isMultiRegionTrail", default=None)  # AWS default false: missing is a violation
