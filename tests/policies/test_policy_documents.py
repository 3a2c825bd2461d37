"""The shared policy-document library: matching and what a document allows (gate and audit)."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import quote

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


def test_parse_reads_objects_json_and_the_url_encoded_json_iam_returns():
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}
    text = json.dumps(document)
    assert policy_documents.parse(document) == document
    assert policy_documents.parse(text) == document
    assert policy_documents.parse(quote(text)) == document
    assert policy_documents.parse("not json") is None
    assert policy_documents.parse("[1, 2]") is None
    assert policy_documents.parse("") is None
    assert policy_documents.parse(None) is None


def test_condition_values_match_keys_case_insensitively_and_read_values_as_iam_does():
    statement = {
        "Condition": {
            "StringEquals": {"OIDC.example/ID:Sub": "system:serviceaccount:acme-dev:workload"},
            "Bool": {"aws:SecureTransport": False},
        }
    }
    assert policy_documents.condition_values(statement, "StringEquals", suffix=":sub") == [
        "system:serviceaccount:acme-dev:workload"
    ]
    assert policy_documents.condition_values(statement, "Bool", "AWS:SecureTransport") == ["false"]
    assert policy_documents.condition_values(statement, "StringLike", suffix=":sub") is None
    assert policy_documents.condition_keys(statement) == {"oidc.example/id:sub", "aws:securetransport"}
    assert not policy_documents.has_condition({"Condition": {"StringEquals": {}}})


def test_the_library_loads_without_the_pulumi_policy_sdk():
    # The live audit imports it; loading the policy SDK (gRPC and all) there would cost half a second.
    code = (
        "import sys, mlops_policies.policy_documents, mlops_policies.policy_predicates; "
        "print(sorted(m for m in sys.modules if m.startswith(('pulumi', 'grpc'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
