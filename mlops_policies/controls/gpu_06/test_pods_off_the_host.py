"""Cases for `gpu-06-pods-off-the-host`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_06._fixtures import DEPLOYMENT, POD_SPEC, WORKLOAD
from mlops_policies.controls.gpu_06.pods_off_the_host import pods_off_the_host
from tests.policies.harness import run_resource

CRON_JOB = "kubernetes:batch/v1:CronJob"


def test_fail_cron_job_with_host_path_and_host_network():
    spec = {**POD_SPEC, "hostNetwork": True, "volumes": [{"name": "dev", "hostPath": {"path": "/dev"}}]}
    props = {"spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": spec}}}}}
    assert run_resource(pods_off_the_host, CRON_JOB, props).violations == [
        "kubernetes:batch/v1:CronJob 'subject' has spec.jobTemplate.spec.template.spec.hostNetwork true; "
        "required: false or absent",
        "kubernetes:batch/v1:CronJob 'subject' has spec.jobTemplate.spec.template.spec.volumes[0].hostPath; "
        "required: no hostPath volumes",
    ]


def test_pass_gpu_deployment_pinned_to_tenant_nodes():
    assert run_resource(pods_off_the_host, DEPLOYMENT, WORKLOAD).passed
