"""The rule `aud-01-trail-global-service-events`, one of the AUD-01 rules.

AUD-01: Every tenant has a tamper-evident trail.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.aud_01._trail import trail_flag
from mlops_policies.resource_types import TRAIL
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "aud-01-trail-global-service-events",
    control="AUD-01",
    types=[TRAIL],
    severity=Severity.MEDIUM,
    description="CloudTrail trails record global service events such as IAM and STS "
    "(includeGlobalServiceEvents true; missing means the provider default, true).",
    remediation="Remove include_global_service_events=False from the trail (or set it to True).",
)
def trail_global_service_events(r: ResourceCheck) -> None:
    trail_flag(r, "includeGlobalServiceEvents", default=True)
