"""Fixtures shared by the tests of several SEC-08 rules."""

from __future__ import annotations

import json

from tests.policies.secrets_fixtures import COMPLIANT_KEY, TAGS

ADMIN_ROLE = "arn:aws:iam::111122223333:role/platform-admin"


GUARDED_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Admin",
            "Effect": "Allow",
            "Principal": {"AWS": ADMIN_ROLE},
            "Action": ["kms:Create*", "kms:Describe*"],
            "Resource": "*",
        },
        {
            "Sid": "TenantUse",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": ["kms:Encrypt", "kms:Decrypt"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/tenant": "globex"}},
        },
    ],
}


REGULATED_KEY = {**COMPLIANT_KEY, "policy": json.dumps(GUARDED_POLICY), "tags": {**TAGS, "tenant": "globex"}}
