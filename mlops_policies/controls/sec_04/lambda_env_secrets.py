"""The rule `sec-04-lambda-env-secrets`, one of the SEC-04 rules.

SEC-04: No plaintext secrets in environment variables or user data.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.sec_04._env_scan import EnvScan
from mlops_policies.props import known
from mlops_policies.rule import ResourceCheck, resource_rule

LAMBDA_FUNCTION = "aws:lambda/function:Function"


@resource_rule(
    "sec-04-lambda-env-secrets",
    control="SEC-04",
    types=[LAMBDA_FUNCTION],
    severity=Severity.CRITICAL,
    description="No Lambda environment variable has a literal value that looks like a credential, or a "
    "literal value under a secret-suggesting name; functions read secrets from Secrets Manager.",
    remediation="Remove the value from environment={'variables': ...}; pass the secret's ARN instead and "
    "read it at runtime (Secrets Manager / Parameters and Secrets Lambda extension); rotate the credential.",
)
def lambda_env_secrets(r: ResourceCheck) -> None:
    scan = EnvScan(r, "the secret's ARN, read at runtime from Secrets Manager")
    scan.mapping("environment.variables", known(r.props, "environment", "variables"))
    scan.done()
