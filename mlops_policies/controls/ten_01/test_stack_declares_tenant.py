"""ten-01-stack-declares-tenant: the one policy that decides a stack without landingzone:tenant."""

from __future__ import annotations

import pytest

from mlops_policies.controls.prov_03.ecr_immutable_tags import ecr_immutable_tags
from mlops_policies.controls.ten_01.stack_declares_tenant import stack_declares_tenant
from mlops_policies.rule import UNDECLARED_REASON
from tests.policies.harness import ACME, Res, run_resource, run_stack

BUCKET = Res("aws:s3/bucket:Bucket", "reports", {"bucket": "reports"})


@pytest.fixture(autouse=True)
def _project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_PROJECT", "billing-api")
    monkeypatch.setenv("PULUMI_STACK", "prod")


def test_pass_a_stack_that_declares_its_tenant():
    assert run_stack(stack_declares_tenant, [BUCKET], tenant=ACME).passed


def test_fail_a_stack_without_tenant_config_by_default():
    outcome = run_stack(stack_declares_tenant, [BUCKET], tenant=None)
    assert outcome.violations == [
        "stack 'billing-api/prod' has no landingzone:tenant config and project 'billing-api' is not in "
        "projectsWithoutTenant; required: a landingzone:tenant config, or the project listed by the "
        "org admin"
    ]


def test_pass_a_stack_without_tenant_config_whose_project_the_admin_lists():
    config = {"projectsWithoutTenant": ["billing-*"]}
    assert run_stack(stack_declares_tenant, [BUCKET], tenant=None, config=config).passed


def test_fail_a_stack_without_tenant_config_whose_project_is_not_listed():
    config = {"projectsWithoutTenant": ["web-*"]}
    outcome = run_stack(stack_declares_tenant, [BUCKET], tenant=None, config=config)
    assert outcome.violations == [
        "stack 'billing-api/prod' has no landingzone:tenant config and project 'billing-api' is not in "
        "projectsWithoutTenant; required: a landingzone:tenant config, or the project listed by the org admin"
    ]


def test_pass_every_other_policy_stands_down_on_a_stack_without_tenant_config():
    rule = ecr_immutable_tags
    props = {"imageTagMutability": "MUTABLE"}
    outcome = run_resource(rule, "aws:ecr/repository:Repository", props, tenant=None)
    assert outcome.not_applicable == UNDECLARED_REASON
