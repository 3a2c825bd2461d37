"""Cases for `ten-01-kubernetes-tenant-label`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.ten_01.kubernetes_tenant_label import kubernetes_tenant_label
from tests.policies.harness import DELETE, changed, run_resource
from tests.policies.tenancy_fixtures import CONFIG_MAP, NAMESPACE, NAMESPACE_PROPS


def test_pass_labelled_namespace_and_namespaced_object():
    assert run_resource(kubernetes_tenant_label, NAMESPACE, NAMESPACE_PROPS).passed
    config_map = {"metadata": {"namespace": "acme-dev", "labels": {"tenant": "acme"}}, "data": {"a": "b"}}
    assert run_resource(kubernetes_tenant_label, CONFIG_MAP, config_map).passed


def test_fail_namespace_without_tenant_label():
    outcome = run_resource(
        kubernetes_tenant_label, NAMESPACE, changed(NAMESPACE_PROPS, "metadata.labels.tenant", DELETE)
    )
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'subject' has metadata.labels.tenant missing; required: 'acme'"
    ]


def test_fail_namespaced_kind_in_the_default_namespace_still_needs_the_label():
    outcome = run_resource(kubernetes_tenant_label, CONFIG_MAP, {"data": {"a": "b"}})
    assert outcome.violations
    assert outcome.violations == [
        "kubernetes:core/v1:ConfigMap 'subject' has metadata.labels.tenant missing; required: 'acme'",
    ]


def test_fail_custom_resource_in_a_namespace():
    props = {"apiVersion": "x/v1", "kind": "Thing", "metadata": {"namespace": "acme-dev"}}
    outcome = run_resource(kubernetes_tenant_label, "kubernetes:x/v1:Thing", props)
    assert outcome.violations
    assert outcome.violations == [
        "kubernetes:x/v1:Thing 'subject' has metadata.labels.tenant missing; required: 'acme'",
    ]


def test_pass_cluster_scoped_objects_and_patches_are_not_judged():
    assert run_resource(
        kubernetes_tenant_label, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", {}
    ).passed
    assert run_resource(kubernetes_tenant_label, "kubernetes:core/v1:NamespacePatch", {}).passed
