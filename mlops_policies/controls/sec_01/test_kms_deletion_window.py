"""Cases for `sec-01-kms-deletion-window`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.sec_01.kms_deletion_window import kms_deletion_window
from tests.policies.harness import DELETE, changed, run_resource
from tests.policies.secrets_fixtures import COMPLIANT_KEY, KEY


def test_pass_missing_deletion_window_means_aws_default_30():
    assert run_resource(
        kms_deletion_window, KEY, changed(COMPLIANT_KEY, "deletionWindowInDays", DELETE)
    ).passed


def test_fail_seven_day_deletion_window():
    outcome = run_resource(kms_deletion_window, KEY, changed(COMPLIANT_KEY, "deletionWindowInDays", 7))
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' has deletionWindowInDays 7; required: at least 14"
    ]


def test_fail_deletion_window_that_is_not_a_number():
    outcome = run_resource(kms_deletion_window, KEY, changed(COMPLIANT_KEY, "deletionWindowInDays", "soon"))
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' has deletionWindowInDays 'soon'; required: at least 14"
    ]


def test_fail_deletion_window_below_a_configured_minimum():
    props = changed(COMPLIANT_KEY, "deletionWindowInDays", 20)
    outcome = run_resource(kms_deletion_window, KEY, props, config={"minDeletionWindowDays": 30})
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' has deletionWindowInDays 20; required: at least 30"
    ]
