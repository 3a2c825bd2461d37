"""Cases for `sec-06-irsa-session-duration`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.sec_06._fixtures import COMPLIANT_ROLE, trust
from mlops_policies.controls.sec_06.irsa_session_duration import irsa_session_duration
from tests.policies.harness import UNKNOWN, changed, run_resource
from tests.policies.secrets_fixtures import ROLE


def test_fail_irsa_session_longer_than_an_hour():
    outcome = run_resource(irsa_session_duration, ROLE, {**COMPLIANT_ROLE, "maxSessionDuration": 43200})
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' trusts web identity with maxSessionDuration 43200; required: at most "
        "3600"
    ]


def test_pass_long_sessions_for_roles_without_web_identity():
    service = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    assert run_resource(irsa_session_duration, ROLE, trust(service, maxSessionDuration=43200)).passed


def test_pass_known_short_session_decides_even_when_the_trust_policy_is_unknown():
    props = changed(changed(COMPLIANT_ROLE, "assumeRolePolicy", UNKNOWN), "maxSessionDuration", 3600)
    assert run_resource(irsa_session_duration, ROLE, props).passed


def test_undecided_long_session_with_an_unknown_trust_policy():
    props = changed(changed(COMPLIANT_ROLE, "assumeRolePolicy", UNKNOWN), "maxSessionDuration", 43200)
    outcome = run_resource(irsa_session_duration, ROLE, props)
    assert outcome.undecided is not None and outcome.violations == []
