"""The RE2 translations read the same word lists as the CrossGuard heuristics they translate."""

from __future__ import annotations

from landingzone.admission import patterns
from mlops_policies import credentials
from mlops_policies.controls.sec_07 import sa_token_automount


def test_pass_qualifiers_and_flags_are_the_credentials_modules_own() -> None:
    assert set(patterns.QUALIFIERS) == credentials._QUALIFIERS
    assert set(patterns.FLAGS) == credentials._FLAGS - {""}
    assert patterns.MAX_NAME == credentials._MAX_NAME


def test_pass_the_irsa_role_arn_pattern_is_the_crossguard_rules_own() -> None:
    assert sa_token_automount.IRSA_ROLE_ARN.pattern == patterns.IRSA_ROLE_ARN
