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
