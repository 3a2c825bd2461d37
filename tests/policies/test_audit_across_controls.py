"""Shared by the audit tests of several controls."""

from __future__ import annotations

from mlops_policies.controls.aud_01.trail_audit_log_bucket import trail_audit_log_bucket
from mlops_policies.controls.aud_01.trail_exists import trail_exists
from mlops_policies.controls.aud_01.trail_tenant_key import trail_tenant_key
from mlops_policies.controls.aud_02.audit_compliance_retention import audit_compliance_retention
from mlops_policies.controls.aud_02.audit_deny_delete import audit_deny_delete
from mlops_policies.controls.aud_02.audit_versioning import audit_versioning
from mlops_policies.controls.aud_06.s3_data_events import s3_data_events
from mlops_policies.controls.aud_07.audit_log_replication import audit_log_replication
from tests.policies.audit_fixtures import audit_stack
from tests.policies.harness import GLOBEX, run_stack


def test_pass_compliant_stack_for_every_stack_rule_in_a_first_preview():
    for rule in (
        trail_exists,
        trail_audit_log_bucket,
        trail_tenant_key,
        audit_compliance_retention,
        audit_versioning,
        audit_deny_delete,
    ):
        assert run_stack(rule, audit_stack()).passed, rule.name
    for rule in (s3_data_events, audit_log_replication):
        assert run_stack(rule, audit_stack(), tenant=GLOBEX).passed, rule.name
