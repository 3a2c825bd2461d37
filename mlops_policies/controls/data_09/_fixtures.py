"""Fixtures shared by the tests of several DATA-09 rules."""

from __future__ import annotations

from tests.policies.data_leakage_fixtures import TAGS
from tests.policies.harness import UNKNOWN

COMPLIANT_NOTEBOOK = {
    "instanceType": "ml.t3.medium",
    "roleArn": UNKNOWN,
    "subnetId": UNKNOWN,
    "securityGroups": [UNKNOWN],
    "directInternetAccess": "Disabled",
    "rootAccess": "Disabled",
    "kmsKeyId": UNKNOWN,
    "tags": TAGS,
}
