"""Cases for `ten-05-environment-workload-role`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.ten_05._fixtures import replaced, without
from mlops_policies.controls.ten_05.environment_workload_role import environment_workload_role
from tests.policies.harness import UNKNOWN, Res, run_stack
from tests.policies.tenancy_fixtures import STACK, TENANT, environment, shared_role_stack


def test_fail_environment_without_workload_role():
    outcome = run_stack(environment_workload_role, without(STACK, "prod-workload"), tenant=TENANT)
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' (environment 'prod') has no PodIdentityAssociation for "
        "namespace 'acme-prod' and no IAM role trusting system:serviceaccount:acme-prod:*; required: one "
        "workload identity per environment"
    ]


def pod_identity(env: str, namespace: str | None = None) -> Res:
    props = {
        "clusterName": "acme-cluster",
        "namespace": namespace or f"acme-{env}",
        "serviceAccount": "workload",
        "roleArn": f"arn:aws:iam::111122223333:role/acme-{env}-workload",
    }
    return Res("aws:eks/podIdentityAssociation:PodIdentityAssociation", f"{env}-pod-identity", props)


def test_pass_environment_with_a_pod_identity_association_instead_of_an_irsa_role():
    stack = [*without(STACK, "prod-workload"), pod_identity("prod")]
    assert run_stack(environment_workload_role, stack, tenant=TENANT).passed


def test_pass_pod_identity_decides_even_when_no_role_trust_is_known():
    # The first-preview case that used to be undecided: an association names its namespace literally.
    stack = [*replaced(STACK, "prod-workload", {"assumeRolePolicy": UNKNOWN}), pod_identity("prod")]
    assert run_stack(environment_workload_role, stack, tenant=TENANT).passed


def test_fail_a_pod_identity_association_for_another_namespace_does_not_count():
    stack = [*without(STACK, "prod-workload"), pod_identity("prod", namespace="acme-staging")]
    outcome = run_stack(environment_workload_role, stack, tenant=TENANT)
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' (environment 'prod') has no PodIdentityAssociation for "
        "namespace 'acme-prod' and no IAM role trusting system:serviceaccount:acme-prod:*; required: one "
        "workload identity per environment"
    ]


def test_undecided_workload_role_of_auto_named_namespace_or_unknown_trust():
    auto = [*environment("dev", name=""), *environment("prod")]
    assert run_stack(environment_workload_role, auto, tenant=TENANT).undecided is not None
    unknown = replaced(STACK, "prod-workload", {"assumeRolePolicy": UNKNOWN})
    outcome = run_stack(environment_workload_role, unknown, tenant=TENANT)
    assert outcome.violations == [] and outcome.undecided is not None


def test_pass_every_environment_has_its_own_workload_role():
    assert run_stack(environment_workload_role, STACK, tenant=TENANT).passed


def test_fail_one_role_serving_dev_by_irsa_and_prod_by_pod_identity_is_neither_environments_own():
    outcome = run_stack(environment_workload_role, shared_role_stack(), tenant=TENANT)
    shared = "aws:iam/role:Role 'shared' serves environments dev, prod: shared, so no environment's own"
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-dev' (environment 'dev') has no PodIdentityAssociation for "
        f"namespace 'acme-dev' and no IAM role trusting system:serviceaccount:acme-dev:* ({shared}); "
        "required: one workload identity per environment",
        "kubernetes:core/v1:Namespace 'acme-prod' (environment 'prod') has no PodIdentityAssociation for "
        f"namespace 'acme-prod' and no IAM role trusting system:serviceaccount:acme-prod:* ({shared}); "
        "required: one workload identity per environment",
    ]
