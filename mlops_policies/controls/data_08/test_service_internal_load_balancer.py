"""Cases for `data-08-service-internal-load-balancer`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_08.service_internal_load_balancer import service_internal_load_balancer
from tests.policies.harness import DELETE, changed, run_resource

SERVICE = "kubernetes:core/v1:Service"


LB_SERVICE = {
    "metadata": {
        "name": "serving",
        "namespace": "acme-prod",
        "annotations": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"},
    },
    "spec": {"type": "LoadBalancer", "ports": [{"port": 443}]},
}


def test_pass_internal_load_balancer_services_and_cluster_ip_services():
    assert run_resource(service_internal_load_balancer, SERVICE, LB_SERVICE).passed
    legacy = changed(
        LB_SERVICE, "metadata.annotations", {"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}
    )
    assert run_resource(service_internal_load_balancer, SERVICE, legacy).passed
    cluster_ip = changed(changed(LB_SERVICE, "spec.type", "ClusterIP"), "metadata.annotations", DELETE)
    assert run_resource(service_internal_load_balancer, SERVICE, cluster_ip).passed


def test_fail_internet_facing_load_balancer_service():
    props = changed(LB_SERVICE, "metadata.annotations", DELETE)
    assert run_resource(service_internal_load_balancer, SERVICE, props).violations == [
        "kubernetes:core/v1:Service 'subject' has spec.type 'LoadBalancer' with metadata.annotations "
        "service.beta.kubernetes.io/aws-load-balancer-scheme missing and "
        "service.beta.kubernetes.io/aws-load-balancer-internal missing; required: "
        "service.beta.kubernetes.io/aws-load-balancer-scheme 'internal' (or "
        "service.beta.kubernetes.io/aws-load-balancer-internal 'true')"
    ]
    facing = changed(
        LB_SERVICE,
        "metadata.annotations",
        {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"},
    )
    assert len(run_resource(service_internal_load_balancer, SERVICE, facing).violations) == 1
