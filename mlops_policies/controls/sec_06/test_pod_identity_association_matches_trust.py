"""sec-06-pod-identity-association-matches-trust: association and role trust agree, at first preview."""

from __future__ import annotations

import json

from mlops_policies.controls.sec_06.pod_identity_association_matches_trust import (
    pod_identity_association_matches_trust as rule,
)
from tests.policies.harness import UNKNOWN, Res, run_stack

ASSOCIATION_TYPE = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
ASSOC = "aws:eks/podIdentityAssociation:PodIdentityAssociation 'acme-dev-pod-identity'"
ROLE_LABEL = "aws:iam/role:Role 'acme-dev-workload-role'"


def role(namespace="acme-dev", service="pods.eks.amazonaws.com", cluster_key="eks-cluster-name",
         cluster="acme-cluster"):  # fmt: skip
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": service},
             "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": {"StringEquals": {
                 f"aws:RequestTag/{cluster_key}": cluster, "aws:RequestTag/kubernetes-namespace": namespace,
                 "aws:RequestTag/kubernetes-service-account": "workload"}}}]}  # fmt: skip
    return Res("aws:iam/role:Role", "acme-dev-workload-role",
               {"name": "acme-dev-workload", "assumeRolePolicy": json.dumps(trust)})  # fmt: skip


def association(**changes):
    props = {"clusterName": "acme-cluster", "namespace": "acme-dev", "serviceAccount": "workload",
             "roleArn": "arn:aws:iam::111122223333:role/acme-dev-workload"}  # fmt: skip
    props.update(changes)
    return Res(ASSOCIATION_TYPE, "acme-dev-pod-identity", props)


def test_pass_the_workspace_association_and_its_role_with_spelled_out_arn():
    assert run_stack(rule, [role(), association()]).passed


def test_pass_the_role_found_by_property_dependency_when_its_arn_is_unknown():
    linked = association(roleArn=UNKNOWN)
    linked.prop_deps = {"roleArn": ["acme-dev-workload-role"]}
    assert run_stack(rule, [role(), linked]).passed


def test_pass_a_trust_pinning_the_cluster_by_arn():
    pinned = role(
        cluster_key="eks-cluster-arn", cluster="arn:aws:eks:us-east-1:111122223333:cluster/acme-cluster"
    )
    assert run_stack(rule, [pinned, association()]).passed


def test_fail_an_association_whose_role_is_not_in_the_stack():
    outcome = run_stack(rule, [association(roleArn="arn:aws:iam::111122223333:role/shared")])
    assert outcome.violations == [
        f"{ASSOC} has roleArn 'arn:aws:iam::111122223333:role/shared', which names no aws:iam/role:Role of "
        "the stack; required: the workload role declared in the same stack, so its trust can be judged"
    ]


def test_fail_an_association_for_another_namespace_than_the_role_trusts():
    outcome = run_stack(rule, [role(), association(namespace="acme-prod")])
    assert outcome.violations == [
        f"{ASSOC} binds acme-prod/workload on cluster 'acme-cluster' to {ROLE_LABEL}, whose Pod Identity "
        "trust does not name exactly that namespace, service account and cluster; required: a trust "
        "statement pinning those three session tags"
    ]


def test_fail_an_association_on_another_cluster():
    outcome = run_stack(rule, [role(), association(clusterName="globex-cluster")])
    assert outcome.violations == [
        "aws:eks/podIdentityAssociation:PodIdentityAssociation 'acme-dev-pod-identity' binds "
        "acme-dev/workload on cluster 'globex-cluster' to aws:iam/role:Role 'acme-dev-workload-role', "
        "whose Pod Identity trust does not name exactly that namespace, service account and cluster; "
        "required: a trust statement pinning those three session tags"
    ]


def test_fail_an_association_binding_an_irsa_role():
    irsa = role(service="ec2.amazonaws.com")
    outcome = run_stack(rule, [irsa, association()])
    assert outcome.violations == [
        f"{ASSOC} binds {ROLE_LABEL}, whose assumeRolePolicy does not trust pods.eks.amazonaws.com; "
        "required: a role trusted by EKS Pod Identity"
    ]


def test_an_unknown_role_arn_without_a_dependency_is_undecided():
    outcome = run_stack(rule, [role(), association(roleArn=UNKNOWN)])
    assert outcome.undecided == f"{ASSOC}: {ASSOC}: roleArn is unknown and names no role of the stack"
