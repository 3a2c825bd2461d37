"""ten-05-pod-identity-single-environment."""

from __future__ import annotations

import json

from mlops_policies.controls.ten_05.pod_identity_single_environment import (
    pod_identity_single_environment as rule,
)
from tests.policies.harness import ACME, Res, run_stack
from tests.policies.tenancy_fixtures import shared_role_stack

TENANT = {**ACME, "environments": ["dev", "prod"]}


def namespace(env):
    labels = {"environment": env, "tenant": "acme"}
    return Res("kubernetes:core/v1:Namespace", f"acme-{env}-namespace",
               {"metadata": {"name": f"acme-{env}", "labels": labels}})  # fmt: skip


def role(env, namespaces):
    condition = {"StringEquals": {"aws:RequestTag/kubernetes-namespace": namespaces}}
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
             "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": condition}]}  # fmt: skip
    return Res("aws:iam/role:Role", f"acme-{env}-workload-role",
               {"name": f"acme-{env}-workload", "assumeRolePolicy": json.dumps(trust)})  # fmt: skip


def association(env, role_env):
    return Res("aws:eks/podIdentityAssociation:PodIdentityAssociation", f"acme-{env}-pod-identity",
               {"clusterName": "acme-cluster", "namespace": f"acme-{env}", "serviceAccount": "workload",
                "roleArn": f"arn:aws:iam::111122223333:role/acme-{role_env}-workload"})  # fmt: skip


def baseline():
    return [namespace("dev"), namespace("prod"), role("dev", "acme-dev"), role("prod", "acme-prod"),
            association("dev", "dev"), association("prod", "prod")]  # fmt: skip


def test_pass_one_role_and_association_per_environment():
    assert run_stack(rule, baseline(), tenant=TENANT).passed


def test_fail_one_role_bound_by_associations_of_two_environments():
    resources = [*baseline()[:5], association("prod", "dev")]
    outcome = run_stack(rule, resources, tenant=TENANT)
    assert outcome.violations == [
        "aws:iam/role:Role 'acme-dev-workload-role' serves Pod Identity workloads of environments dev, prod "
        "(namespaces acme-dev, acme-prod); required: one environment per role"
    ]


def test_fail_a_role_whose_trust_names_two_environments_namespaces():
    resources = [namespace("dev"), namespace("prod"), role("dev", ["acme-dev", "acme-prod"])]
    outcome = run_stack(rule, resources, tenant=TENANT)
    assert outcome.violations == [
        "aws:iam/role:Role 'acme-dev-workload-role' serves Pod Identity workloads of environments dev, prod "
        "(namespaces acme-dev, acme-prod); required: one environment per role"
    ]


def test_fail_a_role_whose_trust_leaves_the_namespace_open():
    open_trust = role("dev", "x")
    trust = json.loads(open_trust.props["assumeRolePolicy"])
    trust["Statement"][0]["Condition"] = {}
    open_trust.props = {**open_trust.props, "assumeRolePolicy": json.dumps(trust)}
    outcome = run_stack(rule, [namespace("dev"), namespace("prod"), open_trust], tenant=TENANT)
    # A trust without a namespace condition admits every environment's namespace.
    assert outcome.violations == [
        "aws:iam/role:Role 'acme-dev-workload-role' serves Pod Identity workloads of environments dev, prod "
        "(namespaces acme-dev, acme-prod); required: one environment per role"
    ]


def test_fail_a_role_serving_dev_by_irsa_and_prod_by_pod_identity():
    outcome = run_stack(rule, shared_role_stack(), tenant=TENANT)
    assert outcome.violations == [
        "aws:iam/role:Role 'shared' serves Pod Identity workloads of environments dev, prod (namespaces "
        "acme-dev, acme-prod); required: one environment per role"
    ]
