"""Shared by the audit tests of several controls."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.policies.audit_fixtures import (
    ADVANCED,
    COMPLIANT_TRAIL,
    KEY,
    audit_stack,
    log_group_stack,
    vpc_stack,
)
from tests.policies.harness import GLOBEX, UNKNOWN, Res, area_rules, changed, run_resource, run_stack
from tests.policies.strategies import POLICY_JSON, SCALARS, leaf_paths

RULES = area_rules("audit")


AUDIT_PROP_NAMES = [
    "bucket", "tags", "purpose", "tenant", "objectLockEnabled", "rule", "defaultRetention", "mode", "days",
    "versioningConfiguration", "status", "policy", "name", "s3BucketName", "kmsKeyId", "isMultiRegionTrail",
    "enableLogFileValidation", "includeGlobalServiceEvents", "eventSelectors", "readWriteType",
    "dataResources", "type", "values", "advancedEventSelectors", "fieldSelectors", "field", "equals",
    "startsWiths", "notEquals", "rules", "destination", "vpcId", "trafficType", "enabledClusterLogTypes",
    "retentionInDays",
]  # fmt: skip


AUDIT_WORDS = [
    "All", "ReadOnly", "AWS::S3::Object", "Data", "readOnly", "resources.ARN", "eventCategory",
    "resources.type", "arn:aws:s3", "arn:aws:s3:::platform-security-archive", "audit-log", "ALL",
]  # fmt: skip


AUDIT_VALUES = st.recursive(
    SCALARS | st.sampled_from([UNKNOWN, *AUDIT_WORDS]) | POLICY_JSON,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(AUDIT_PROP_NAMES), inner, max_size=4)
    ),
    max_leaves=20,
)


AUDIT_PROPS = st.dictionaries(st.sampled_from(AUDIT_PROP_NAMES), AUDIT_VALUES, max_size=6)


AUDIT_STACKS = [
    audit_stack(),
    log_group_stack(),
    vpc_stack(),
    audit_stack(trail=changed(COMPLIANT_TRAIL, "advancedEventSelectors", ADVANCED)),
]


@st.composite
def mutated_audit_stacks(draw):
    """A compliant fixture stack with a few values replaced by random shapes and some dependencies dropped."""
    stack = copy.deepcopy(draw(st.sampled_from(AUDIT_STACKS)))
    for _ in range(draw(st.integers(1, 3))):
        resource = draw(st.sampled_from(stack))
        path = draw(st.sampled_from(leaf_paths(resource.props) or ["extra"]))
        resource.props = changed(resource.props, path, draw(AUDIT_VALUES))
        if resource.prop_deps and draw(st.booleans()):
            resource.prop_deps.pop(draw(st.sampled_from(sorted(resource.prop_deps))))
    return stack


@st.composite
def random_audit_stacks(draw):
    types = sorted({t for rule in RULES for t in rule.resource_types} | {KEY})
    names = [f"r{i}" for i in range(draw(st.integers(0, 6)))]
    deps = (
        st.dictionaries(st.sampled_from(AUDIT_PROP_NAMES), st.lists(st.sampled_from(names), max_size=2))
        if names
        else st.just({})
    )
    return [
        Res(draw(st.sampled_from(types)), name, draw(AUDIT_PROPS), prop_deps=draw(deps)) for name in names
    ]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=AUDIT_PROPS, tenant=st.sampled_from([GLOBEX, None]))
def test_resource_rules_never_raise_on_malformed_props(props, tenant):
    for rule in (r for r in RULES if r.kind == "resource"):
        for type_ in rule.resource_types:
            run_resource(rule, type_, props, tenant=tenant)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack=random_audit_stacks() | mutated_audit_stacks(), tenant=st.sampled_from([GLOBEX, None]))
def test_stack_rules_never_raise_on_malformed_stacks(stack, tenant):
    for rule in (r for r in RULES if r.kind == "stack"):
        run_stack(rule, stack, tenant=tenant)
