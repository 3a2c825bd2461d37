"""Shared by the provenance tests of several controls."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.policies.harness import GLOBEX, UNKNOWN, Res, area_rules, changed, run_resource, run_stack
from tests.policies.provenance_fixtures import (
    ALIAS,
    BUCKET_V2,
    COMPLIANT_PROFILE,
    PROFILE,
    attach_deploy_to_trainer,
    duties_stack,
    registry_stack,
    repository_stack,
)
from tests.policies.strategies import POLICY_JSON, SCALARS, leaf_paths

RULES = area_rules("provenance")


PROP_NAMES = [
    "bucket", "tags", "purpose", "tenant", "objectLockEnabled", "rule", "defaultRetention", "mode", "days",
    "years", "versioningConfiguration", "status", "policy", "role", "roles", "policyArn", "managedPolicyArns",
    "inlinePolicies", "name", "path", "encryptionConfigurations", "encryptionType", "kmsKey", "targetKeyId",
    "platformId", "spec", "template", "jobTemplate", "containers", "initContainers", "ephemeralContainers",
    "image", "imageTagMutability", "imageScanningConfiguration", "scanOnPush", "arn", "keyId",
]  # fmt: skip


VALUES = st.recursive(
    SCALARS | st.just(UNKNOWN) | POLICY_JSON,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(PROP_NAMES), inner, max_size=4)
    ),
    max_leaves=20,
)


PROPS = st.dictionaries(st.sampled_from(PROP_NAMES), VALUES, max_size=6)
STACK_TYPES = sorted({t for rule in RULES for t in rule.resource_types} | {BUCKET_V2, ALIAS})


@st.composite
def random_stacks(draw):
    names = [f"r{i}" for i in range(draw(st.integers(0, 6)))]
    deps = (
        st.dictionaries(st.sampled_from(PROP_NAMES), st.lists(st.sampled_from(names), max_size=2))
        if names
        else st.just({})
    )
    return [
        Res(draw(st.sampled_from(STACK_TYPES)), name, draw(PROPS), prop_deps=draw(deps)) for name in names
    ]


BASE_STACKS = [
    registry_stack(),
    repository_stack(),
    duties_stack([attach_deploy_to_trainer()]),
    [Res(PROFILE, "signer", COMPLIANT_PROFILE)],
]


@st.composite
def mutated_stacks(draw):
    """A compliant fixture stack with a few values replaced by random shapes and some dependencies dropped."""
    stack = copy.deepcopy(draw(st.sampled_from(BASE_STACKS)))
    for _ in range(draw(st.integers(1, 3))):
        resource = draw(st.sampled_from(stack))
        path = draw(st.sampled_from(leaf_paths(resource.props) or ["extra"]))
        resource.props = changed(resource.props, path, draw(VALUES))
        if resource.prop_deps and draw(st.booleans()):
            resource.prop_deps.pop(draw(st.sampled_from(sorted(resource.prop_deps))))
    return stack


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=PROPS, tenant=st.sampled_from([GLOBEX, None]))
def test_resource_rules_never_raise_on_malformed_props(props, tenant):
    for rule in (r for r in RULES if r.kind == "resource"):
        for type_ in rule.resource_types:
            run_resource(rule, type_, props, tenant=tenant)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack=random_stacks() | mutated_stacks(), tenant=st.sampled_from([GLOBEX, None]))
def test_stack_rules_never_raise_on_malformed_stacks(stack, tenant):
    for rule in (r for r in RULES if r.kind == "stack"):
        run_stack(rule, stack, tenant=tenant)
