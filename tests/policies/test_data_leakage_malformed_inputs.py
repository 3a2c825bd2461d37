"""Shared by the data leakage tests of several controls."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies.rule import Rule
from tests.policies.data_leakage_fixtures import ASSOCIATION, IGW, INITECH, MAIN_ASSOCIATION, NAT
from tests.policies.harness import ACME, UNKNOWN, Res, area_rules, run_resource, run_stack

KEYS = [
    "ingress",
    "egress",
    "cidrBlocks",
    "ipv6CidrBlocks",
    "prefixListIds",
    "securityGroups",
    "fromPort",
    "toPort",
    "protocol",
    "type",
    "cidrIpv4",
    "cidrIpv6",
    "ipProtocol",
    "prefixListId",
    "entries",
    "cidr",
    "routes",
    "cidrBlock",
    "gatewayId",
    "natGatewayId",
    "transitGatewayId",
    "destinationCidrBlock",
    "routeTableId",
    "subnetId",
    "vpcId",
    "tags",
    "tier",
    "purpose",
    "tenant",
    "bucket",
    "policy",
    "Statement",
    "Effect",
    "Action",
    "Resource",
    "Principal",
    "Condition",
    "rules",
    "status",
    "filter",
    "expiration",
    "days",
    "acl",
    "grants",
    "accessControlPolicy",
    "grantee",
    "uri",
    "rule",
    "objectOwnership",
    "kmsKeyId",
    "kmsKeyArn",
    "encrypted",
    "applyServerSideEncryptionByDefault",
    "sseAlgorithm",
    "kmsMasterKeyId",
    "encryptionConfig",
    "provider",
    "keyArn",
    "resources",
    "serviceName",
    "vpcEndpointType",
    "privateDnsEnabled",
    "metadata",
    "name",
    "namespace",
    "annotations",
    "spec",
    "podSelector",
    "policyTypes",
    "from",
    "to",
    "ports",
    "port",
    "namespaceSelector",
    "matchLabels",
    "matchExpressions",
    "ipBlock",
    "internal",
    "vpcConfig",
    "endpointPublicAccess",
    "subnets",
    "directInternetAccess",
    "rootAccess",
    "appNetworkAccessType",
    "enableNetworkIsolation",
    "peerVpcId",
    "mapPublicIpOnLaunch",
    "connectivityType",
    "blockPublicAcls",
    "noncurrentVersionExpiration",
    "noncurrentDays",
]


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 70000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "0.0.0.0/0",
            "::/0",
            "10.1.0.0/16",
            "-1",
            "tcp",
            "443",
            "igw-1",
            "Enabled",
            "aws:kms",
            "alias/aws/s3",
            "LoadBalancer",
            "Deny",
            "s3:*",
            "*",
            "egress",
            "internal",
            "",
            UNKNOWN,
        ]
    ),
    st.text(max_size=4),
)


JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=12,
)


PROPS = st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6)
RESOURCE_RULES = [rule for rule in area_rules("data_leakage") if rule.kind == "resource"]
STACK_RULES = [rule for rule in area_rules("data_leakage") if rule.kind == "stack"]


STACK_TYPES = sorted(
    {t for rule in STACK_RULES for t in rule.resource_types} | {ASSOCIATION, MAIN_ASSOCIATION, NAT, IGW}
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=st.sampled_from(RESOURCE_RULES), data=st.data(), props=PROPS)
def test_resource_rules_never_raise_on_any_shape(rule: Rule, data: st.DataObject, props: dict[str, Any]):
    type_ = data.draw(st.sampled_from(rule.resource_types))
    run_resource(rule, type_, props, tenant=data.draw(st.sampled_from([ACME, INITECH, None])))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule=st.sampled_from(STACK_RULES),
    members=st.lists(st.tuples(st.sampled_from(STACK_TYPES), PROPS), min_size=1, max_size=5),
    data=st.data(),
)
def test_stack_rules_never_raise_on_any_shape(
    rule: Rule, members: list[tuple[str, dict[str, Any]]], data: st.DataObject
):
    names = [f"r{i}" for i in range(len(members))]
    resources = []
    for name, (type_, props) in zip(names, members, strict=True):
        deps = data.draw(
            st.dictionaries(st.sampled_from(KEYS), st.lists(st.sampled_from(names), max_size=2), max_size=2)
        )
        resources.append(Res(type_, name, props, prop_deps=deps))
    run_stack(rule, resources, tenant=data.draw(st.sampled_from([ACME, INITECH])))
