"""Cases for `gpu-06-gpu-pods-on-tenant-nodes`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_06._fixtures import DEPLOYMENT, PATH, WORKLOAD
from mlops_policies.controls.gpu_06.gpu_pods_on_tenant_nodes import gpu_pods_on_tenant_nodes
from mlops_policies.controls.gpu_06.gpu_pods_tolerate_only_tenant import gpu_pods_tolerate_only_tenant
from mlops_policies.controls.gpu_06.pods_off_the_host import pods_off_the_host
from mlops_policies.controls.gpu_06.pods_unprivileged import pods_unprivileged
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource


def test_pass_gpu_deployment_pinned_to_tenant_nodes():
    for rule in (
        gpu_pods_on_tenant_nodes,
        gpu_pods_tolerate_only_tenant,
        pods_unprivileged,
        pods_off_the_host,
    ):
        assert run_resource(rule, DEPLOYMENT, WORKLOAD).passed, rule.name


def test_fail_gpu_pod_without_tenant_node_selector():
    props = changed(WORKLOAD, f"{PATH}.nodeSelector", DELETE)
    assert run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props).violations == [
        "kubernetes:apps/v1:Deployment 'subject' requests "
        "spec.template.spec.containers[0].resources.limits.nvidia.com/mig-3g.40gb but has "
        "spec.template.spec.nodeSelector.tenant missing; required: 'acme' (or required node affinity tenant "
        "In ['acme'])"
    ]


def test_pass_gpu_pod_pinned_by_required_node_affinity():
    term = {"matchExpressions": [{"key": "tenant", "operator": "In", "values": ["acme"]}]}
    props = changed(
        changed(WORKLOAD, f"{PATH}.nodeSelector", DELETE),
        f"{PATH}.affinity",
        {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}}},
    )
    assert run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props).passed


def test_fail_node_affinity_with_a_term_that_escapes_the_tenant():
    pinned = {"matchExpressions": [{"key": "tenant", "operator": "In", "values": ["acme"]}]}
    loose = {"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}
    props = changed(
        changed(WORKLOAD, f"{PATH}.nodeSelector", DELETE),
        f"{PATH}.affinity",
        {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [pinned, loose]}
            }
        },
    )
    outcome = run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props)
    assert outcome.violations
    assert outcome.violations == [
        "kubernetes:apps/v1:Deployment 'subject' requests "
        "spec.template.spec.containers[0].resources.limits.nvidia.com/mig-3g.40gb but has "
        "spec.template.spec.nodeSelector.tenant missing; required: 'acme' (or required node "
        "affinity tenant In ['acme'])",
    ]


def test_pass_pods_without_gpus_need_no_tenant_selector():
    props = changed(changed(WORKLOAD, f"{PATH}.nodeSelector", DELETE), f"{PATH}.containers.0.resources", {})
    assert run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props).passed


def test_undecided_unknown_node_selector():
    props = changed(WORKLOAD, f"{PATH}.nodeSelector.tenant", UNKNOWN)
    outcome = run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props)
    assert outcome.undecided is not None and outcome.violations == []
