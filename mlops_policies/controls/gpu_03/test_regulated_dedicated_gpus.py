"""Cases for `gpu-03-regulated-dedicated-gpus`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_03.regulated_dedicated_gpus import regulated_dedicated_gpus
from tests.policies.gpu_isolation_fixtures import DEDICATED_GROUP, MIG_GROUP, NODE_GROUP
from tests.policies.harness import ACME, GLOBEX, changed, run_resource


def test_pass_regulated_tenant_with_whole_gpus():
    assert run_resource(regulated_dedicated_gpus, NODE_GROUP, DEDICATED_GROUP, tenant=GLOBEX).passed


def test_fail_regulated_tenant_with_mig():
    props = changed(DEDICATED_GROUP, "labels.gpu-sharing", "mig")
    assert run_resource(regulated_dedicated_gpus, NODE_GROUP, props, tenant=GLOBEX).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has labels.gpu-sharing 'mig'; required for a regulated "
        "tenant: 'dedicated'"
    ]


def test_not_applicable_standard_tenant_may_use_mig():
    outcome = run_resource(regulated_dedicated_gpus, NODE_GROUP, MIG_GROUP, tenant=ACME)
    assert outcome.not_applicable == "GPU-03 applies to regulated tenants; tenant acme is standard"
