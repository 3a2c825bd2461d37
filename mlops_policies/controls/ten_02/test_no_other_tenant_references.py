"""Cases for `ten-02-no-other-tenant-references`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import pytest

from mlops_policies.controls.ten_02.no_other_tenant_references import no_other_tenant_references
from tests.policies import harness
from tests.policies.harness import PLATFORM, UNKNOWN, changed, run_resource
from tests.policies.tenancy_fixtures import DEPLOYMENT, KEY, NO_TENANT, ROLE, ROLE_POLICY, TAGS, doc

OWN_POLICY = {
    "role": "acme-dev-workload",
    "policy": doc(
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": [
                "arn:aws:s3:::acme-dataset-111122223333/*",
                "arn:aws:s3:::platform-security-archive/*",
            ],
        }
    ),
}


def test_pass_references_to_own_and_platform_resources():
    assert run_resource(no_other_tenant_references, ROLE_POLICY, OWN_POLICY).passed


def test_fail_policy_naming_another_tenants_registry_bucket():
    policy = doc(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::globex-model-registry-444455556666/*",
        }
    )
    outcome = run_resource(no_other_tenant_references, ROLE_POLICY, changed(OWN_POLICY, "policy", policy))
    assert outcome.violations == [
        "aws:iam/rolePolicy:RolePolicy 'subject' has policy referring to tenant 'globex' (a name ending in "
        "'-model-registry'); required: only tenant 'acme' or platform resources"
    ]


@pytest.mark.parametrize(
    ("prop", "value", "why"),
    [
        ("role", "arn:aws:iam::444455556666:role/globex-prod-workload", "a name ending in '-workload'"),
        ("kmsKeyId", "alias/globex-data", "a name ending in '-data'"),
        ("repositoryName", "globex/models", "a tenant path segment"),
        (
            "secretId",
            "arn:aws:secretsmanager:us-east-1:1:secret:globex/hf-token-AbCdEf",
            "a tenant path segment",
        ),
        ("source", "s3://globex-checkpoint-444455556666/run-1/", "a name ending in '-checkpoint'"),
    ],
)
def test_fail_names_and_arns_of_another_tenant(prop: str, value: str, why: str):
    outcome = run_resource(no_other_tenant_references, ROLE_POLICY, {**OWN_POLICY, prop: value})
    assert outcome.violations == [
        f"aws:iam/rolePolicy:RolePolicy 'subject' has {prop} referring to tenant 'globex' ({why}); required: "
        "only tenant 'acme' or platform resources"
    ]


# Without landingzone:platform.tenants, a landing-zone name is told by its grammar: the tenant id, then an
# environment or a purpose, then anything (`globex-prod-trainer`, `globex-dataset-raw`), not only names
# ending in a purpose.
@pytest.mark.parametrize(
    ("resource", "other", "why"),
    [
        ("arn:aws:s3:::globex-dataset-raw/*", "globex", "a name containing '-dataset-'"),
        (
            "arn:aws:s3:::globex-model-registry-mirror-444455556666/*",
            "globex",
            "a name containing '-model-registry-'",
        ),
        ("arn:aws:iam::111122223333:role/globex-prod-trainer", "globex", "a name containing '-prod-'"),
        (
            "arn:aws:iam::111122223333:role/globex-labs-train-runner",
            "globex-labs",
            "a name containing '-train-'",
        ),
        ("arn:aws:s3:::globex-prod-dataset-raw/*", "globex", "a name containing '-prod-'"),
    ],
    ids=["purpose-then-more", "two-word-purpose", "env-then-more", "two-word-tenant", "env-then-purpose"],
)
def test_fail_policy_naming_another_tenants_resource_with_more_after_the_purpose(
    resource: str, other: str, why: str
):
    policy = doc({"Effect": "Allow", "Action": ["s3:GetObject", "iam:PassRole"], "Resource": resource})
    outcome = run_resource(no_other_tenant_references, ROLE_POLICY, changed(OWN_POLICY, "policy", policy))
    assert outcome.violations == [
        f"aws:iam/rolePolicy:RolePolicy 'subject' has policy referring to tenant '{other}' ({why}); "
        "required: only tenant 'acme' or platform resources"
    ]


def test_fail_role_input_naming_another_tenants_role_with_an_environment_inside():
    outcome = run_resource(
        no_other_tenant_references, ROLE_POLICY, changed(OWN_POLICY, "role", "globex-prod-trainer")
    )
    assert outcome.violations == [
        "aws:iam/rolePolicy:RolePolicy 'subject' has role referring to tenant 'globex' (a name containing "
        "'-prod-'); required: only tenant 'acme' or platform resources"
    ]


@pytest.mark.parametrize(
    "resource",
    [
        # The tenant's own and the platform's names.
        "arn:aws:s3:::acme-dataset-raw/*",
        "arn:aws:iam::111122223333:role/acme-prod-trainer",
        "arn:aws:s3:::platform-dataset-raw/*",
        # Names AWS and its tooling create, with a purpose or environment word inside.
        "arn:aws:s3:::aws-cloudtrail-logs-111122223333-1a2b3c4d/*",
        "arn:aws:s3:::amazon-cloudwatch-logs-agent/*",
        "arn:aws:iam::111122223333:role/eks-cluster-autoscaler",
        "arn:aws:iam::111122223333:role/vpc-flow-logs-delivery",
        "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*",
        # A name with a purpose word at its start or only in a suffix outside the vocabulary.
        "arn:aws:s3:::dataset-raw-444455556666/*",
        "arn:aws:iam::111122223333:role/globex-trainer",
    ],
)
def test_pass_names_with_a_purpose_or_environment_inside_that_are_no_other_tenants(resource: str):
    policy = doc({"Effect": "Allow", "Action": ["s3:GetObject", "iam:PassRole"], "Resource": resource})
    assert run_resource(no_other_tenant_references, ROLE_POLICY, changed(OWN_POLICY, "policy", policy)).passed


def test_pass_kubernetes_local_names_with_an_environment_inside():
    # A service account name resolves in the workload's own namespace: `llm-eval-runner` is the tenant's word.
    props = {
        "metadata": {"namespace": "acme-dev", "labels": {"tenant": "acme"}},
        "spec": {
            "template": {"spec": {"serviceAccountName": "llm-eval-runner", "containers": [{"name": "c"}]}}
        },
    }
    assert run_resource(no_other_tenant_references, DEPLOYMENT, props).passed


def test_fail_kubernetes_workload_pulling_another_tenants_image():
    image = "444455556666.dkr.ecr.eu-central-1.amazonaws.com/globex/models@sha256:" + "a" * 64
    props = {
        "metadata": {"namespace": "acme-dev", "labels": {"tenant": "acme"}},
        "spec": {"template": {"spec": {"containers": [{"name": "c", "image": image}]}}},
    }
    outcome = run_resource(no_other_tenant_references, DEPLOYMENT, props)
    assert outcome.violations == [
        "kubernetes:apps/v1:Deployment 'subject' has spec.template.spec.containers[0].image referring to "
        "tenant 'globex' (a tenant path segment); required: only tenant 'acme' or platform resources"
    ]


def test_fail_trust_policy_naming_another_tenants_namespace():
    trust = doc(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"oidc.eks/id/X:sub": "system:serviceaccount:globex-prod:job"}},
        }
    )
    outcome = run_resource(no_other_tenant_references, ROLE, {"assumeRolePolicy": trust, "tags": TAGS})
    assert len(outcome.violations) == 1
    assert "referring to tenant 'globex' (a namespace name ending in '-prod')" in outcome.violations[0]
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' has assumeRolePolicy referring to tenant 'globex' (a "
        "namespace name ending in '-prod'); required: only tenant 'acme' or platform resources",
    ]


def test_fail_tenant_tag_of_another_tenant():
    outcome = run_resource(no_other_tenant_references, KEY, {"tags": {**TAGS, "tenant": "globex"}})
    assert outcome.violations == ["aws:kms/key:Key 'subject' has tags.tenant 'globex'; required: 'acme'"]


def test_pass_ordinary_words_that_end_like_purposes():
    props = {
        "logDestinationType": "cloud-watch-logs",
        "contentType": "application/json",
        "name": "acme-flow-logs",
        "description": "reads training-data for the models",
    }
    assert run_resource(no_other_tenant_references, "aws:ec2/flowLog:FlowLog", props).passed


def test_pass_platform_names_from_the_stack_config(monkeypatch: pytest.MonkeyPatch):
    platform = {**PLATFORM, "security_archive_bucket": "secops-audit-log-999988887777"}
    original = harness.set_tenant
    monkeypatch.setattr(harness, "set_tenant", lambda tenant: original(tenant, platform))
    props = {
        "destination": "arn:aws:s3:::secops-audit-log-999988887777",
        "bucket": "acme-audit-log-111122223333",
    }
    assert run_resource(
        no_other_tenant_references, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", props
    ).passed


def test_shared_prefixes_are_configurable():
    props = {**OWN_POLICY, "bucket": "platform-model-registry-111122223333"}
    assert run_resource(no_other_tenant_references, ROLE_POLICY, props).passed
    outcome = run_resource(no_other_tenant_references, ROLE_POLICY, props, config={"sharedPrefixes": []})
    assert "referring to tenant 'platform'" in outcome.violations[0]


def test_pass_unknown_values_are_judged_on_the_resource_they_come_from():
    assert run_resource(no_other_tenant_references, ROLE_POLICY, {**OWN_POLICY, "role": UNKNOWN}).passed


def test_fail_no_tenant_id_means_no_resource_can_be_told_apart():
    outcome = run_resource(no_other_tenant_references, ROLE_POLICY, OWN_POLICY, tenant=NO_TENANT)
    assert outcome.violations == [
        "aws:iam/rolePolicy:RolePolicy 'subject': stack config landingzone:tenant.id is missing; required to "
        "tell the tenant's resources from other tenants'"
    ]
