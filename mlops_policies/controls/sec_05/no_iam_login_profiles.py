"""The rule `sec-05-no-iam-login-profiles`, one of the SEC-05 rules.

SEC-05: No long-lived machine credentials.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.rule import ResourceCheck, resource_rule

LOGIN_PROFILE = "aws:iam/userLoginProfile:UserLoginProfile"


@resource_rule(
    "sec-05-no-iam-login-profiles",
    control="SEC-05",
    types=[LOGIN_PROFILE],
    severity=Severity.HIGH,
    description="The stack creates no IAM user login profiles (console passwords); people sign in through "
    "the identity provider.",
    remediation="Delete the aws.iam.UserLoginProfile; grant human access through IAM Identity Center roles.",
)
def no_iam_login_profiles(r: ResourceCheck) -> None:
    r.fail(f"{r.label} creates an IAM console password; required: no login profiles (use federated sign-in)")
