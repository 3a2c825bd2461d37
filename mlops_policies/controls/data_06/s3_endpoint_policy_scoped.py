"""The rule `data-06-s3-endpoint-policy-scoped`, one of the DATA-06 rules.

DATA-06: AWS APIs are reached through private endpoints.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import Severity

from mlops_policies import buckets as s3
from mlops_policies.controls.data_06._endpoints import VPC_ENDPOINT, is_s3_service
from mlops_policies.policy_documents import parse, string_values
from mlops_policies.policy_predicates import s3_grant_outside
from mlops_policies.props import get, indices, item
from mlops_policies.rule import StackCheck, label, stack_rule

VPC_ENDPOINT_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"


@stack_rule(
    "data-06-s3-endpoint-policy-scoped",
    control="DATA-06",
    types=[VPC_ENDPOINT, VPC_ENDPOINT_POLICY],
    severity=Severity.HIGH,
    description="The S3 endpoint has a policy, its own or a VpcEndpointPolicy attached to it, and its Allow "
    "statements grant S3 actions only on the "
    "tenant's buckets named exactly (<tenant>-<purpose>-<account>, and their objects) and the AWS-owned "
    "ECR layer bucket: no wildcard that reaches other buckets (*, arn:*, arn:aws:s3:::*, <tenant>-*), no "
    "NotResource. A VpcEndpointPolicy (which replaces its endpoint's policy) granting S3 actions is judged "
    "the same way.",
    remediation="Set policy on the S3 aws.ec2.VpcEndpoint (or aws.ec2.VpcEndpointPolicy) to Allow only the "
    "S3 actions the workloads need "
    "on the tenant's buckets, named exactly (arn:aws:s3:::<bucket> and arn:aws:s3:::<bucket>/*; a prefix "
    "wildcard such as acme-* would also match tenant acme-labs), plus the AWS-owned buckets they must read "
    "(the ECR layer bucket arn:aws:s3:::prod-<region>-starport-layer-bucket/*). Without a policy the "
    "endpoint allows everything.",
)
def s3_endpoint_policy_scoped(stack: StackCheck) -> None:
    spaces = s3.tenant_bucket_space(stack.tenant.id, stack.tenant.account_id)
    for resource in stack.of_type(VPC_ENDPOINT, VPC_ENDPOINT_POLICY):
        with stack.deciding(resource):
            endpoint = resource.resource_type == VPC_ENDPOINT
            if endpoint and not is_s3_service(get(resource.props, "serviceName")):
                continue
            raw = get(resource.props, "policy")
            document = parse(raw)
            if document is None:
                # A VpcEndpointPolicy of the stack attached to the endpoint is its policy (judged itself).
                if endpoint and not stack.attached_to(resource, [VPC_ENDPOINT_POLICY], "vpcEndpointId"):
                    found = "missing" if raw is None else "unreadable"
                    stack.fail(
                        resource,
                        f"{label(resource)} has policy {found} and no {VPC_ENDPOINT_POLICY}; required: a "
                        "policy limited to the tenant's buckets",
                    )
                continue
            for index in indices(document, "Statement"):
                statement = item(document, "Statement", index)
                if not isinstance(statement, Mapping):
                    continue
                # The live audit's s3_endpoint_policy_scoped judges the endpoint's policy with this predicate.
                outside = s3_grant_outside(statement, spaces)
                if outside:
                    key = "NotAction" if get(statement, "NotAction") is not None else "Action"
                    stack.fail(
                        resource,
                        f"{label(resource)} has policy Statement[{index}] allowing {key} "
                        f"{string_values(statement, key)} on Resource {outside} beyond the tenant's buckets; "
                        "required: S3 actions only on the tenant's buckets named exactly and the ECR layer "
                        "bucket",
                    )
