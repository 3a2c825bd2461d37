"""Cases for `prov-07-separation-of-duties`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.prov_07.separation_of_duties import DEPLOY_ACTIONS, separation_of_duties
from tests.policies.harness import UNKNOWN, Res, run_stack
from tests.policies.provenance_fixtures import (
    REGISTRY_OBJECTS,
    ROLE,
    ROLE_POLICY,
    TRUST,
    allow,
    attach_deploy_to_trainer,
    document,
    duties_stack,
)


def test_pass_registry_writer_and_deployer_are_separate_roles():
    assert run_stack(separation_of_duties, duties_stack()).passed


def test_fail_role_that_writes_the_registry_and_deploys_in_a_first_preview():
    outcome = run_stack(separation_of_duties, duties_stack([attach_deploy_to_trainer()]))
    assert outcome.violations == [
        "aws:iam/role:Role 'trainer' can both write to the model registry (s3:PutObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via "
        "aws:iam/rolePolicy:RolePolicy 'trainer-registry') and deploy (eks:*, via "
        "aws:iam/policy:Policy 'deploy'); required: separate roles for registry writes and deployments"
    ]
    assert outcome.urns == ["urn:pulumi:acme::mlops-landing-zone::aws:iam/role:Role::trainer"]


def test_fail_role_found_by_known_names_and_policy_by_known_arn():
    attachment = attach_deploy_to_trainer(
        props={"role": "acme-trainer", "policyArn": "arn:aws:iam::111122223333:policy/acme-deploy"},
        prop_deps={},
    )
    outcome = run_stack(separation_of_duties, duties_stack([attachment]))
    assert len(outcome.violations) == 1 and "'trainer' can both write" in outcome.violations[0]
    assert outcome.violations == [
        "aws:iam/role:Role 'trainer' can both write to the model registry (s3:PutObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via aws:iam/rolePolicy:RolePolicy "
        "'trainer-registry') and deploy (eks:*, via aws:iam/policy:Policy 'deploy'); required: "
        "separate roles for registry writes and deployments",
    ]


def test_fail_full_wildcard_in_one_document():
    extra = Res(ROLE_POLICY, "trainer-admin", {"role": "acme-trainer", "policy": document(allow("*"))})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert "deploy (eks:*, via aws:iam/rolePolicy:RolePolicy 'trainer-admin')" in outcome.violations[0]
    assert outcome.violations == [
        "aws:iam/role:Role 'trainer' can both write to the model registry (s3:PutObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via aws:iam/rolePolicy:RolePolicy "
        "'trainer-registry') and deploy (eks:*, via aws:iam/rolePolicy:RolePolicy "
        "'trainer-admin'); required: separate roles for registry writes and deployments",
    ]


def test_fail_not_action_grants_everything_it_does_not_exclude():
    statement = {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}
    extra = Res(ROLE_POLICY, "trainer-broad", {"role": "acme-trainer", "policy": document(statement)})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert outcome.violations
    assert outcome.violations == [
        "aws:iam/role:Role 'trainer' can both write to the model registry (s3:PutObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via aws:iam/rolePolicy:RolePolicy "
        "'trainer-registry') and deploy (eks:*, via aws:iam/rolePolicy:RolePolicy "
        "'trainer-broad'); required: separate roles for registry writes and deployments",
    ]


def test_fail_wildcard_deploy_actions_and_administrator_access():
    doc = document(allow("sagemaker:*Endpoint*"))
    extra = Res(ROLE_POLICY, "trainer-sm", {"role": "acme-trainer", "policy": doc})
    assert (
        "deploy (sagemaker:CreateEndpoint*"
        in run_stack(separation_of_duties, duties_stack([extra])).violations[0]
    )
    admin = attach_deploy_to_trainer(
        props={"role": "acme-trainer", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
        prop_deps={},
    )
    outcome = run_stack(separation_of_duties, duties_stack([admin]))
    assert (
        "via aws:iam/rolePolicyAttachment:RolePolicyAttachment 'trainer-deploy' policyArn "
        in outcome.violations[0]
    )
    assert outcome.violations == [
        "aws:iam/role:Role 'trainer' can both write to the model registry (s3:PutObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via aws:iam/rolePolicy:RolePolicy "
        "'trainer-registry') and deploy (eks:*, via "
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment 'trainer-deploy' policyArn "
        "arn:aws:iam::aws:policy/AdministratorAccess); required: separate roles for registry "
        "writes and deployments",
    ]


def test_fail_deploy_policy_attached_through_managed_policy_arns_or_policy_attachment():
    stack = duties_stack()
    trainer = {"name": "acme-trainer", "assumeRolePolicy": TRUST, "managedPolicyArns": [UNKNOWN]}
    stack[1] = Res(ROLE, "trainer", trainer, prop_deps={"managedPolicyArns": ["deploy"]})
    assert (
        "deploy (eks:*, via aws:iam/policy:Policy 'deploy')"
        in run_stack(separation_of_duties, stack).violations[0]
    )
    attachment = Res("aws:iam/policyAttachment:PolicyAttachment", "shared-deploy",
                     {"roles": ["acme-deployer", UNKNOWN], "policyArn": UNKNOWN},
                     prop_deps={"roles": ["trainer"], "policyArn": ["deploy"]})  # fmt: skip
    outcome = run_stack(separation_of_duties, duties_stack([attachment]))
    assert outcome.violations
    assert outcome.violations == [
        "aws:iam/role:Role 'trainer' can both write to the model registry (s3:PutObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via aws:iam/rolePolicy:RolePolicy "
        "'trainer-registry') and deploy (eks:*, via aws:iam/policy:Policy 'deploy'); required: "
        "separate roles for registry writes and deployments",
    ]


def test_pass_unconditional_deny_removes_the_wildcard_write():
    # Every kind of object write must be denied: a Deny of s3:Put* alone leaves s3:DeleteObject etc.
    writes = ["s3:Put*", "s3:Delete*", "s3:Replicate*", "s3:RestoreObject", "s3:BypassGovernanceRetention"]
    doc = document(allow("*"), {"Effect": "Deny", "Action": writes, "Resource": "*"})
    extra = Res(ROLE_POLICY, "trainer-admin", {"role": "acme-trainer", "policy": doc})
    stack = duties_stack([extra])
    stack[3] = Res(
        ROLE_POLICY, "trainer-registry", {"role": "acme-trainer", "policy": document(allow("s3:GetObject"))}
    )
    assert run_stack(separation_of_duties, stack).passed


def test_pass_deploy_role_that_writes_only_to_another_bucket():
    doc = document(allow("s3:PutObject", "arn:aws:s3:::acme-dataset-111122223333/*"))
    extra = Res(ROLE_POLICY, "deployer-data", {"role": "acme-deployer", "policy": doc})
    assert run_stack(separation_of_duties, duties_stack([extra])).passed


def test_fail_registry_of_the_tenant_named_by_convention_even_outside_the_stack():
    stack = duties_stack([attach_deploy_to_trainer()])[1:]
    outcome = run_stack(separation_of_duties, stack)
    assert outcome.violations
    assert outcome.violations == [
        "aws:iam/role:Role 'trainer' can both write to the model registry (s3:PutObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via aws:iam/rolePolicy:RolePolicy "
        "'trainer-registry') and deploy (eks:*, via aws:iam/policy:Policy 'deploy'); required: "
        "separate roles for registry writes and deployments",
    ]


def test_pass_extra_deploy_actions_in_config_tighten_the_rule():
    extra = Res(
        ROLE_POLICY,
        "trainer-invoke",
        {"role": "acme-trainer", "policy": document(allow("lambda:InvokeFunction"))},
    )
    config = {"deployActions": [*DEPLOY_ACTIONS, "lambda:InvokeFunction"]}
    assert run_stack(separation_of_duties, duties_stack([extra])).passed
    assert run_stack(separation_of_duties, duties_stack([extra]), config=config).violations


def test_fail_config_dropping_a_catalog_deploy_action_is_a_weakening_and_the_catalog_applies():
    extra = Res(
        ROLE_POLICY, "trainer-describe", {"role": "acme-trainer", "policy": document(allow("eks:Describe*"))}
    )
    config = {"deployActions": ["eks:Create*", "sagemaker:CreateEndpoint*", "sagemaker:UpdateEndpoint*"]}
    violations = run_stack(separation_of_duties, duties_stack([extra]), config=config).violations
    assert violations[0] == (
        "policy config sets prov-07-separation-of-duties.deployActions to [eks:Create*, "
        "sagemaker:CreateEndpoint*, sagemaker:UpdateEndpoint*], looser than the catalog; required: every "
        "catalog entry (eks:*, sagemaker:CreateEndpoint*, sagemaker:UpdateEndpoint*, "
        "sagemaker:CreateInferenceComponent, sagemaker:UpdateInferenceComponent), plus any of your own "
        "(a config may only tighten a control; use an exemption instead)"
    )
    assert "deploy (eks:*, via aws:iam/rolePolicy:RolePolicy 'trainer-describe')" in violations[1]


def test_undecided_policy_document_unknown_in_preview():
    extra = Res(ROLE_POLICY, "trainer-more", {"role": "acme-trainer", "policy": UNKNOWN})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert outcome.violations == []
    assert (
        outcome.undecided
        == "aws:iam/role:Role 'trainer': aws:iam/rolePolicy:RolePolicy 'trainer-more' has an unknown policy"
    )


def test_undecided_role_policy_whose_role_is_unknown_without_dependency_information():
    extra = Res(ROLE_POLICY, "orphan", {"role": UNKNOWN, "policy": document(allow("eks:*"))})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert outcome.violations == []
    assert outcome.undecided == (
        "aws:iam/rolePolicy:RolePolicy 'orphan': its role is unknown with no dependency information"
    )


@pytest.mark.parametrize(
    "write",
    ["s3:ReplicateObject", "s3:PutObjectRetention", "s3:BypassGovernanceRetention", "s3:DeleteObjectVersion"],
)
def test_fail_deployer_that_changes_registry_objects_without_put_object(write: str):
    doc = document(allow([write], REGISTRY_OBJECTS))  # the deployer deploys through Policy 'deploy'
    extra = Res(ROLE_POLICY, "deployer-registry", {"role": "acme-deployer", "policy": doc})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert outcome.violations == [
        f"aws:iam/role:Role 'deployer' can both write to the model registry ({write} on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via aws:iam/rolePolicy:RolePolicy "
        "'deployer-registry') and deploy (eks:*, via aws:iam/policy:Policy 'deploy'); required: separate "
        "roles for registry writes and deployments"
    ]


def test_fail_wildcard_delete_on_the_registry_counts_as_a_write():
    doc = document(allow("s3:Delete*", REGISTRY_OBJECTS))
    extra = Res(ROLE_POLICY, "deployer-cleanup", {"role": "acme-deployer", "policy": doc})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert outcome.violations == [
        "aws:iam/role:Role 'deployer' can both write to the model registry (s3:DeleteObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via aws:iam/rolePolicy:RolePolicy "
        "'deployer-cleanup') and deploy (eks:*, via aws:iam/policy:Policy 'deploy'); required: separate "
        "roles for registry writes and deployments"
    ]


def test_pass_deployer_that_only_reads_the_registry():
    doc = document(allow(["s3:GetObject", "s3:GetObjectRetention", "s3:ListBucket"], REGISTRY_OBJECTS))
    extra = Res(ROLE_POLICY, "deployer-read", {"role": "acme-deployer", "policy": doc})
    assert run_stack(separation_of_duties, duties_stack([extra])).passed


@pytest.mark.parametrize(
    "deploy", ["sagemaker:CreateInferenceComponent", "sagemaker:UpdateInferenceComponent"]
)
def test_fail_registry_writer_that_deploys_through_inference_components(deploy: str):
    extra = Res(ROLE_POLICY, "trainer-ic", {"role": "acme-trainer", "policy": document(allow(deploy))})
    outcome = run_stack(separation_of_duties, duties_stack([extra]))
    assert outcome.violations == [
        "aws:iam/role:Role 'trainer' can both write to the model registry (s3:PutObject on "
        "arn:aws:s3:::acme-model-registry-111122223333/*, via aws:iam/rolePolicy:RolePolicy "
        f"'trainer-registry') and deploy ({deploy}, via aws:iam/rolePolicy:RolePolicy 'trainer-ic'); "
        "required: separate roles for registry writes and deployments"
    ]
