"""Cases for `ten-04-no-cluster-admin-binding`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.ten_04.no_cluster_admin_binding import no_cluster_admin_binding
from tests.policies.harness import PLATFORM, UNKNOWN, changed, run_resource

CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"
PATCH = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBindingPatch"
ACCESS_POLICY = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
POLICIES = "arn:aws:eks::aws:cluster-access-policy"
PLATFORM_ADMIN = "arn:aws:iam::111122223333:role/platform-admin"
TENANT_ADMIN = "arn:aws:iam::111122223333:role/acme-admins"

BINDING = {
    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
    "subjects": [{"kind": "Group", "name": "acme-admins"}],
}
ASSOCIATION = {
    "clusterName": "acme-cluster",
    "principalArn": TENANT_ADMIN,
    "policyArn": f"{POLICIES}/AmazonEKSEditPolicy",
    "accessScope": {"type": "namespace", "namespaces": ["acme-dev"]},
}


def test_pass_cluster_role_binding_to_a_narrower_role():
    assert run_resource(no_cluster_admin_binding, CLUSTER_ROLE_BINDING, BINDING).passed


def test_pass_namespace_scoped_edit_access_policy():
    assert run_resource(no_cluster_admin_binding, ACCESS_POLICY, ASSOCIATION).passed


def test_pass_admin_access_policy_scoped_to_the_tenant_namespaces():
    props = changed(ASSOCIATION, "policyArn", f"{POLICIES}/AmazonEKSAdminPolicy")
    assert run_resource(no_cluster_admin_binding, ACCESS_POLICY, props).passed


def test_pass_cluster_admin_access_policy_for_the_platform_admin_role(monkeypatch: pytest.MonkeyPatch):
    # The landing zone's cluster component grants the platform's operator role cluster admin.
    monkeypatch.setitem(PLATFORM, "admin_role_arn", PLATFORM_ADMIN)
    props = {
        **ASSOCIATION,
        "principalArn": PLATFORM_ADMIN,
        "policyArn": f"{POLICIES}/AmazonEKSClusterAdminPolicy",
        "accessScope": {"type": "cluster"},
    }
    assert run_resource(no_cluster_admin_binding, ACCESS_POLICY, props).passed


def test_fail_cluster_admin_binding():
    props = changed(BINDING, "roleRef.name", "cluster-admin")
    assert run_resource(no_cluster_admin_binding, CLUSTER_ROLE_BINDING, props).violations == [
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding 'subject' has roleRef.name "
        "'cluster-admin'; required: no cluster-admin or admin binding in a tenant stack"
    ]


def test_fail_cluster_wide_binding_of_the_admin_role():
    props = changed(BINDING, "roleRef.name", "admin")
    assert run_resource(no_cluster_admin_binding, CLUSTER_ROLE_BINDING, props).violations == [
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding 'subject' has roleRef.name "
        "'admin'; required: no cluster-admin or admin binding in a tenant stack"
    ]


@pytest.mark.parametrize("type_", [PATCH, "kubernetes:rbac.authorization.k8s.io/v1beta1:ClusterRoleBinding"])
def test_fail_cluster_admin_through_a_patch_or_an_older_api_version(type_: str):
    props = changed(BINDING, "roleRef.name", "cluster-admin")
    assert run_resource(no_cluster_admin_binding, type_, props).violations == [
        f"{type_} 'subject' has roleRef.name 'cluster-admin'; required: no cluster-admin or admin binding in "
        "a tenant stack"
    ]


def test_fail_patch_adding_subjects_to_the_built_in_cluster_admin_binding():
    props = {"metadata": {"name": "cluster-admin"}, "subjects": BINDING["subjects"]}
    assert run_resource(no_cluster_admin_binding, PATCH, props).violations == [
        f"{PATCH} 'subject' has metadata.name 'cluster-admin' (patches the built-in cluster-admin binding); "
        "required: no cluster-admin binding in a tenant stack"
    ]


def test_fail_cluster_admin_access_policy_for_a_tenant_principal():
    props = changed(ASSOCIATION, "policyArn", f"{POLICIES}/AmazonEKSClusterAdminPolicy")
    assert run_resource(no_cluster_admin_binding, ACCESS_POLICY, props).violations == [
        f"{ACCESS_POLICY} 'subject' has policyArn 'AmazonEKSClusterAdminPolicy' for principalArn "
        f"'{TENANT_ADMIN}'; required: no cluster administrator in a tenant stack (namespace-scoped "
        "AmazonEKSEditPolicy or AmazonEKSViewPolicy)"
    ]


def test_fail_admin_access_policy_at_cluster_scope():
    props = {
        **ASSOCIATION,
        "policyArn": f"{POLICIES}/AmazonEKSAdminPolicy",
        "accessScope": {"type": "cluster"},
    }
    assert run_resource(no_cluster_admin_binding, ACCESS_POLICY, props).violations == [
        f"{ACCESS_POLICY} 'subject' has policyArn 'AmazonEKSAdminPolicy' with accessScope.type 'cluster' for "
        f"principalArn '{TENANT_ADMIN}'; required: no cluster administrator in a tenant stack "
        "(namespace-scoped AmazonEKSEditPolicy or AmazonEKSViewPolicy)"
    ]


def test_undecided_unknown_role_ref_or_policy_arn():
    outcome = run_resource(
        no_cluster_admin_binding, CLUSTER_ROLE_BINDING, changed(BINDING, "roleRef.name", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []
    outcome = run_resource(
        no_cluster_admin_binding, ACCESS_POLICY, changed(ASSOCIATION, "policyArn", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []
