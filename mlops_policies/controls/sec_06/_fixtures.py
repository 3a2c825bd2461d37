"""Fixtures shared by the tests of several SEC-06 rules."""

from __future__ import annotations

import json
from typing import Any

from tests.policies.secrets_fixtures import TAGS

PROVIDER_HOST = "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789"
PROVIDER_ARN = f"arn:aws:iam::111122223333:oidc-provider/{PROVIDER_HOST}"


IRSA_STATEMENT = {
    "Effect": "Allow",
    "Principal": {"Federated": PROVIDER_ARN},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
        "StringEquals": {
            f"{PROVIDER_HOST}:sub": "system:serviceaccount:acme:trainer",
            f"{PROVIDER_HOST}:aud": "sts.amazonaws.com",
        }
    },
}


def trust(*statements: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {
        "assumeRolePolicy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)}),
        "tags": TAGS,
        **props,
    }


COMPLIANT_ROLE = trust(IRSA_STATEMENT)
