"""The rule `sec-04-sagemaker-env-secrets`, one of the SEC-04 rules.

SEC-04: No plaintext secrets in environment variables or user data.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.sec_04._env_scan import EnvScan, items
from mlops_policies.props import UNKNOWN, known
from mlops_policies.rule import ResourceCheck, resource_rule

SAGEMAKER_MODEL = "aws:sagemaker/model:Model"


@resource_rule(
    "sec-04-sagemaker-env-secrets",
    control="SEC-04",
    types=[SAGEMAKER_MODEL],
    severity=Severity.CRITICAL,
    description="No SageMaker model container environment has a literal value that looks like a credential, "
    "or a literal value under a secret-suggesting name.",
    remediation="Remove the value from primary_container/containers environment; pass the secret's ARN and "
    "read it at runtime with the model's execution role; rotate the credential.",
)
def sagemaker_env_secrets(r: ResourceCheck) -> None:
    scan = EnvScan(r, "the secret's ARN, read at runtime from Secrets Manager")
    scan.mapping("primaryContainer.environment", known(r.props, "primaryContainer", "environment"))
    containers = known(r.props, "containers")
    if containers is UNKNOWN:
        scan.unknown("containers")
    for index, container in items(containers):
        environment = UNKNOWN if container is UNKNOWN else known(container, "environment")
        scan.mapping(f"containers[{index}].environment", environment)
    scan.done()
