"""The rule `sec-06-irsa-session-duration`, one of the SEC-06 rules.

SEC-06: Workload identity is scoped to one service account.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.sec_06._trust import web_identity
from mlops_policies.props import as_int, get
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "sec-06-irsa-session-duration",
    control="SEC-06",
    types=[ROLE],
    severity=Severity.MEDIUM,
    description="Roles trusted through web identity keep maxSessionDuration at most `maxSessionSeconds` "
    "(default 3600); a missing value means the AWS default of 3600 and passes.",
    remediation="Set max_session_duration=3600 (or less) on the aws.iam.Role, or leave it unset.",
    config={"maxSessionSeconds": {"type": "integer", "default": 3600}},
)
def irsa_session_duration(r: ResourceCheck) -> None:
    maximum = r.config["maxSessionSeconds"]
    duration = get(r.props, "maxSessionDuration")
    seconds = as_int(duration)
    # A short enough session passes whoever is trusted, so an unknown trust policy need not be read.
    if duration is None or (seconds is not None and seconds <= maximum):
        return
    if any(True for _ in web_identity(r.props)):
        r.fail(
            f"{r.label} trusts web identity with maxSessionDuration {duration!r}; required: at most {maximum}"
        )
