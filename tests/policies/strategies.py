"""Hypothesis strategies for malformed inputs, shared by the property tests of several areas."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from tests.policies.provenance_fixtures import PINNED, REGISTRY_OBJECTS

STATEMENT_KEYS = ["Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal"]


WORDS = [
    "Allow", "Deny", "*", "s3:*", "eks:*", "s3:PutObject", REGISTRY_OBJECTS, "model-registry", "Enabled",
    "COMPLIANCE", "GOVERNANCE", "KMS", "acme", "globex", "alias/aws/ecr", "acme-trainer", PINNED,
    "Notation-OCI-SHA384-ECDSA", "arn:aws:iam::aws:policy/AdministratorAccess",
]  # fmt: skip


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 400), st.text(max_size=6), st.sampled_from(WORDS)
)


JSONABLE = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)


STATEMENTS = st.lists(st.dictionaries(st.sampled_from([*STATEMENT_KEYS, "Condition"]), JSONABLE), max_size=3)


POLICY_JSON = st.builds(
    lambda statements: json.dumps({"Version": "2012-10-17", "Statement": statements}), STATEMENTS | JSONABLE
)


def leaf_paths(value, prefix=""):
    """Dotted paths (as `changed` takes them) to every value inside `value`."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return []
    paths = []
    for key, child in items:
        path = f"{prefix}{key}"
        paths += [path, *leaf_paths(child, f"{path}.")]
    return paths
