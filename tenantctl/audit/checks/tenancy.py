"""Tenancy boundaries observable in AWS: tags (TEN-01), no administrators (TEN-04) and one environment per
workload role (TEN-05)."""

from __future__ import annotations

from typing import Any

from mlops_policies.policy_documents import parse
from mlops_policies.policy_predicates import subject_namespaces, trusted_subjects
from tenantctl.audit.checks import iam_policies
from tenantctl.audit.checks.registry import AuditContext, Outcome, Scope, check, verdict
from tenantctl.audit.checks.scopes import ROLES, WORKLOAD_ROLES
from tenantctl.audit.inventory import LiveBucket, LiveRole

ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
REQUIRED_TAGS = ("tenant", "environment", "managed-by")
BUCKET_TAGS = ("purpose", "data-classification")
TAGGED_KINDS = (
    "keys",
    "buckets",
    "repositories",
    "trails",
    "log_groups",
    "vpcs",
    "clusters",
    "node_groups",
    "secrets",
    "roles",
)


def _tagged(ctx: AuditContext) -> list[Any]:
    resources: list[Any] = []
    for kind in TAGGED_KINDS:
        # A kind that could not be listed is reported by its own checks; tags are judged on the rest.
        if kind not in ctx.inventory.errors:
            resources.extend(getattr(ctx.inventory, kind))
    return resources


@check("TEN-01", "resource_tags", Scope("tenant resources", _tagged))
def resource_tags(ctx: AuditContext, resource: Any) -> Outcome:
    """Tenant resources carry tenant, environment, managed-by tags (buckets: purpose, data-classification)."""
    tags: dict[str, str] = dict(resource.tags)
    required = REQUIRED_TAGS + (BUCKET_TAGS if isinstance(resource, LiveBucket) else ())
    missing = [t for t in required if not tags.get(t)]
    wrong = [] if tags.get("tenant") in (None, ctx.target.tenant_id) else [f"tenant={tags['tenant']}"]
    evidence = {"tags": {t: tags.get(t) for t in required}, "missing": missing}
    ok = not missing and not wrong
    return verdict(ok, f"missing tags {missing}{wrong or ''}" if not ok else "tagged", evidence)


@check("TEN-04", "role_no_administrator_access", ROLES)
def role_no_administrator_access(ctx: AuditContext, role: LiveRole) -> Outcome:
    """No tenant role has AdministratorAccess attached."""
    attached, refs = ctx.reader.listing(
        "iam", "list_attached_role_policies", "AttachedPolicies", RoleName=role.name
    )
    admin = [p["PolicyArn"] for p in attached if p.get("PolicyArn") == ADMINISTRATOR_ACCESS]
    evidence = {"AttachedPolicies": [p.get("PolicyArn") for p in attached]}
    return verdict(
        not admin, "AdministratorAccess attached" if admin else "no AdministratorAccess", evidence, *refs
    )


@check("TEN-04", "role_policy_no_admin_actions", ROLES)
def role_policy_no_admin_actions(ctx: AuditContext, role: LiveRole) -> Outcome:
    """No tenant role's policies allow `*`, iam:*, kms:* or sts:* on every resource."""
    documents = iam_policies.role_documents(ctx, role)
    found = iam_policies.admin_statements(documents)
    evidence = {"admin_statements": found, "policies": [d.source for d in documents]}
    return verdict(
        not found, "; ".join(found) or "no administrator statements", evidence, *[d.reply for d in documents]
    )


@check("TEN-05", "workload_role_single_environment", WORKLOAD_ROLES)
def workload_role_single_environment(ctx: AuditContext, role: LiveRole) -> Outcome:
    """A workload role trusts service accounts of one namespace (one environment) only."""
    # The subjects as the gate's TEN-05 rules read them: Allow statements only, any operator, and `*` for
    # web-identity trust without a `:sub` condition; a wildcard namespace reaches every environment.
    subjects = trusted_subjects(parse(role.data.get("AssumeRolePolicyDocument")))
    namespaces = subject_namespaces(subjects)
    evidence = {"namespaces": namespaces, "subjects": subjects}
    source = ctx.read("iam", "get_role", RoleName=role.name)
    one = len(namespaces) <= 1 and "*" not in namespaces
    return verdict(one, f"trusts namespaces {namespaces}", evidence, source)
