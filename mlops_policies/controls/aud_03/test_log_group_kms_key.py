"""Cases for `aud-03-log-group-kms-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_03.log_group_kms_key import log_group_kms_key
from tests.policies.audit_fixtures import COMPLIANT_LOG_GROUP, log_group_stack
from tests.policies.harness import DELETE, changed, run_stack


def test_pass_log_group_key_in_a_first_preview_decided_through_the_dependency():
    assert run_stack(log_group_kms_key, log_group_stack()).passed
    known = changed(COMPLIANT_LOG_GROUP, "kmsKeyId", "arn:aws:kms:us-east-1:111122223333:key/k")
    assert run_stack(log_group_kms_key, log_group_stack(known, deps=())).passed


def test_fail_log_group_without_key():
    outcome = run_stack(
        log_group_kms_key, log_group_stack(changed(COMPLIANT_LOG_GROUP, "kmsKeyId", DELETE), ())
    )
    assert outcome.violations == [
        "aws:cloudwatch/logGroup:LogGroup 'logs' has kmsKeyId missing; required: a KMS key ARN"
    ]


def test_undecided_log_group_key_unknown_without_dependency_information():
    outcome = run_stack(log_group_kms_key, log_group_stack(deps=()))
    assert outcome.violations == [] and outcome.undecided is not None
