"""The identity policies a role holds (inline and attached), read once and shared by PROV-07 and TEN-04."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tenantctl.audit import policydoc
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
)
# "<service>:*" on every resource for these services is administrator power (TEN-04).
ADMIN_SERVICES = ("iam", "kms", "sts")


@dataclass(frozen=True)
class Document:
    source: str  # inline:<name> or the attached policy's ARN
    document: dict[str, Any]
    reply: Reply | None


def role_documents(ctx: AuditContext, role: LiveRole) -> list[Document]:
    documents: list[Document] = []
    for name in ctx.reader.pages("iam", "list_role_policies", "PolicyNames", RoleName=role.name):
        reply = ctx.read("iam", "get_role_policy", RoleName=role.name, PolicyName=name)
        parsed = policydoc.parse((reply.data or {}).get("PolicyDocument"))
        documents.append(Document(f"inline:{name}", parsed or {}, reply))
    for attached in attached_policies(ctx, role):
        arn = attached["PolicyArn"]
        policy = (ctx.read("iam", "get_policy", PolicyArn=arn).data or {}).get("Policy", {})
        version_id = policy.get("DefaultVersionId", "v1")
        reply = ctx.read("iam", "get_policy_version", PolicyArn=arn, VersionId=version_id)
        parsed = policydoc.parse((reply.data or {}).get("PolicyVersion", {}).get("Document"))
        documents.append(Document(arn, parsed or {}, reply))
    return documents


def attached_policies(ctx: AuditContext, role: LiveRole) -> list[dict[str, Any]]:
    return list(
        ctx.reader.pages("iam", "list_attached_role_policies", "AttachedPolicies", RoleName=role.name)
    )


def _allows(statement: dict[str, Any], action: str, resource: str) -> bool:
    if not policydoc.grants(statement, action):
        return False
    return any(
        policydoc.action_matches(pattern, resource) for pattern in policydoc.values(statement, "Resource")
    )


def writes_buckets(documents: list[Document], buckets: list[str]) -> list[str]:
    return sorted(
        {
            doc.source
            for doc in documents
            for statement in policydoc.statements(doc.document)
            for bucket in buckets
            if _allows(statement, "s3:PutObject", f"arn:aws:s3:::{bucket}/model.bin")
        }
    )


def deploy_actions(documents: list[Document]) -> list[str]:
    return sorted(
        {
            f"{doc.source}:{action}"
            for doc in documents
            for statement in policydoc.statements(doc.document)
            for action in DEPLOY_ACTIONS
            if policydoc.grants(statement, action)
        }
    )


def admin_statements(documents: list[Document]) -> list[str]:
    """Allow statements granting `*`, or iam/kms/sts `:*`, on Resource `*`."""
    found = []
    for doc in documents:
        for statement in policydoc.statements(doc.document):
            if statement.get("Effect") != "Allow" or "*" not in policydoc.values(statement, "Resource"):
                continue
            actions = [a.lower() for a in policydoc.values(statement, "Action")]
            wide = [a for a in actions if a == "*" or a in {f"{s}:*" for s in ADMIN_SERVICES}]
            if wide:
                found.append(f"{doc.source}: {', '.join(wide)} on *")
    return found
