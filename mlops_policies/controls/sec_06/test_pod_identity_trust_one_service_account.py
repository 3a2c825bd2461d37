"""sec-06-pod-identity-trust-one-service-account: judged on the trust policy alone."""

from __future__ import annotations

import json

from mlops_policies.controls.sec_06.pod_identity_trust_one_service_account import (
    pod_identity_trust_one_service_account as rule,
)
from tests.policies.harness import UNKNOWN, run_resource

ROLE = "aws:iam/role:Role"
LABEL = "aws:iam/role:Role 'subject' assumeRolePolicy statement 'EksPodIdentity' (EKS Pod Identity)"


def trust(**changes):
    statement = {
        "Sid": "EksPodIdentity",
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {
            "StringEquals": {
                "aws:SourceAccount": "111122223333",
                "aws:RequestTag/eks-cluster-name": "acme-cluster",
                "aws:RequestTag/kubernetes-namespace": "acme-dev",
                "aws:RequestTag/kubernetes-service-account": "workload",
            }
        },
    }
    statement.update(changes)
    return {"name": "acme-dev-workload", "assumeRolePolicy": json.dumps({"Statement": [statement]})}


def equals(**overrides):
    block = {
        "aws:RequestTag/eks-cluster-name": "acme-cluster",
        "aws:RequestTag/kubernetes-namespace": "acme-dev",
        "aws:RequestTag/kubernetes-service-account": "workload",
    }
    block.update(overrides)
    return {k: v for k, v in block.items() if v is not None}


def test_pass_the_workspace_trust_naming_one_namespace_service_account_and_cluster():
    assert run_resource(rule, ROLE, trust()).passed


def test_pass_the_cluster_pinned_by_arn_instead_of_name():
    condition = {
        "StringEquals": equals(**{"aws:RequestTag/eks-cluster-name": None}),
        "ArnEquals": {
            "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:us-east-1:111122223333:cluster/acme-cluster"
        },
    }
    assert run_resource(rule, ROLE, trust(Condition=condition)).passed


def test_pass_a_role_not_trusted_by_pod_identity_is_not_judged_here():
    other = {"assumeRolePolicy": json.dumps({"Statement": [{"Effect": "Allow", "Principal": {
        "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})}  # fmt: skip
    assert run_resource(rule, ROLE, other).passed


def test_fail_a_trust_without_tag_session():
    outcome = run_resource(rule, ROLE, trust(Action="sts:AssumeRole"))
    assert outcome.violations == [
        f"{LABEL} does not grant sts:TagSession; required: Action sts:AssumeRole and sts:TagSession"
    ]


def test_fail_a_trust_granting_more_than_assume_and_tag():
    outcome = run_resource(rule, ROLE, trust(Action=["sts:*"]))
    assert outcome.violations == [
        f"{LABEL} grants sts:*; required: exactly sts:AssumeRole and sts:TagSession"
    ]


def test_fail_a_trust_without_a_namespace_condition():
    condition = {"StringEquals": equals(**{"aws:RequestTag/kubernetes-namespace": None})}
    outcome = run_resource(rule, ROLE, trust(Condition=condition))
    assert outcome.violations == [
        f"{LABEL} has StringEquals aws:RequestTag/kubernetes-namespace missing; required: exactly one name, "
        "no wildcards"
    ]


def test_fail_a_trust_naming_two_service_accounts():
    condition = {
        "StringEquals": equals(**{"aws:RequestTag/kubernetes-service-account": ["workload", "admin"]})
    }
    outcome = run_resource(rule, ROLE, trust(Condition=condition))
    assert outcome.violations == [
        f"{LABEL} has StringEquals aws:RequestTag/kubernetes-service-account 'workload', 'admin'; required: "
        "exactly one name, no wildcards"
    ]


def test_fail_a_trust_without_a_cluster_condition():
    condition = {"StringEquals": equals(**{"aws:RequestTag/eks-cluster-name": None})}
    outcome = run_resource(rule, ROLE, trust(Condition=condition))
    assert outcome.violations == [
        f"{LABEL} has no exact aws:RequestTag/eks-cluster-name or aws:RequestTag/eks-cluster-arn condition; "
        "required: the one cluster whose associations may use the role"
    ]


def test_fail_a_trust_with_a_namespace_wildcard():
    condition = {
        "StringEquals": equals(**{"aws:RequestTag/kubernetes-namespace": None}),
        "StringLike": {"aws:RequestTag/kubernetes-namespace": "acme-*"},
    }
    outcome = run_resource(rule, ROLE, trust(Condition=condition))
    assert outcome.violations == [
        f"{LABEL} has StringEquals aws:RequestTag/kubernetes-namespace missing; required: exactly one name, "
        "no wildcards",
        f"{LABEL} has a pattern condition on aws:RequestTag/kubernetes-namespace ('acme-*'); required: "
        "StringEquals only",
    ]


def test_fail_a_trust_without_any_condition():
    outcome = run_resource(rule, ROLE, trust(Condition={}))
    statement = (
        "aws:iam/role:Role 'subject' assumeRolePolicy statement 'EksPodIdentity' (EKS Pod Identity) has"
    )
    assert outcome.violations == [
        f"{statement} StringEquals aws:RequestTag/kubernetes-namespace missing; required: exactly one name, "
        "no wildcards",
        f"{statement} StringEquals aws:RequestTag/kubernetes-service-account missing; required: exactly one "
        "name, no wildcards",
        f"{statement} no exact aws:RequestTag/eks-cluster-name or aws:RequestTag/eks-cluster-arn condition; "
        "required: the one cluster whose associations may use the role",
    ]


def test_an_unknown_trust_policy_is_undecided():
    outcome = run_resource(rule, ROLE, {"assumeRolePolicy": UNKNOWN})
    assert outcome.undecided is not None


def _statement(sid: str, service_account: str, cluster: str = "acme-cluster") -> dict:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {
            "StringEquals": equals(
                **{
                    "aws:RequestTag/kubernetes-service-account": service_account,
                    "aws:RequestTag/eks-cluster-name": cluster,
                }
            )
        },
    }


def test_fail_two_statements_each_naming_another_service_account():
    document = {"Statement": [_statement("Trainer", "trainer"), _statement("Notebook", "notebook")]}
    outcome = run_resource(rule, ROLE, {"assumeRolePolicy": json.dumps(document)})
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy (EKS Pod Identity) names 2 service accounts "
        "('system:serviceaccount:acme-dev:notebook' in statement 'Notebook'; "
        "'system:serviceaccount:acme-dev:trainer' in statement 'Trainer'); required: one service account of "
        "one cluster per role"
    ]


def test_fail_one_service_account_trusted_from_two_clusters():
    document = {
        "Statement": [_statement("A", "trainer"), _statement("B", "trainer", cluster="globex-cluster")]
    }
    outcome = run_resource(rule, ROLE, {"assumeRolePolicy": json.dumps(document)})
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy (EKS Pod Identity) names 2 clusters ('acme-cluster', "
        "'globex-cluster'); required: one service account of one cluster per role"
    ]


def test_pass_two_statements_naming_the_same_service_account_and_cluster():
    document = {"Statement": [_statement("A", "trainer"), _statement("B", "trainer")]}
    assert run_resource(rule, ROLE, {"assumeRolePolicy": json.dumps(document)}).passed
