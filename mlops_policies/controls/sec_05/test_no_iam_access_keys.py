"""Cases for `sec-05-no-iam-access-keys`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.sec_05.no_iam_access_keys import no_iam_access_keys
from mlops_policies.controls.sec_05.no_iam_login_profiles import no_iam_login_profiles
from tests.policies.harness import run_resource
from tests.policies.secrets_fixtures import ROLE


def test_fail_any_iam_access_key():
    outcome = run_resource(no_iam_access_keys, "aws:iam/accessKey:AccessKey", {"user": "ci"})
    assert outcome.violations == [
        "aws:iam/accessKey:AccessKey 'subject' creates a long-lived IAM access key; "
        "required: no access keys (use workload identity)"
    ]


def test_pass_users_and_roles_without_keys_or_passwords_are_not_judged():
    # Both rules forbid a type outright; anything else (a user, a workload-identity role) passes by scope.
    for rule, type_ in ((no_iam_access_keys, "aws:iam/user:User"), (no_iam_login_profiles, ROLE)):
        outcome = run_resource(rule, type_, {"name": "ci"})
        assert outcome.violations == [] and outcome.not_applicable is not None
