"""Cases for `gpu-06-pods-unprivileged`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_06._fixtures import DEPLOYMENT, PATH, POD_SPEC, WORKLOAD
from mlops_policies.controls.gpu_06.pods_unprivileged import pods_unprivileged
from tests.policies.harness import changed, run_resource

POD = "kubernetes:core/v1:Pod"


def test_fail_privileged_pod():
    props = {
        "metadata": {"namespace": "acme-dev"},
        "spec": changed(POD_SPEC, "containers.0.securityContext.privileged", True),
    }
    assert run_resource(pods_unprivileged, POD, props).violations == [
        "kubernetes:core/v1:Pod 'subject' has spec.containers[0].securityContext.privileged true; required: "
        "false or absent"
    ]


def test_fail_privilege_escalation_and_added_capabilities():
    props = changed(
        WORKLOAD,
        f"{PATH}.containers.0.securityContext",
        {"allowPrivilegeEscalation": True, "capabilities": {"add": ["SYS_ADMIN"]}},
    )
    assert run_resource(pods_unprivileged, DEPLOYMENT, props).violations == [
        "kubernetes:apps/v1:Deployment 'subject' has "
        "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation true; required: false",
        "kubernetes:apps/v1:Deployment 'subject' has "
        "spec.template.spec.containers[0].securityContext.capabilities.add ['SYS_ADMIN']; required: none",
    ]


def test_pass_gpu_deployment_pinned_to_tenant_nodes():
    assert run_resource(pods_unprivileged, DEPLOYMENT, WORKLOAD).passed
