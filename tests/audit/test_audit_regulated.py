"""A regulated tenant is held to the regulated controls too (COMPLIANCE-mode registry, data events, ...)."""

from __future__ import annotations

import json
from typing import Any

from audit_world import ACCOUNT, REGION, TenantWorld, audit, failing

from tenantctl.audit import Status


def test_compliant_regulated_tenant_passes_all_but_the_unemulated_signer(
    regulated_world: TenantWorld,
) -> None:
    report = audit(regulated_world)

    # moto has no ListSigningProfiles: PROV-05 cannot be observed, and says so instead of passing.
    assert [(r.control, r.check, r.status.value) for r in report.results if r.status is not Status.PASS] == [
        ("PROV-05", "signing_profile_present", "not_observable"),
        ("SEC-05", "iam_user_no_access_keys", "not_applicable"),
        ("SEC-05", "iam_user_no_login_profile", "not_applicable"),
    ]
    assert report.result("signing_profile_present").evidence == {
        "error_code": "NotImplemented",
        "operation": "signer:ListSigningProfiles",
    }
    for check in (
        "registry_compliance_mode",
        "audit_bucket_replication",
        "trail_s3_data_events",
        "kms_key_policy_principals",
        "ecr_tenant_kms_encryption",
        "gpu_nodegroup_dedicated",
    ):
        assert {r.status for r in report.results if r.check == check} == {Status.PASS}, check
    assert report.exit_code() == 0


def test_regulated_registry_in_governance_mode_and_unrecorded_data_events_fail(
    regulated_world: TenantWorld,
) -> None:
    world = regulated_world
    world.client("s3").put_object_lock_configuration(
        Bucket=world.buckets["model-registry"],
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 365}},
        },
    )
    world.client("cloudtrail").put_event_selectors(
        TrailName="globex-audit-trail",
        AdvancedEventSelectors=[
            {
                "Name": "management-only",
                "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}],
            }
        ],
    )

    report = audit(world)

    assert failing(report) == {
        ("PROV-02", "registry_compliance_mode", f"arn:aws:s3:::globex-model-registry-{ACCOUNT}"),
        ("AUD-06", "trail_s3_data_events", f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/globex-audit-trail"),
    }
    assert report.result("trail_s3_data_events").evidence["unrecorded_buckets"] == [
        f"globex-checkpoint-{ACCOUNT}",
        f"globex-dataset-{ACCOUNT}",
        f"globex-model-registry-{ACCOUNT}",
    ]


def test_key_policies_are_read_as_iam_reads_them(regulated_world: TenantWorld) -> None:
    """`arn:aws:iam::*:root` is every account (a public grant though no principal is "*"), and `[` is no
    wildcard in IAM: `kms:[D]ecrypt` names no action, so it grants nothing (fnmatch read it as Decrypt)."""
    world = regulated_world
    kms = world.client("kms")

    def key_policy(principal: Any, action: str) -> str:
        statement = {
            "Sid": "Open",
            "Effect": "Allow",
            "Principal": principal,
            "Action": action,
            "Resource": "*",
        }
        return json.dumps({"Version": "2012-10-17", "Statement": [statement]})

    kms.put_key_policy(
        KeyId=world.keys["data"],
        PolicyName="default",
        Policy=key_policy({"AWS": "arn:aws:iam::*:root"}, "kms:Decrypt"),
    )
    kms.put_key_policy(
        KeyId=world.keys["registry"], PolicyName="default", Policy=key_policy("*", "kms:[D]ecrypt")
    )

    report = audit(world)

    assert failing(report) == {("SEC-08", "kms_key_policy_principals", "alias/globex-data")}
    assert report.result("kms_key_policy_principals", "alias/globex-registry").status is Status.PASS
