"""sec-06-pod-identity-session-duration: Pod Identity roles keep sessions short, like IRSA roles."""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.pod_identity import trust_statements
from mlops_policies.props import as_int, get, shown
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "sec-06-pod-identity-session-duration",
    control="SEC-06",
    types=[ROLE],
    severity=Severity.MEDIUM,
    description="Roles trusted by EKS Pod Identity keep maxSessionDuration at most `maxSessionSeconds` "
    "(default 3600); a missing value means the AWS default of 3600 and passes.",
    remediation="Set max_session_duration=3600 (or less) on the aws.iam.Role, or leave it unset.",
    config={"maxSessionSeconds": {"type": "integer", "default": 3600}},
)
def pod_identity_session_duration(r: ResourceCheck) -> None:
    maximum = r.config["maxSessionSeconds"]
    duration = get(r.props, "maxSessionDuration")
    seconds = as_int(duration)
    # A short enough session passes whoever is trusted, so an unknown trust policy need not be read.
    if duration is None or (seconds is not None and seconds <= maximum):
        return
    if any(True for _ in trust_statements(r.props)):
        r.fail(
            f"{r.label} is trusted by EKS Pod Identity with maxSessionDuration {shown(duration)}; "
            f"required: at most {maximum}"
        )
