"""Cases for `ten-05-environment-workload-role`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.ten_05._fixtures import replaced, without
from mlops_policies.controls.ten_05.environment_workload_role import environment_workload_role
from tests.policies.harness import UNKNOWN, run_stack
from tests.policies.tenancy_fixtures import STACK, TENANT, environment


def test_fail_environment_without_workload_role():
    outcome = run_stack(environment_workload_role, without(STACK, "prod-workload"), tenant=TENANT)
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' (environment 'prod') has no IAM role trusting "
        "system:serviceaccount:acme-prod:*; required: one workload identity role per environment"
    ]


def test_undecided_workload_role_of_auto_named_namespace_or_unknown_trust():
    auto = [*environment("dev", name=""), *environment("prod")]
    assert run_stack(environment_workload_role, auto, tenant=TENANT).undecided is not None
    unknown = replaced(STACK, "prod-workload", {"assumeRolePolicy": UNKNOWN})
    outcome = run_stack(environment_workload_role, unknown, tenant=TENANT)
    assert outcome.violations == [] and outcome.undecided is not None


def test_pass_every_environment_has_its_own_workload_role():
    assert run_stack(environment_workload_role, STACK, tenant=TENANT).passed
