"""Shared by the secrets tests of several controls."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.policies.harness import GLOBEX, UNKNOWN, Res, area_rules, run_resource, run_stack
from tests.policies.secrets_fixtures import ACCESS_KEY_ID, ALIAS, KEY, KEY_POLICY, ROTATION, SECRET

FUZZ_KEYS = [
    "env", "name", "value", "spec", "template", "containers", "Statement", "Principal", "Action", "Effect",
    "Condition", "policy", "variables", "environment", "rotationRules", "tags", "automaticallyAfterDays",
    "scheduleExpression", "metadata", "kmsKeyId", "secretId",
]  # fmt: skip


FUZZ_PROPS = [
    "enableKeyRotation", "deletionWindowInDays", "customerMasterKeySpec", "customKeyStoreId", "policy",
    "kmsKeyId", "environment", "containerDefinitions", "primaryContainer", "containers", "userData",
    "assumeRolePolicy", "maxSessionDuration", "metadata", "automountServiceAccountToken", "spec", "tags",
    "secretId", "rotationRules", "keyId", "name", "arn", "targetKeyId",
]  # fmt: skip


FUZZ_LEAVES = [UNKNOWN, "*", "kms:*", ACCESS_KEY_ID, "alias/aws/x", "rate(5 days)", "cron(0 0 1 * ? *)"]
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)


JSON_LIKE = st.recursive(
    SCALARS | st.sampled_from(FUZZ_LEAVES),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(FUZZ_KEYS), children, max_size=5)
    ),
    max_leaves=20,
)


# JSON strings too: policies, container definitions and trust documents arrive as JSON text.
PROPS = st.dictionaries(st.sampled_from(FUZZ_PROPS), JSON_LIKE | JSON_LIKE.map(json.dumps), max_size=6)
RESOURCE_RULES = [rule for rule in area_rules("secrets") if rule.kind == "resource"]
STACK_RULES = [rule for rule in area_rules("secrets") if rule.kind == "stack"]
STACK_TYPES = [KEY, ALIAS, KEY_POLICY, SECRET, ROTATION]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(props=PROPS, data=st.data())
def test_resource_rules_never_raise_on_malformed_props(props, data):
    rule = data.draw(st.sampled_from(RESOURCE_RULES))
    type_ = data.draw(st.sampled_from(rule.resource_types))
    run_resource(rule, type_, props, tenant=GLOBEX)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shapes=st.lists(st.tuples(st.sampled_from(STACK_TYPES), PROPS), min_size=1, max_size=5), data=st.data()
)
def test_stack_rules_never_raise_on_malformed_props(shapes, data):
    resources = []
    for index, (type_, props) in enumerate(shapes):
        deps = {
            prop: [f"r{data.draw(st.integers(0, index))}"]
            for prop in ("kmsKeyId", "secretId", "keyId", "targetKeyId")
            if index and data.draw(st.booleans())
        }
        resources.append(Res(type_, f"r{index}", props, prop_deps=deps))
    for rule in STACK_RULES:
        run_stack(rule, resources, tenant=GLOBEX)
