"""Shared by the provenance tests of several controls."""

from __future__ import annotations

import pytest

from mlops_policies import iam
from tests.policies.provenance_fixtures import REGISTRY_OBJECTS, allow


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("s3:*", "s3:PutObject", True),
        ("S3:put*", "s3:PutObject", True),
        ("s3:Get*", "s3:PutObject", False),
        ("sagemaker:*Endpoint*", "sagemaker:CreateEndpoint*", True),
        ("eks:Describe*", "eks:*", True),
        ("arn:aws:s3:::acme-*", REGISTRY_OBJECTS, True),
        ("arn:aws:s3:::globex-*/*", REGISTRY_OBJECTS, False),
    ],
)
def test_patterns_overlap(a, b, expected):
    assert iam.patterns_overlap(a, b, ignore_case=True) is expected


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("*", "eks:*", True),
        ("eks:*", "eks:Describe*", True),
        ("eks:Describe*", "eks:*", False),
        ("s3:Delete?bject", "s3:DeleteObject", True),
        ("s3:Delete?bject", "s3:Delete*", False),
        ("arn:aws:s3:::acme-*", f"{REGISTRY_OBJECTS}", True),
    ],
)
def test_pattern_covers(outer, inner, expected):
    assert iam.pattern_covers(outer, inner) is expected


def test_allows_with_not_action_not_resource_and_narrowing_denies():
    broad = {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::other/*"}]}
    assert iam.allows(broad, "eks:*") and not iam.allows(broad, "iam:PassRole")
    assert not iam.allows(broad, "s3:PutObject", "arn:aws:s3:::other/*")
    denied = {
        "Statement": [allow("eks:Describe*"), {"Effect": "Deny", "Action": "eks:Describe*", "Resource": "*"}]
    }
    assert not iam.allows(denied, "eks:*")
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
    conditional = {
        "Statement": [allow("eks:*"), {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": mfa}]
    }
    assert iam.allows(conditional, "eks:CreateCluster")
    assert not iam.allows({"Statement": [{"Effect": "Allow", "Resource": "*"}]}, "eks:*")
    assert not iam.allows(None, "eks:*")
