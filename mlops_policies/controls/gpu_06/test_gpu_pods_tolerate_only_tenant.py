"""Cases for `gpu-06-gpu-pods-tolerate-only-tenant`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_06._fixtures import DEPLOYMENT, PATH, WORKLOAD
from mlops_policies.controls.gpu_06.gpu_pods_tolerate_only_tenant import gpu_pods_tolerate_only_tenant
from tests.policies.harness import changed, run_resource


def test_fail_toleration_of_every_taint():
    props = changed(WORKLOAD, f"{PATH}.tolerations", [{"operator": "Exists"}])
    assert run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, props).violations == [
        "kubernetes:apps/v1:Deployment 'subject' requests GPUs but spec.template.spec.tolerations[0] "
        "tolerates every taint; required: only tenant=acme"
    ]


def test_fail_toleration_of_another_tenant_or_any_tenant():
    other = changed(WORKLOAD, f"{PATH}.tolerations.0.value", "globex")
    assert (
        "tolerates tenant 'globex'"
        in run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, other).violations[0]
    )
    anyone = changed(WORKLOAD, f"{PATH}.tolerations", [{"key": "tenant", "operator": "Exists"}])
    outcome = run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, anyone)
    assert "every tenant's taint" in outcome.violations[0]
    assert outcome.violations == [
        "kubernetes:apps/v1:Deployment 'subject' requests GPUs but "
        "spec.template.spec.tolerations[0] tolerates every tenant's taint; required: only "
        "tenant=acme",
    ]


def test_pass_gpu_deployment_pinned_to_tenant_nodes():
    assert run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, WORKLOAD).passed


# What kube-apiserver's DefaultTolerationSeconds and ExtendedResourceToleration plugins add to a Pod (the
# admission policy mirroring this rule judges Pods after them, so both layers accept exactly these).
NOT_READY = {
    "key": "node.kubernetes.io/not-ready",
    "operator": "Exists",
    "effect": "NoExecute",
    "tolerationSeconds": 300,
}
UNREACHABLE = {**NOT_READY, "key": "node.kubernetes.io/unreachable"}


def with_tolerations(*extra):
    tenant = {"key": "tenant", "operator": "Equal", "value": "acme", "effect": "NoSchedule"}
    return changed(WORKLOAD, f"{PATH}.tolerations", [tenant, *extra])


def test_pass_the_tolerations_kube_apiserver_adds_to_a_pod_requesting_the_mig_slice():
    mig = {"key": "nvidia.com/mig-3g.40gb", "operator": "Exists", "effect": "NoSchedule"}
    props = with_tolerations(NOT_READY, UNREACHABLE, mig)
    assert run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, props).passed


def test_fail_a_gpu_toleration_for_a_resource_the_pod_does_not_request():
    gpu = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    assert run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, with_tolerations(gpu)).violations == [
        "kubernetes:apps/v1:Deployment 'subject' requests GPUs but spec.template.spec.tolerations[1] "
        "tolerates taint key 'nvidia.com/gpu'; required: only tenant=acme"
    ]


def test_fail_a_not_ready_toleration_with_effect_no_schedule():
    props = with_tolerations({**NOT_READY, "effect": "NoSchedule"})
    assert run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, props).violations == [
        "kubernetes:apps/v1:Deployment 'subject' requests GPUs but spec.template.spec.tolerations[1] "
        "tolerates taint key 'node.kubernetes.io/not-ready'; required: only tenant=acme"
    ]
