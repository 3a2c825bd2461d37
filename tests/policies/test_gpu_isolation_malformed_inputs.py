"""Shared by the gpu isolation tests of several controls."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.policies.gpu_isolation_fixtures import (
    KEY,
    LAUNCH_TEMPLATE,
    MIG_GROUP,
    NAMESPACE,
    NODE_GROUP,
    QUOTA,
    TAGS,
)
from tests.policies.harness import ACME, GLOBEX, Res, area_rules, run_resource, run_stack

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.sampled_from(["mig", "p4d.24xlarge", "*"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "key",
                    "value",
                    "ebs",
                    "spec",
                    "tenant",
                    "containers",
                    "template",
                    "name",
                    "labels",
                    "resources",
                    "limits",
                    "nvidia.com/gpu",
                ]
            ),
            children,
            max_size=3,
        )
    ),
    max_leaves=12,
)


KEYS = st.sampled_from(
    [
        "instanceTypes",
        "amiType",
        "labels",
        "taints",
        "scalingConfig",
        "launchTemplate",
        "remoteAccess",
        "spec",
        "metadata",
        "metadataOptions",
        "blockDeviceMappings",
    ]
)


PROPS = st.dictionaries(KEYS, JSON, max_size=6)
RESOURCE_RULES = [rule for rule in area_rules("gpu_isolation") if rule.kind == "resource"]
STACK_RULES = [rule for rule in area_rules("gpu_isolation") if rule.kind == "stack"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=PROPS, tenant=st.sampled_from([ACME, GLOBEX, None]))
def test_resource_rules_never_raise_on_malformed_inputs(props: dict[str, Any], tenant: Any):
    for rule in RESOURCE_RULES:
        for type_ in rule.resource_types:
            run_resource(rule, type_, props, tenant=tenant)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=PROPS, template=PROPS, ns=PROPS, quota_props=PROPS)
def test_stack_rules_never_raise_on_malformed_inputs(group: Any, template: Any, ns: Any, quota_props: Any):
    stack = [
        Res(NODE_GROUP, "g", {**MIG_GROUP, **group}, prop_deps={"launchTemplate": ["t"]}),
        Res(LAUNCH_TEMPLATE, "t", template, prop_deps={"blockDeviceMappings": ["k"]}),
        Res(KEY, "k", {"tags": TAGS}),
        Res(NAMESPACE, "n", ns),
        Res(QUOTA, "q", quota_props, prop_deps={"metadata": ["n"]}),
    ]
    for rule in STACK_RULES:
        run_stack(rule, stack)
