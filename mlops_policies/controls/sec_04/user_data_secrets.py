"""The rule `sec-04-user-data-secrets`, one of the SEC-04 rules.

SEC-04: No plaintext secrets in environment variables or user data.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import credentials
from mlops_policies.core import ResourceCheck, resource_rule
from mlops_policies.props import get

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


@resource_rule(
    "sec-04-user-data-secrets",
    control="SEC-04",
    types=[LAUNCH_TEMPLATE],
    severity=Severity.CRITICAL,
    description="Launch template user data (plain or base64/gzip) contains no credentials: no access key "
    "ids, private keys, tokens or passwords.",
    remediation="Remove the credential from user_data; fetch it at boot from Secrets Manager or SSM "
    "Parameter Store with the instance role, and rotate it.",
)
def user_data_secrets(r: ResourceCheck) -> None:
    user_data = get(r.props, "userData")
    if not isinstance(user_data, str):
        return
    reported: set[str] = set()
    for how, text in credentials.user_data_texts(user_data):
        for finding in credentials.scan_text(text):
            if finding.kind not in reported:
                reported.add(finding.kind)
                r.fail(
                    f"{r.label} has userData ({how}) containing {finding.kind} at line {finding.line}; "
                    "required: no credentials in user data (fetch them at boot with the instance role)"
                )
