"""Cases for `prov-05-signing-profile`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.prov_05.signing_profile import signing_profile
from tests.policies.harness import DELETE, GLOBEX, UNKNOWN, Res, changed, run_stack
from tests.policies.provenance_fixtures import COMPLIANT_PROFILE, GLOBEX_KEY, KEY, PROFILE


def test_pass_regulated_stack_with_notation_signing_profile():
    assert run_stack(signing_profile, [Res(PROFILE, "signer", COMPLIANT_PROFILE)], tenant=GLOBEX).passed


def test_fail_regulated_stack_without_signing_profile_is_a_stack_violation():
    outcome = run_stack(signing_profile, [Res(KEY, "key", GLOBEX_KEY)], tenant=GLOBEX)
    assert outcome.violations == [
        "the stack has no aws:signer/signingProfile:SigningProfile; required: one with platformId "
        "'Notation-OCI-SHA384-ECDSA' tagged tenant=globex"
    ]
    assert outcome.urns == [None]


def test_fail_signing_profile_for_another_platform_or_tenant():
    profile = changed(COMPLIANT_PROFILE, "platformId", "AWSLambda-SHA384-ECDSA")
    assert run_stack(signing_profile, [Res(PROFILE, "signer", profile)], tenant=GLOBEX).violations == [
        "aws:signer/signingProfile:SigningProfile 'signer' has platformId 'AWSLambda-SHA384-ECDSA'; "
        "required: 'Notation-OCI-SHA384-ECDSA'"
    ]
    profile = changed(COMPLIANT_PROFILE, "tags.tenant", DELETE)
    outcome = run_stack(signing_profile, [Res(PROFILE, "signer", profile)], tenant=GLOBEX)
    assert outcome.violations[0].endswith("has tags.tenant missing; required: 'globex'")


def test_pass_one_compliant_profile_among_others():
    lambda_profile = changed(COMPLIANT_PROFILE, "platformId", "AWSLambda-SHA384-ECDSA")
    stack = [Res(PROFILE, "lambda", lambda_profile), Res(PROFILE, "signer", COMPLIANT_PROFILE)]
    assert run_stack(signing_profile, stack, tenant=GLOBEX).passed


def test_undecided_signing_profile_with_unknown_platform():
    outcome = run_stack(
        signing_profile,
        [Res(PROFILE, "signer", changed(COMPLIANT_PROFILE, "platformId", UNKNOWN))],
        tenant=GLOBEX,
    )
    assert outcome.violations == [] and outcome.undecided is not None


def test_not_applicable_signing_profile_for_standard_tenant():
    assert run_stack(signing_profile, []).not_applicable is not None
