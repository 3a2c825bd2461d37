"""Shared by the secrets tests of several controls."""

from __future__ import annotations

import json

TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}
KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
SECRET = "aws:secretsmanager/secret:Secret"
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
ROLE = "aws:iam/role:Role"
# Credential-looking values used below; no message may ever contain one of them.
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"


COMPLIANT_KEY = {
    "description": "acme data key (mlops-landing-zone)",
    "enableKeyRotation": True,
    "rotationPeriodInDays": 365,
    "deletionWindowInDays": 30,
    "policy": json.dumps({"Version": "2012-10-17", "Statement": []}),
    "tags": {**TAGS, "purpose": "data-key"},
}
