"""The bucket-policy predicates the gate (DATA-03, AUD-02) and the live audit share."""

from __future__ import annotations

import copy
import json

from mlops_policies import policy_predicates
from tests.policies.audit_fixtures import AUDIT_NAME, append_only_policy


def test_denies_insecure_transport_requires_an_unconditional_everyone_deny_of_all_s3_without_tls():
    document = json.loads(append_only_policy())
    assert policy_predicates.denies_insecure_transport(document, AUDIT_NAME)
    assert not policy_predicates.denies_insecure_transport(document, "another-bucket")
    narrowed = copy.deepcopy(document)
    narrowed["Statement"][0]["Action"] = "s3:GetObject"
    assert not policy_predicates.denies_insecure_transport(narrowed, AUDIT_NAME)
    extra_condition = copy.deepcopy(document)
    extra_condition["Statement"][0]["Condition"]["IpAddress"] = {"aws:SourceIp": "10.0.0.0/8"}
    assert not policy_predicates.denies_insecure_transport(extra_condition, AUDIT_NAME)
    boolean = copy.deepcopy(document)
    boolean["Statement"][0]["Condition"] = {"Bool": {"aws:SecureTransport": [False]}}
    assert policy_predicates.denies_insecure_transport(boolean, AUDIT_NAME)


def test_denies_and_undenied_name_the_actions_left_open():
    document = json.loads(append_only_policy())
    objects, bucket = f"arn:aws:s3:::{AUDIT_NAME}/*", f"arn:aws:s3:::{AUDIT_NAME}"
    assert policy_predicates.denies_everyone(document, "s3:DeleteObject", objects)
    assert not policy_predicates.denies_everyone(document, "s3:PutObject", objects)
    assert policy_predicates.undenied(
        document, {"s3:PutObject": objects, "s3:PutLifecycleConfiguration": bucket}
    ) == ["s3:PutObject"]
    assert policy_predicates.undenied(None, {"s3:DeleteObject": objects}) == ["s3:DeleteObject"]
