"""Issue 14, IAM documents: one matcher's semantics in every control that reads a document (class 3),
and an unknown document that hides no definite grant beside it (class 2)."""

from __future__ import annotations

import json

import pytest

from mlops_policies.controls.data_06._fixtures import S3_ENDPOINT_POLICY
from mlops_policies.controls.data_06.test_s3_endpoint_policy_scoped import S3_ENDPOINT
from mlops_policies.controls.sec_06._fixtures import IRSA_STATEMENT, trust
from tests.policies.data_leakage_fixtures import BUCKET_NAME
from tests.policies.harness import UNKNOWN, Res, changed, run_resource, run_stack
from tests.policies.secrets_fixtures import TAGS
from tests.policies.sidestep import rule

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
ENDPOINT_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"
NO_ADMIN = rule("ten-04-no-admin-policy-document")
SCOPED = rule("data-06-s3-endpoint-policy-scoped")
IRSA = rule("sec-06-irsa-trust-one-service-account")
READ_DATASET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET_NAME}/*"}


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


# ---------------------------------------------------------------- TEN-04: administrator grants


def test_pass_least_privilege_role_policy():
    assert run_resource(NO_ADMIN, ROLE_POLICY, {"role": UNKNOWN, "policy": document(READ_DATASET)}).passed


@pytest.mark.parametrize(
    ("statement", "grant"),
    [
        ({"Effect": "Allow", "Action": "IAM:*", "Resource": "arn:*"}, "Allow Action 'IAM:*' on Resource '*'"),
        ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:*"}, "Allow Action '*' on Resource '*'"),
        ({"Effect": "allow", "Action": "sts:*", "Resource": "*"}, "Allow Action 'sts:*' on Resource '*'"),
        ({"Effect": "Allow", "Action": "k*", "Resource": "*"}, "Allow Action 'k*' on Resource '*'"),
    ],
)
def test_fail_admin_grant_in_any_spelling(statement, grant):
    outcome = run_resource(NO_ADMIN, ROLE_POLICY, {"role": UNKNOWN, "policy": document(statement)})
    assert outcome.violations == [
        f"{ROLE_POLICY} 'subject' has policy with {grant}; required: no administrator grants"
    ]


def test_fail_admin_inline_policy_beside_an_unknown_one():
    admin = document({"Effect": "Allow", "Action": "*", "Resource": "*"})
    props = {
        "assumeRolePolicy": UNKNOWN,
        "inlinePolicies": [{"name": "a", "policy": UNKNOWN}, {"name": "b", "policy": admin}],
    }
    outcome = run_resource(NO_ADMIN, ROLE, props)
    assert outcome.violations == [
        f"{ROLE} 'subject' has inlinePolicies[1].policy with Allow Action '*' on Resource '*'; required: no "
        "administrator grants"
    ]
    assert outcome.undecided is None


def test_undecided_unknown_inline_policy_alone():
    outcome = run_resource(NO_ADMIN, ROLE, {"inlinePolicies": [{"name": "a", "policy": UNKNOWN}]})
    assert outcome.violations == [] and "inlinePolicies[0].policy" in (outcome.undecided or "")


# ---------------------------------------------------------------- DATA-06: endpoint policy resources


@pytest.mark.parametrize(
    "resource",
    [
        "*",
        "arn:*",
        "arn:aws:s3:::*",
        "arn:aws:s3:::acme-*",
        "arn:aws:s3:::acme*/*",
        "arn:aws:s3:::acme-dataset-*",
    ],
)
def test_fail_endpoint_policy_wildcard_reaching_other_buckets(resource):
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": resource}
    outcome = run_stack(
        SCOPED, [Res(ENDPOINT, "subject", changed(S3_ENDPOINT, "policy", document(statement)))]
    )
    assert outcome.violations == [
        f"{ENDPOINT} 'subject' has policy Statement[0] allowing Action ['s3:GetObject'] on Resource "
        f"['{resource}'] beyond the tenant's buckets; required: S3 actions only on the tenant's buckets "
        "named "
        "exactly and the ECR layer bucket"
    ]


def test_fail_endpoint_policy_with_not_resource():
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "S3:*",
        "NotResource": f"arn:aws:s3:::{BUCKET_NAME}",
    }
    outcome = run_stack(
        SCOPED, [Res(ENDPOINT, "subject", changed(S3_ENDPOINT, "policy", document(statement)))]
    )
    assert outcome.violations == [
        f"{ENDPOINT} 'subject' has policy Statement[0] allowing Action ['S3:*'] on Resource ['NotResource'] "
        "beyond the tenant's buckets; required: S3 actions only on the tenant's buckets named exactly and "
        "the "
        "ECR layer bucket"
    ]


def test_fail_standalone_endpoint_policy_replacing_the_endpoints_own():
    wide = document({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})
    outcome = run_stack(SCOPED, [Res(ENDPOINT_POLICY, "subject", {"vpcEndpointId": UNKNOWN, "policy": wide})])
    assert len(outcome.violations) == 1 and outcome.violations[0].startswith(f"{ENDPOINT_POLICY} 'subject'")


def test_pass_endpoint_policies_naming_the_tenants_buckets_and_other_services():
    assert run_stack(
        SCOPED,
        [
            Res(
                ENDPOINT_POLICY,
                "subject",
                {"vpcEndpointId": UNKNOWN, "policy": json.dumps(S3_ENDPOINT_POLICY)},
            )
        ],
    ).passed
    sts_only = document(
        {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity", "Resource": "*"}
    )
    assert run_stack(
        SCOPED, [Res(ENDPOINT_POLICY, "subject", {"vpcEndpointId": UNKNOWN, "policy": sts_only})]
    ).passed


# ---------------------------------------------------------------- SEC-06: NotAction in a trust policy


def test_fail_web_identity_granted_through_not_action():
    statement = dict(IRSA_STATEMENT)
    statement.pop("Action")
    statement["NotAction"] = "sts:AssumeRole"
    statement["Condition"] = {"StringLike": {"oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789:sub": "*"}}
    outcome = run_resource(IRSA, ROLE, trust(statement))
    assert outcome.violations and all("(web identity)" in v for v in outcome.violations)


def test_pass_compliant_trust_in_another_case():
    statement = {**IRSA_STATEMENT, "Action": "STS:AssumeRoleWithWebIdentity"}
    assert run_resource(IRSA, ROLE, {**trust(statement), "tags": TAGS}).passed


# ---------------------------------------------------------------- SEC-06: a whole other account

WILDCARD_TRUST = rule("sec-06-no-wildcard-trust")


@pytest.mark.parametrize("principal", ["arn:aws:iam::444455556666:root", "444455556666"])
def test_fail_trust_in_every_principal_of_another_account(principal):
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    assert run_resource(WILDCARD_TRUST, ROLE, trust(statement)).violations == [
        f"{ROLE} 'subject' assumeRolePolicy statement #1 allows Principal {{'AWS': '{principal}'}} (every "
        "principal of account 444455556666, not the platform account 111122223333); required: named "
        "principals"
    ]


@pytest.mark.parametrize(
    "principal",
    ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/platform-ci", "111122223333"],
)
def test_pass_trust_in_the_platform_account_or_a_named_role(principal):
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    assert run_resource(WILDCARD_TRUST, ROLE, trust(statement)).passed
