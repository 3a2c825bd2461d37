"""The identity policies a role holds (inline and attached), read once and shared by PROV-07 and TEN-04."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlops_policies.policy_documents import Document as PolicyDocument
from mlops_policies.policy_documents import allows, parse
from mlops_policies.policy_predicates import REGISTRY_WRITES, admin_grant, objects_arn
from tenantctl.audit.checks.registry import AuditContext
from tenantctl.audit.inventory import LiveRole
from tenantctl.audit.reader import Reply

# Actions that put a model into service: the "deploy" half of PROV-07's separation of duties.
DEPLOY_ACTIONS = (
    "eks:CreateCluster",
    "eks:UpdateClusterConfig",
    "eks:UpdateClusterVersion",
    "eks:CreateNodegroup",
    "eks:UpdateNodegroupConfig",
    "eks:CreateAddon",
    "eks:CreateAccessEntry",
    "eks:AssociateAccessPolicy",
    "sagemaker:CreateEndpoint",
    "sagemaker:CreateEndpointConfig",
    "sagemaker:UpdateEndpoint",
    "sagemaker:UpdateEndpointWeightsAndCapacities",
    "sagemaker:CreateInferenceComponent",
    "sagemaker:UpdateInferenceComponent",
)


@dataclass(frozen=True)
class Document:
    source: str  # inline:<name> or the attached policy's ARN
    document: PolicyDocument
    reply: Reply | None


def role_documents(ctx: AuditContext, role: LiveRole) -> list[Document]:
    documents: list[Document] = []
    for name in ctx.reader.pages("iam", "list_role_policies", "PolicyNames", RoleName=role.name):
        reply = ctx.read("iam", "get_role_policy", RoleName=role.name, PolicyName=name)
        parsed = parse((reply.data or {}).get("PolicyDocument"))
        documents.append(Document(f"inline:{name}", parsed or {}, reply))
    for attached in attached_policies(ctx, role):
        arn = attached["PolicyArn"]
        policy = (ctx.read("iam", "get_policy", PolicyArn=arn).data or {}).get("Policy", {})
        version_id = policy.get("DefaultVersionId", "v1")
        reply = ctx.read("iam", "get_policy_version", PolicyArn=arn, VersionId=version_id)
        parsed = parse((reply.data or {}).get("PolicyVersion", {}).get("Document"))
        documents.append(Document(arn, parsed or {}, reply))
    return documents


def attached_policies(ctx: AuditContext, role: LiveRole) -> list[dict[str, Any]]:
    return list(
        ctx.reader.pages("iam", "list_attached_role_policies", "AttachedPolicies", RoleName=role.name)
    )


def writes_buckets(documents: list[Document], buckets: list[str]) -> list[str]:
    """The documents allowing an object write (the gate's REGISTRY_WRITES) on some object of one of
    `buckets` (Deny subtracted)."""
    return sorted(
        {
            doc.source
            for doc in documents
            for bucket in buckets
            if any(allows(doc.document, action, objects_arn(bucket)) for action in REGISTRY_WRITES)
        }
    )


def deploy_actions(documents: list[Document]) -> list[str]:
    return sorted(
        {
            f"{doc.source}:{action}"
            for doc in documents
            for action in DEPLOY_ACTIONS
            if allows(doc.document, action)
        }
    )


def admin_statements(documents: list[Document]) -> list[str]:
    """How each document grants `*`, or iam/kms/sts `*`, on every resource: the gate's TEN-04 predicate."""
    return [f"{doc.source}: {grant}" for doc in documents if (grant := admin_grant(doc.document))]
