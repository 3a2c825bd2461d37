"""Cases for `sec-05-no-iam-login-profiles`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.sec_05.no_iam_login_profiles import no_iam_login_profiles
from tests.policies.harness import run_resource


def test_fail_any_login_profile():
    outcome = run_resource(
        no_iam_login_profiles, "aws:iam/userLoginProfile:UserLoginProfile", {"user": "bob"}
    )
    assert outcome.violations == [
        "aws:iam/userLoginProfile:UserLoginProfile 'subject' creates an IAM console password; "
        "required: no login profiles (use federated sign-in)"
    ]


def test_pass_iam_user_without_a_login_profile_is_not_judged():
    outcome = run_resource(no_iam_login_profiles, "aws:iam/user:User", {"name": "bob"})
    assert outcome.violations == []
    assert (
        outcome.not_applicable
        == "sec-05-no-iam-login-profiles judges aws:iam/userLoginProfile:UserLoginProfile"
    )
