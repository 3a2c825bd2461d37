"""sec-06-pod-identity-session-duration."""

from __future__ import annotations

import json

from mlops_policies.controls.sec_06.pod_identity_session_duration import pod_identity_session_duration as rule
from tests.policies.harness import UNKNOWN, run_resource

ROLE = "aws:iam/role:Role"
TRUST = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
                                   "Action": ["sts:AssumeRole", "sts:TagSession"]}]})  # fmt: skip


def test_pass_one_hour():
    assert run_resource(rule, ROLE, {"assumeRolePolicy": TRUST, "maxSessionDuration": 3600}).passed


def test_pass_not_set():
    assert run_resource(rule, ROLE, {"assumeRolePolicy": TRUST}).passed


def test_pass_a_short_session_decides_without_reading_an_unknown_trust():
    assert run_resource(rule, ROLE, {"assumeRolePolicy": UNKNOWN, "maxSessionDuration": 900}).passed


def test_fail_twelve_hours():
    outcome = run_resource(rule, ROLE, {"assumeRolePolicy": TRUST, "maxSessionDuration": 43200})
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' is trusted by EKS Pod Identity with maxSessionDuration 43200; "
        "required: at most 3600"
    ]


def test_fail_above_a_configured_maximum():
    props = {"assumeRolePolicy": TRUST, "maxSessionDuration": 3600}
    outcome = run_resource(rule, ROLE, props, config={"maxSessionSeconds": 1800})
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' is trusted by EKS Pod Identity with maxSessionDuration 3600; "
        "required: at most 1800"
    ]
