"""Cases for `aud-01-trail-multi-region`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_01.trail_global_service_events import trail_global_service_events
from mlops_policies.controls.aud_01.trail_log_file_validation import trail_log_file_validation
from mlops_policies.controls.aud_01.trail_multi_region import trail_multi_region
from tests.policies.audit_fixtures import COMPLIANT_TRAIL, TRAIL
from tests.policies.harness import UNKNOWN, changed, run_resource


def test_pass_trail_settings():
    for rule in (trail_multi_region, trail_log_file_validation, trail_global_service_events):
        assert run_resource(rule, TRAIL, COMPLIANT_TRAIL).passed, rule.name


def test_fail_single_region_trail():
    props = changed(COMPLIANT_TRAIL, "isMultiRegionTrail", False)
    assert run_resource(trail_multi_region, TRAIL, props).violations == [
        "aws:cloudtrail/trail:Trail 'subject' has isMultiRegionTrail false; required: true"
    ]


def test_undecided_trail_setting_unknown_in_preview():
    outcome = run_resource(trail_multi_region, TRAIL, changed(COMPLIANT_TRAIL, "isMultiRegionTrail", UNKNOWN))
    assert outcome.undecided is not None and outcome.violations == []
