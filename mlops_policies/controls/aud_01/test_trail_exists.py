"""Cases for `aud-01-trail-exists`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_01.trail_exists import trail_exists
from tests.policies.audit_fixtures import audit_stack
from tests.policies.harness import run_stack


def test_fail_stack_without_trail_is_a_stack_level_violation():
    outcome = run_stack(trail_exists, audit_stack(trail=None))
    assert outcome.violations == [
        "the stack has no aws:cloudtrail/trail:Trail; required: a multi-region trail with log file "
        "validation, encrypted with a tenant key, delivering to the tenant's audit-log bucket"
    ]
    assert outcome.urns == [None]


def test_pass_stack_with_the_tenant_trail():
    assert run_stack(trail_exists, audit_stack()).passed
