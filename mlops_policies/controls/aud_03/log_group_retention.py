"""The rule `aud-03-log-group-retention`, one of the AUD-03 rules.

AUD-03: Log groups are encrypted and retained.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import as_int, get
from mlops_policies.resource_types import LOG_GROUP
from mlops_policies.rule import ResourceCheck, resource_rule

MIN_LOG_RETENTION_DAYS = 90
DELIVERY = "DELIVERY"
"""The log class whose events CloudWatch keeps one day, whatever retentionInDays says (CreateLogGroup)."""


@resource_rule(
    "aud-03-log-group-retention",
    control="AUD-03",
    types=[LOG_GROUP],
    severity=Severity.MEDIUM,
    description="CloudWatch log groups keep events for at least minLogRetentionDays days; 0 or no "
    "retentionInDays means never expire and passes. A log group of class DELIVERY keeps events one day "
    "and never passes.",
    remediation="Set retention_in_days to at least 90 (or the configured minimum) on the log group, and "
    "log_group_class STANDARD or INFREQUENT_ACCESS (or leave it unset).",
    config={"minLogRetentionDays": {"type": "integer", "default": MIN_LOG_RETENTION_DAYS, "minimum": 1}},
)
def log_group_retention(r: ResourceCheck) -> None:
    raw = get(r.props, "retentionInDays")
    days = as_int(raw)
    minimum = as_int(r.config.get("minLogRetentionDays")) or MIN_LOG_RETENTION_DAYS
    log_class = get(r.props, "logGroupClass")
    if isinstance(log_class, str) and log_class.upper() == DELIVERY:
        r.fail(
            f"{r.label} has logGroupClass {log_class!r}, which keeps events one day; required: "
            f"STANDARD or INFREQUENT_ACCESS with retentionInDays at least {minimum}, or 0 (never expire)"
        )
        return
    if raw is None or days == 0:
        return  # never expire
    if days is None or days < minimum:
        r.fail(f"{r.label} has retentionInDays {raw!r}; required: at least {minimum}, or 0 (never expire)")
