"""Cases for `aud-03-log-group-retention`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.aud_03.log_group_retention import log_group_retention
from tests.policies.audit_fixtures import COMPLIANT_LOG_GROUP, LOG_GROUP
from tests.policies.harness import DELETE, changed, run_resource


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
