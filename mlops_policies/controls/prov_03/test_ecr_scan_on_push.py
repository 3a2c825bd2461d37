"""Cases for `prov-03-ecr-scan-on-push`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.prov_03.ecr_scan_on_push import ecr_scan_on_push
from tests.policies.harness import changed, run_resource
from tests.policies.provenance_fixtures import COMPLIANT_REPOSITORY, REPOSITORY


def test_fail_scan_on_push_disabled():
    props = changed(COMPLIANT_REPOSITORY, "imageScanningConfiguration.scanOnPush", False)
    assert run_resource(ecr_scan_on_push, REPOSITORY, props).violations == [
        "aws:ecr/repository:Repository 'subject' has imageScanningConfiguration.scanOnPush false; "
        "required: true"
    ]


def test_pass_repository_scanning_on_push():
    assert run_resource(ecr_scan_on_push, REPOSITORY, COMPLIANT_REPOSITORY).passed
