"""The rule `data-04-endpoint-config-tenant-key`, one of the DATA-04 rules.

DATA-04: Data at rest, intermediate artifacts included, uses the tenant key.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.controls.data_04._tenant_key import tenant_key_rule

endpoint_config_tenant_key = tenant_key_rule(
    "data-04-endpoint-config-tenant-key",
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    "kmsKeyArn",
    "Set kms_key_arn=tenant_key.arn on the aws.sagemaker.EndpointConfiguration (it encrypts the volumes of "
    "the endpoint's instances).",
    severity=Severity.HIGH,
)  # fmt: skip
