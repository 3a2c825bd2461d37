"""The rule `sec-04-user-data-secrets`, one of the SEC-04 rules.

SEC-04: No plaintext secrets in environment variables or user data.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import credentials, user_data_credentials
from mlops_policies.props import get
from mlops_policies.rule import ResourceCheck, resource_rule

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


@resource_rule(
    "sec-04-user-data-secrets",
    control="SEC-04",
    types=[LAUNCH_TEMPLATE],
    severity=Severity.CRITICAL,
    description="Launch template user data contains no credentials (access key ids, private keys, tokens, "
    "passwords, connection-string keys, literals assigned to secret-named shell variables, literals under "
    "secret-named keys of the INI, YAML and JSON files it writes, .netrc passwords, passwords given to "
    "login commands such as `docker login -p`), read as given and through every base64, gzip and MIME "
    "multipart layer; user data nested beyond the decoding bound fails closed.",
    remediation="Remove the credential from user_data; fetch it at boot from Secrets Manager or SSM "
    "Parameter Store with the instance role, and rotate it.",
)
def user_data_secrets(r: ResourceCheck) -> None:
    user_data = get(r.props, "userData")
    if not isinstance(user_data, str):
        return
    # The shell reading of `credentials` plus the config-file, .netrc and login-command shapes of the files
    # and commands a boot script writes and runs.
    result = user_data_credentials.scan(user_data)
    for finding in result.findings:
        r.fail(
            f"{r.label} has userData ({finding.how}) containing {finding.kind} at line {finding.line}; "
            "required: no credentials in user data (fetch them at boot with the instance role)"
        )
    if result.incomplete:
        # Fail closed: what lies beyond the decoding bound may hold a credential.
        r.fail(
            f"{r.label} has userData that cannot be read to the end ({result.incomplete}); required: user "
            f"data within {credentials.MAX_DEPTH} encoding layers and "
            f"{credentials.MAX_DECODED_BYTES >> 20} MiB decoded, with no credentials"
        )
