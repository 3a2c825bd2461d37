"""The shared policy-document library: matching and what a document allows (gate and audit)."""

from __future__ import annotations

import pytest

from mlops_policies import iam_match, policy_documents
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
    assert iam_match.patterns_overlap(a, b, ignore_case=True) is expected


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
    assert iam_match.pattern_covers(outer, inner) is expected


def test_allows_with_not_action_not_resource_and_narrowing_denies():
    broad = {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::other/*"}]}
    assert policy_documents.allows(broad, "eks:*") and not policy_documents.allows(broad, "iam:PassRole")
    assert not policy_documents.allows(broad, "s3:PutObject", "arn:aws:s3:::other/*")
    denied = {
        "Statement": [allow("eks:Describe*"), {"Effect": "Deny", "Action": "eks:Describe*", "Resource": "*"}]
    }
    assert not policy_documents.allows(denied, "eks:*")
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
    conditional = {
        "Statement": [allow("eks:*"), {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": mfa}]
    }
    assert policy_documents.allows(conditional, "eks:CreateCluster")
    assert not policy_documents.allows({"Statement": [{"Effect": "Allow", "Resource": "*"}]}, "eks:*")
    assert not policy_documents.allows(None, "eks:*")
