"""The rule `ten-04-no-cluster-admin-binding`, one of the TEN-04 rules.

TEN-04: No administrator in a tenant stack.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import get
from mlops_policies.rule import ResourceCheck, resource_rule

CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"


@resource_rule(
    "ten-04-no-cluster-admin-binding",
    control="TEN-04",
    types=[CLUSTER_ROLE_BINDING],
    severity=Severity.CRITICAL,
    description="No ClusterRoleBinding in a tenant stack binds the cluster-admin ClusterRole.",
    remediation="Remove the kubernetes.rbac.v1.ClusterRoleBinding to cluster-admin; bind a namespaced Role "
    "with the needed verbs through a RoleBinding in the tenant's namespaces.",
)
def no_cluster_admin_binding(r: ResourceCheck) -> None:
    role = get(r.props, "roleRef", "name")
    if role == "cluster-admin":
        r.fail(f"{r.label} has roleRef.name 'cluster-admin'; required: no cluster-admin binding in a tenant "
               "stack")  # fmt: skip
