"""Cases for `aud-03-log-group-retention`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.aud_03.log_group_retention import log_group_retention
from tests.policies.audit_fixtures import COMPLIANT_LOG_GROUP, LOG_GROUP
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource


@pytest.mark.parametrize("days", [90, 3653, 0, DELETE])
def test_pass_log_group_retained_long_enough_or_forever(days):
    props = changed(COMPLIANT_LOG_GROUP, "retentionInDays", days)
    assert run_resource(log_group_retention, LOG_GROUP, props).passed


def test_fail_log_group_retention_too_short_and_configurable_minimum():
    props = changed(COMPLIANT_LOG_GROUP, "retentionInDays", 30)
    assert run_resource(log_group_retention, LOG_GROUP, props).violations == [
        "aws:cloudwatch/logGroup:LogGroup 'subject' has retentionInDays 30; "
        "required: at least 90, or 0 (never expire)"
    ]
    config = {"minLogRetentionDays": 400}
    assert run_resource(log_group_retention, LOG_GROUP, COMPLIANT_LOG_GROUP, config=config).violations


@pytest.mark.parametrize("log_class", ["STANDARD", "INFREQUENT_ACCESS", DELETE])
def test_pass_standard_and_infrequent_access_log_classes_keep_the_retention(log_class):
    props = changed(COMPLIANT_LOG_GROUP, "logGroupClass", log_class)
    assert run_resource(log_group_retention, LOG_GROUP, props).passed


def test_fail_delivery_log_class_keeps_events_one_day_whatever_the_retention_says():
    props = changed(changed(COMPLIANT_LOG_GROUP, "logGroupClass", "DELIVERY"), "retentionInDays", DELETE)
    assert run_resource(log_group_retention, LOG_GROUP, props).violations == [
        "aws:cloudwatch/logGroup:LogGroup 'subject' has logGroupClass 'DELIVERY', which keeps events one "
        "day; required: STANDARD or INFREQUENT_ACCESS with retentionInDays at least 90, or 0 (never expire)"
    ]


def test_undecided_unknown_log_class():
    props = changed(COMPLIANT_LOG_GROUP, "logGroupClass", UNKNOWN)
    outcome = run_resource(log_group_retention, LOG_GROUP, props)
    assert outcome.violations == [] and outcome.undecided is not None
