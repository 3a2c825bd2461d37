"""The rule `ten-04-no-cluster-admin-binding`, one of the TEN-04 rules.

TEN-04: No administrator in a tenant stack.

Cluster-admin reaches a tenant stack three ways: a ClusterRoleBinding (any served RBAC version), a
ClusterRoleBindingPatch (server-side apply creates the binding when it is missing, and a patch of the
built-in `cluster-admin` binding adds subjects to it without restating its roleRef), and an EKS access
policy association (access entries map AmazonEKSClusterAdminPolicy to the cluster-admin ClusterRole,
and AmazonEKSAdminPolicy at cluster scope to the `admin` ClusterRole in every namespace, other
tenants' included).
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import as_str, get, shown
from mlops_policies.rule import ResourceCheck, config_value, resource_rule

CLUSTER_ROLE_BINDINGS = tuple(
    f"kubernetes:rbac.authorization.k8s.io/{version}:{kind}"
    for version in ("v1", "v1beta1", "v1alpha1")
    for kind in ("ClusterRoleBinding", "ClusterRoleBindingPatch")
)
CLUSTER_ROLE_BINDING = CLUSTER_ROLE_BINDINGS[0]
ACCESS_POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"
ADMIN_POLICY = "AmazonEKSAdminPolicy"
# ClusterRoles that make their subject an administrator of every namespace when bound cluster-wide:
# `admin` through a ClusterRoleBinding is AmazonEKSAdminPolicy at cluster scope.
ADMIN_CLUSTER_ROLES = ("cluster-admin", "admin")


@resource_rule(
    "ten-04-no-cluster-admin-binding",
    control="TEN-04",
    types=[*CLUSTER_ROLE_BINDINGS, ACCESS_POLICY_ASSOCIATION],
    severity=Severity.CRITICAL,
    description="No ClusterRoleBinding or ClusterRoleBindingPatch (any RBAC version) in a tenant stack binds "
    "the cluster-admin or admin ClusterRole, no patch adds subjects to the built-in cluster-admin binding, "
    "and no EKS AccessPolicyAssociation grants AmazonEKSClusterAdminPolicy (any scope) or "
    "AmazonEKSAdminPolicy at cluster scope, except to the platform's admin role "
    "(landingzone:platform admin_role_arn).",
    remediation="Remove the kubernetes.rbac.v1.ClusterRoleBinding to cluster-admin (or the "
    "aws.eks.AccessPolicyAssociation with AmazonEKSClusterAdminPolicy); bind a namespaced Role with the "
    "needed verbs through a RoleBinding in the tenant's namespaces, or associate AmazonEKSEditPolicy / "
    "AmazonEKSViewPolicy with access_scope type 'namespace' and the tenant's namespaces.",
)
def no_cluster_admin_binding(r: ResourceCheck) -> None:
    if r.type == ACCESS_POLICY_ASSOCIATION:
        _access_policy(r)
        return
    role = get(r.props, "roleRef", "name")
    if role in ADMIN_CLUSTER_ROLES:
        r.fail(f"{r.label} has roleRef.name {role!r}; required: no cluster-admin or admin binding in a "
               "tenant stack")  # fmt: skip
    elif role is None and r.type.endswith("Patch") and get(r.props, "metadata", "name") == "cluster-admin":
        # A patch without roleRef keeps the target's: the built-in binding `cluster-admin` binds the
        # ClusterRole cluster-admin, so the patch's subjects become cluster administrators.
        r.fail(f"{r.label} has metadata.name 'cluster-admin' (patches the built-in cluster-admin binding); "
               "required: no cluster-admin binding in a tenant stack")  # fmt: skip


def _access_policy(r: ResourceCheck) -> None:
    arn = as_str(get(r.props, "policyArn")) or ""
    policy = arn.rsplit("/", 1)[-1] if ":cluster-access-policy/" in arn else None
    if policy not in (CLUSTER_ADMIN_POLICY, ADMIN_POLICY):
        return
    principal = get(r.props, "principalArn")
    platform = config_value("landingzone:platform")
    admin_role = platform.get("admin_role_arn") if isinstance(platform, dict) else None
    if isinstance(admin_role, str) and principal == admin_role:
        return  # the platform's operator role, which the landing zone's cluster component grants
    scope = get(r.props, "accessScope", "type")
    # AWS requires accessScope; read a missing type as the wider one, cluster.
    if policy == ADMIN_POLICY and scope not in (None, "cluster"):
        return
    found = f"policyArn {policy!r}" + (
        f" with accessScope.type {shown(scope)}" if policy == ADMIN_POLICY else ""
    )
    r.fail(f"{r.label} has {found} for principalArn {principal!r}; required: no cluster administrator in a "
           "tenant stack (namespace-scoped AmazonEKSEditPolicy or AmazonEKSViewPolicy)")  # fmt: skip
