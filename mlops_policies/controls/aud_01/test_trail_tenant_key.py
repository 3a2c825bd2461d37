"""Cases for `aud-01-trail-tenant-key`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_01.trail_tenant_key import trail_tenant_key
from tests.policies.audit_fixtures import COMPLIANT_TRAIL, KEY, TAGS, audit_stack
from tests.policies.harness import DELETE, Res, changed, run_stack


def test_fail_trail_key_of_another_tenant_or_aws_managed():
    stack = audit_stack()
    stack[0] = Res(KEY, "key", {"tags": {**TAGS, "tenant": "globex"}})
    assert run_stack(trail_tenant_key, stack).violations == [
        "aws:cloudtrail/trail:Trail 'trail' has kmsKeyId aws:kms/key:Key 'key', which is not tagged "
        "tenant=acme; required: a KMS key of this stack tagged tenant=acme"
    ]
    stack = audit_stack(trail=changed(COMPLIANT_TRAIL, "kmsKeyId", "alias/aws/cloudtrail"))
    stack[-1].prop_deps.pop("kmsKeyId")
    assert (
        "kmsKeyId 'alias/aws/cloudtrail' (an AWS-managed key)"
        in run_stack(trail_tenant_key, stack).violations[0]
    )


def test_fail_trail_without_key():
    stack = audit_stack(trail=changed(COMPLIANT_TRAIL, "kmsKeyId", DELETE))
    stack[-1].prop_deps.pop("kmsKeyId")
    outcome = run_stack(trail_tenant_key, stack)
    assert outcome.violations[0].startswith(
        "aws:cloudtrail/trail:Trail 'trail' has kmsKeyId missing; required"
    )
    assert outcome.violations == [
        "aws:cloudtrail/trail:Trail 'trail' has kmsKeyId missing; required: a KMS key of this "
        "stack tagged tenant=acme",
    ]


def test_undecided_trail_key_unknown_without_dependency_information():
    stack = audit_stack()
    stack[-1].prop_deps.pop("kmsKeyId")
    outcome = run_stack(trail_tenant_key, stack)
    assert outcome.violations == [] and "kmsKeyId is an unknown value" in (outcome.undecided or "")


def test_pass_trail_encrypting_with_the_tenant_key_in_a_first_preview():
    assert run_stack(trail_tenant_key, audit_stack()).passed
