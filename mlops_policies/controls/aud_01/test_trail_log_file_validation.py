"""Cases for `aud-01-trail-log-file-validation`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_01.trail_log_file_validation import trail_log_file_validation
from tests.policies.audit_fixtures import COMPLIANT_TRAIL, TRAIL
from tests.policies.harness import DELETE, changed, run_resource


def test_fail_trail_without_log_file_validation_means_the_aws_default_false():
    props = changed(COMPLIANT_TRAIL, "enableLogFileValidation", DELETE)
    assert run_resource(trail_log_file_validation, TRAIL, props).violations == [
        "aws:cloudtrail/trail:Trail 'subject' has enableLogFileValidation missing; required: true"
    ]


def test_pass_trail_validating_its_log_files():
    assert run_resource(trail_log_file_validation, TRAIL, COMPLIANT_TRAIL).passed
