"""The rule `data-06-s3-endpoint-policy-scoped`, one of the DATA-06 rules.

DATA-06: AWS APIs are reached through private endpoints.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import Severity

from mlops_policies.controls.data_06._endpoints import VPC_ENDPOINT, is_s3_service
from mlops_policies.core import ResourceCheck, resource_rule
from mlops_policies.props import as_list, get, policy_document, statement_values

_BARE_S3_RESOURCES = frozenset({"*", "arn:aws:s3:::*", "arn:aws:s3:::*/*", "arn:*:s3:::*", "arn:*:s3:::*/*"})


@resource_rule(
    "data-06-s3-endpoint-policy-scoped",
    control="DATA-06",
    types=[VPC_ENDPOINT],
    severity=Severity.HIGH,
    description="The S3 endpoint has a policy, and none of its Allow statements grants * or s3:* on every "
    "bucket.",
    remediation="Set policy on the S3 aws.ec2.VpcEndpoint to Allow only the S3 actions the workloads need "
    "on the tenant's buckets, named exactly (arn:aws:s3:::<bucket> and arn:aws:s3:::<bucket>/*; a prefix "
    "wildcard such as acme-* would also match tenant acme-labs), plus the AWS-owned buckets they must read "
    "(the ECR layer bucket arn:aws:s3:::prod-<region>-starport-layer-bucket/*). Without a policy the "
    "endpoint allows everything.",
)
def s3_endpoint_policy_scoped(r: ResourceCheck) -> None:
    if not is_s3_service(get(r.props, "serviceName")):
        return
    raw = get(r.props, "policy")
    document = policy_document(raw)
    if document is None:
        found = "missing" if raw is None else "unreadable"
        r.fail(f"{r.label} has policy {found}; required: a policy limited to the tenant's buckets")
        return
    for index, statement in enumerate(as_list(get(document, "Statement"))):
        if not isinstance(statement, Mapping) or get(statement, "Effect") != "Allow":
            continue
        actions = statement_values(statement, "Action")
        resources = statement_values(statement, "Resource")
        every_action = get(statement, "NotAction") is not None or bool({"*", "s3:*"} & set(actions))
        every_bucket = get(statement, "NotResource") is not None or bool(_BARE_S3_RESOURCES & set(resources))
        if every_action and every_bucket:
            r.fail(
                f"{r.label} has policy Statement[{index}] allowing Action {actions or 'NotAction'} on "
                f"Resource {resources or 'NotResource'}; required: no Allow of * or s3:* on every bucket"
            )
