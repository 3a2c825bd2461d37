"""Cases for `aud-01-trail-global-service-events`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_01.trail_global_service_events import trail_global_service_events
from tests.policies.audit_fixtures import COMPLIANT_TRAIL, TRAIL
from tests.policies.harness import DELETE, changed, run_resource


def test_pass_missing_global_service_events_is_the_provider_default_true():
    props = changed(COMPLIANT_TRAIL, "includeGlobalServiceEvents", DELETE)
    assert run_resource(trail_global_service_events, TRAIL, props).passed


def test_fail_global_service_events_false():
    props = changed(COMPLIANT_TRAIL, "includeGlobalServiceEvents", "false")
    assert run_resource(trail_global_service_events, TRAIL, props).violations == [
        "aws:cloudtrail/trail:Trail 'subject' has includeGlobalServiceEvents 'false'; required: true"
    ]
