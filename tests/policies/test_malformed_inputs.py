"""No rule raises on malformed inputs: a crash in a policy fails the whole deployment.

Hypothesis feeds every rule property shapes a program could send: missing fields, nulls, lists where
objects belong, numbers where strings belong, unknowns, nested junk. The harness turns the SDK's own
signals (not applicable, unknown during preview) into outcomes; anything else propagates and fails.
"""

from __future__ import annotations

import base64
import fnmatch
import gzip

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies import iam_match, network
from mlops_policies.packs import all_rules
from tests.policies.harness import ACME, GLOBEX, UNKNOWN, Res, run_resource, run_stack

RULES = all_rules()
RESOURCE_RULES = [r for r in RULES if r.kind == "resource"]
STACK_RULES = [r for r in RULES if r.kind == "stack"]
ALL_TYPES = sorted(
    {t for r in RULES for t in r.resource_types} | {"aws:ec2/vpc:Vpc", "kubernetes:core/v1:Pod"}
)

KEYS = st.sampled_from(
    ["tags", "bucket", "policy", "name", "metadata", "spec", "labels", "taints", "rules", "kmsKeyId",
     "vpcId", "assumeRolePolicy", "ingress", "egress", "containers", "template", "env", "value",
     "Statement", "Principal", "Action", "Resource", "Condition", "scalingConfig", "launchTemplate",
     "rule", "defaultRetention", "days", "mode", "status", "encryptionConfig", "vpcConfig", "x",
     "yaml", "objs", "data", "binaryData", "userData", "volumes", "persistentVolumeClaim", "claimName",
     "volumeName", "storageClassName", "securityContext", "sharing", "timeSlicing", "resources", "replicas",
     "instanceType", "automountServiceAccountToken", "serviceAccountName", "containerDefinitions", "image",
     "jobTemplate", "hostPath", "claimRef", "provisioner", "Environment", "Name", "Value",
     # issue 14: the inputs and statement keys the new readers look at
     "NotAction", "NotResource", "NotPrincipal", "Effect", "AWS", "filter", "prefix", "and",
     "noncurrentVersionExpiration", "newerNoncurrentVersions", "enableLogging", "securityGroupId",
     "mapPublicIpOnLaunch", "internal", "vpcPeeringConnectionId", "roleName", "policyArns", "cidrBlocks"]
)  # fmt: skip
# Encoded and structured strings the decoders and parsers must survive (bounded, never raising).
_NESTED = "AKIAIOSFODNN7EXAMPLE"
for _ in range(8):
    _NESTED = base64.b64encode(gzip.compress(_NESTED.encode())).decode()
ENCODED = [
    _NESTED,
    base64.b64encode(b"\x1f\x8b\x08garbage").decode(),
    "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Transfer-Encoding: base64\n\n!!!\n--x--",
    "apiVersion: apps/v1\nkind: Deployment\nspec: {template: {spec: {containers: [7, {image: 1}]}}}",
    "sharing:\n  timeSlicing:\n    resources: [{replicas: x}, 3, null]",
    "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/",
    "https://.s3.amazonaws.com//",
    '[{"Name": 1, "Environment": {"x": 2}}]',
]
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-5, 100_000)
    | st.floats(allow_nan=True)
    | st.sampled_from(
        [
            "",
            "*",
            "acme",
            "globex-model-registry-1",
            "true",
            "Enabled",
            "0.0.0.0/0",
            UNKNOWN,
            "{not json",
            '{"Statement": 1}',
            *ENCODED,
            "S3:*",
            "arn:*",
            "0.0.0.0/1",
            "::/1",
            "alias/acme-data",
            "arn:aws:kms:us-east-1:444455556666:alias/acme-data",
            "arn:aws:iam::*:root",
            "Allow",
            "allow",
        ]
    )
)
VALUES = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=25,
)
PROPS = st.dictionaries(KEYS, VALUES, max_size=6)
TENANTS = st.sampled_from([ACME, GLOBEX, None, {"id": 7, "tier": ["x"]}, {"network": "none"}])


@settings(max_examples=len(RESOURCE_RULES) * 8, deadline=None, suppress_health_check=list(HealthCheck))
@given(rule=st.sampled_from(RESOURCE_RULES), data=st.data(), props=PROPS, tenant=TENANTS)
def test_resource_rules_never_raise_on_malformed_props(rule, data, props, tenant):
    type_ = data.draw(st.sampled_from(list(rule.resource_types) or ALL_TYPES))
    run_resource(rule, type_, props, tenant=tenant)


@settings(max_examples=len(STACK_RULES) * 6, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rule=st.sampled_from(STACK_RULES),
    resources=st.lists(st.tuples(st.sampled_from(ALL_TYPES), PROPS), max_size=6),
    tenant=TENANTS,
    wire=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), KEYS), max_size=6),
)
def test_stack_rules_never_raise_on_malformed_stacks(rule, resources, tenant, wire):
    stack = [Res(type_, f"r{i}", props) for i, (type_, props) in enumerate(resources)]
    for source, target, prop in wire:
        if source < len(stack) and target < len(stack):
            stack[source].prop_deps.setdefault(prop, []).append(stack[target].name)
            stack[source].deps.append(stack[target].name)
    run_stack(rule, stack, tenant=tenant)


# ---------------------------------------------------------------- issue 14: the shared matchers

STATEMENTS = st.dictionaries(KEYS, VALUES, max_size=6)


@settings(max_examples=300, deadline=None)
@given(statement=STATEMENTS, action=st.sampled_from(["kms:Decrypt", "s3:*", "*", "iam:Pass?ole", ""]))
def test_iam_matcher_never_raises_on_malformed_statements(statement, action):
    iam_match.grants_action(statement, action)
    iam_match.reaches_resource(statement, "arn:aws:s3:::acme-dataset-1")
    iam_match.resources_outside(statement, ["arn:aws:s3:::acme-dataset-1"])
    iam_match.broad_allow(statement)
    iam_match.everyone(statement)
    iam_match.foreign_accounts(statement, "111122223333")


SEGMENT = st.text(alphabet="abcDEF:*?-", min_size=0, max_size=8)


@settings(max_examples=400, deadline=None)
@given(pattern=SEGMENT, action=st.text(alphabet="abcDEF:-", min_size=0, max_size=8))
def test_action_matching_agrees_with_case_insensitive_glob_semantics(pattern, action):
    # fnmatch's * and ? are IAM's (the alphabet has no [ ], fnmatch's only other syntax).
    expected = fnmatch.fnmatchcase(action.lower(), pattern.lower())
    assert iam_match.action_matches(pattern, action) is expected


@settings(max_examples=200, deadline=None)
@given(values=st.lists(VALUES, max_size=8))
def test_cidr_set_check_and_key_parser_never_raise_on_junk(values):
    network.open_together(values)
    for value in values:
        iam_match.parse_key(value)
