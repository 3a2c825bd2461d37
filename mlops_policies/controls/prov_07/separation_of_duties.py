"""The rule `prov-07-separation-of-duties`, one of the PROV-07 rules.

PROV-07: No single role can train, approve and deploy.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets, iam
from mlops_policies.policy_documents import allows
from mlops_policies.policy_predicates import REGISTRY_WRITES, objects_arn
from mlops_policies.props import as_list
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule

# Inference components put a model onto an existing endpoint: a deployment without CreateEndpoint.
DEPLOY_ACTIONS = [
    "eks:*",
    "sagemaker:CreateEndpoint*",
    "sagemaker:UpdateEndpoint*",
    "sagemaker:CreateInferenceComponent",
    "sagemaker:UpdateInferenceComponent",
]


def _registry_objects(stack: StackCheck) -> tuple[list[str], bool]:
    """ARN patterns of the registry's objects; whether a registry bucket of the stack has no known name."""
    patterns, unnamed = [], False
    if stack.tenant.id:
        patterns.append(objects_arn(f"{stack.tenant.id}-model-registry-{stack.tenant.account_id or '*'}"))
    for bucket in buckets.with_purpose(stack, buckets.MODEL_REGISTRY):
        name = buckets.name(bucket)
        unnamed = unnamed or name is None
        if name is not None and objects_arn(name) not in patterns:
            patterns.append(objects_arn(name))
    return patterns, unnamed


def _first_grant(grants: list[iam.Grant], actions: list[str], resources: list[str]) -> tuple[str, str] | None:
    """(what, where) for the first grant allowing one of `actions` on one of `resources`."""
    for grant in grants:
        for action in actions:
            for resource in resources:
                if allows(grant.document, action, resource):
                    where = label(grant.source) + ("" if grant.where == "policy" else f" {grant.where}")
                    return (action if resource == "*" else f"{action} on {resource}"), where
    return None


@stack_rule(
    "prov-07-separation-of-duties",
    control="PROV-07",
    types=[iam.ROLE, iam.ROLE_POLICY, iam.POLICY, iam.ROLE_POLICY_ATTACHMENT, iam.POLICY_ATTACHMENT],
    severity=Severity.HIGH,
    description="No IAM role of the stack may both write to the tenant's model registry (on its objects: "
    "s3:PutObject*, s3:DeleteObject*, s3:Replicate*, s3:RestoreObject or s3:BypassGovernanceRetention) and "
    "deploy (deployActions, by default eks:*, sagemaker:CreateEndpoint*, sagemaker:UpdateEndpoint*, "
    "sagemaker:CreateInferenceComponent, sagemaker:UpdateInferenceComponent), counting wildcards as "
    "everything they match.",
    remediation="Split the role: give registry writes (s3:PutObject, s3:DeleteObject and the other object "
    "writes on the model-registry bucket) to the "
    "training/publishing role and deployment actions to a separate deploy role, in their RolePolicy or "
    "Policy documents; avoid Action '*' or 's3:*' on Resource '*'.",
    config={
        "deployActions": {"type": "array", "items": {"type": "string"}, "default": DEPLOY_ACTIONS},
    },
)
def separation_of_duties(stack: StackCheck) -> None:
    registry, unnamed = _registry_objects(stack)
    deploy_actions = [a for a in as_list(stack.config.get("deployActions")) if isinstance(a, str)]
    for role in stack.of_type(iam.ROLE):
        with stack.deciding(role):
            found = iam.role_grants(stack, role)
            writes = _first_grant(found.grants, REGISTRY_WRITES, registry)
            deploys = _first_grant(found.grants, deploy_actions, ["*"])
            if writes and deploys:
                stack.fail(
                    role,
                    f"{label(role)} can both write to the model registry ({writes[0]}, via "
                    f"{writes[1]}) and deploy ({deploys[0]}, via {deploys[1]}); "
                    "required: separate roles for registry writes and deployments",
                )
            elif found.unresolved:
                raise Undecided(found.unresolved)
            elif unnamed and deploys and _first_grant(found.grants, REGISTRY_WRITES, ["arn:aws:s3:::*/*"]):
                raise Undecided(["a model-registry bucket has no known name and the role can write to S3"])
    for resource in iam.unattributed(stack):
        with stack.deciding(resource):
            raise Undecided(["its role is unknown with no dependency information"])
