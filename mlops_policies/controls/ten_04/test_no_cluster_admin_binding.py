"""Cases for `ten-04-no-cluster-admin-binding`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.ten_04.no_cluster_admin_binding import no_cluster_admin_binding
from tests.policies.harness import run_resource

CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"


def test_fail_cluster_admin_binding():
    props = {
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "Group", "name": "acme-admins"}],
    }
    assert run_resource(no_cluster_admin_binding, CLUSTER_ROLE_BINDING, props).violations == [
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding 'subject' has roleRef.name "
        "'cluster-admin'; required: no cluster-admin binding in a tenant stack"
    ]


def test_pass_cluster_role_binding_to_a_narrower_role():
    props = {
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
        "subjects": [{"kind": "Group", "name": "acme-admins"}],
    }
    assert run_resource(no_cluster_admin_binding, CLUSTER_ROLE_BINDING, props).passed
