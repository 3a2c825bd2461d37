"""Shared by the tenancy tests of several controls."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.policies.harness import ACME, GLOBEX, Res, area_rules, run_resource, run_stack
from tests.policies.tenancy_fixtures import (
    ATTACHMENT,
    BUCKET,
    CONFIG_MAP,
    DEPLOYMENT,
    KEY,
    NAMESPACE,
    NETWORK_POLICY,
    NO_TENANT,
    ROLE,
    STACK,
    TENANT,
)

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.sampled_from(
        ["acme", "globex-dataset", "arn:aws:s3:::globex-data", "*", "Allow", "system:serviceaccount:x:y"]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "tenant",
                    "labels",
                    "name",
                    "namespace",
                    "Statement",
                    "Effect",
                    "Action",
                    "Resource",
                    "Condition",
                    "spec",
                    "podSelector",
                    "environment",
                ]
            ),
            children,
            max_size=3,
        )
    ),
    max_leaves=12,
)


PROPS = st.dictionaries(
    st.sampled_from(
        [
            "tags",
            "metadata",
            "policy",
            "assumeRolePolicy",
            "inlinePolicies",
            "roleRef",
            "spec",
            "policyArn",
            "managedPolicyArns",
            "bucket",
            "role",
        ]
    ),
    JSON,
    max_size=5,
)


ANY_TYPES = [BUCKET, KEY, ROLE, NAMESPACE, CONFIG_MAP, DEPLOYMENT]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=PROPS, tenant=st.sampled_from([TENANT, GLOBEX, NO_TENANT, None]))
def test_resource_rules_never_raise_on_malformed_inputs(props: dict[str, Any], tenant: Any):
    for rule in (r for r in area_rules("tenancy") if r.kind == "resource"):
        for type_ in rule.resource_types or ANY_TYPES:
            run_resource(rule, type_, props, tenant=tenant)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ns=PROPS, role=PROPS, policy=PROPS, environments=JSON)
def test_stack_rules_never_raise_on_malformed_inputs(ns: Any, role: Any, policy: Any, environments: Any):
    stack = [
        Res(NAMESPACE, "n", ns),
        Res(ROLE, "r", role),
        Res(NETWORK_POLICY, "p", policy, prop_deps={"metadata": ["n"]}),
        Res(ATTACHMENT, "a", policy, prop_deps={"policyArn": ["r"]}),
        *STACK,
    ]
    for rule in (r for r in area_rules("tenancy") if r.kind == "stack"):
        run_stack(rule, stack, tenant={**ACME, "environments": environments})
