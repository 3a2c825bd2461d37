"""Cases for `sec-08-kms-explicit-key-policy`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import json

from mlops_policies.controls.sec_08._fixtures import GUARDED_POLICY, REGULATED_KEY
from mlops_policies.controls.sec_08.kms_explicit_key_policy import kms_explicit_key_policy
from tests.policies.harness import DELETE, GLOBEX, UNKNOWN, Res, changed, run_stack
from tests.policies.secrets_fixtures import KEY, KEY_POLICY


def test_fail_key_without_explicit_policy():
    key = Res(KEY, "globex-data", changed(REGULATED_KEY, "policy", DELETE))
    outcome = run_stack(kms_explicit_key_policy, [key], tenant=GLOBEX)
    assert outcome.violations == [
        "aws:kms/key:Key 'globex-data' has policy missing and no aws:kms/keyPolicy:KeyPolicy attached; "
        "required: an explicit key policy"
    ]


def test_pass_first_preview_key_policy_attached_through_dependency():
    key = Res(KEY, "globex-data", changed(REGULATED_KEY, "policy", DELETE))
    policy = Res(KEY_POLICY, "globex-data-policy", {"keyId": UNKNOWN, "policy": json.dumps(GUARDED_POLICY)},
                 prop_deps={"keyId": ["globex-data"]})  # fmt: skip
    assert run_stack(kms_explicit_key_policy, [key, policy], tenant=GLOBEX).passed


def test_undecided_key_policy_with_unknown_key_and_no_dependencies():
    key = Res(KEY, "globex-data", changed(REGULATED_KEY, "policy", DELETE))
    policy = Res(KEY_POLICY, "orphan-policy", {"keyId": UNKNOWN, "policy": "{}"})
    outcome = run_stack(kms_explicit_key_policy, [key, policy], tenant=GLOBEX)
    assert outcome.violations == [] and outcome.undecided is not None and "orphan-policy" in outcome.undecided
