"""TEN: one compliant fixture per resource type (and one compliant stack), one change per failing case."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies.controls.ten_01.aws_tenant_tags import aws_tenant_tags
from mlops_policies.controls.ten_01.bucket_purpose_tags import bucket_purpose_tags
from mlops_policies.controls.ten_01.kubernetes_tenant_label import kubernetes_tenant_label
from mlops_policies.controls.ten_02.no_other_tenant_references import no_other_tenant_references
from mlops_policies.controls.ten_03.namespace_restricted_pod_security import namespace_restricted_pod_security
from mlops_policies.controls.ten_04.no_admin_policy_document import no_admin_policy_document
from mlops_policies.controls.ten_04.no_administrator_access import no_administrator_access
from mlops_policies.controls.ten_04.no_cluster_admin_binding import no_cluster_admin_binding
from mlops_policies.controls.ten_05.environment_namespaces import environment_namespaces_exist
from mlops_policies.controls.ten_05.environment_quota_and_network_policy import (
    environment_quota_and_network_policy,
)
from mlops_policies.controls.ten_05.environment_workload_role import environment_workload_role
from mlops_policies.controls.ten_05.role_single_environment import role_single_environment
from tests.policies import harness
from tests.policies.harness import (
    ACME,
    DELETE,
    GLOBEX,
    PLATFORM,
    UNKNOWN,
    Res,
    area_rules,
    changed,
    run_resource,
    run_stack,
)

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
KEY = "aws:kms/key:Key"
ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/policy:Policy"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
NAMESPACE = "kubernetes:core/v1:Namespace"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
QUOTA = "kubernetes:core/v1:ResourceQuota"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"

TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}
COMPLIANT_BUCKET = {
    "bucket": "acme-dataset-111122223333",
    "objectLockEnabled": False,
    "tags": {**TAGS, "purpose": "dataset", "data-classification": "confidential"},
}
NO_TENANT = {"tier": "standard", "network": {"cidr": "10.9.0.0/16"}}


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


# ---------------------------------------------------------------- TEN-01


def test_pass_tagged_bucket():
    for type_ in (BUCKET, BUCKET_V2):
        assert run_resource(aws_tenant_tags, type_, COMPLIANT_BUCKET).passed
        assert run_resource(bucket_purpose_tags, type_, COMPLIANT_BUCKET).passed


def test_fail_tag_of_another_tenant():
    outcome = run_resource(aws_tenant_tags, BUCKET, changed(COMPLIANT_BUCKET, "tags.tenant", "globex"))
    assert outcome.violations == ["aws:s3/bucket:Bucket 'subject' has tags.tenant 'globex'; required: 'acme'"]


def test_fail_taggable_type_without_any_tags():
    outcome = run_resource(aws_tenant_tags, KEY, {"enableKeyRotation": True})
    assert outcome.violations == [
        "aws:kms/key:Key 'subject' has tags.tenant missing; required: 'acme'",
        "aws:kms/key:Key 'subject' has tags.environment missing; required: a non-empty value",
        "aws:kms/key:Key 'subject' has tags.managed-by missing; required: a non-empty value",
    ]


def test_pass_types_without_tags_input_and_non_aws_types_are_not_judged():
    assert run_resource(aws_tenant_tags, "aws:s3/bucketVersioning:BucketVersioning", {"bucket": "b"}).passed
    assert run_resource(aws_tenant_tags, "pulumi:providers:aws", {"region": "us-east-1"}).passed
    assert run_resource(aws_tenant_tags, "mlops:tenant:LandingZone", {}).passed


def test_fail_type_unknown_to_pulumi_aws_is_judged_when_it_passes_tags():
    outcome = run_resource(aws_tenant_tags, "aws:future/thing:Thing", {"tags": {"tenant": "acme"}})
    assert len(outcome.violations) == 2


def test_pass_autoscaling_group_tags_as_a_list():
    tags = [{"key": k, "value": v, "propagateAtLaunch": True} for k, v in TAGS.items()]
    assert run_resource(aws_tenant_tags, "aws:autoscaling/group:Group", {"maxSize": 1, "tags": tags}).passed


def test_fail_every_resource_when_the_stack_has_no_tenant_id():
    outcome = run_resource(aws_tenant_tags, BUCKET, COMPLIANT_BUCKET, tenant=NO_TENANT)
    assert outcome.violations == [
        "aws:s3/bucket:Bucket 'subject': stack config landingzone:tenant.id is missing; required to check "
        "tags.tenant"
    ]


def test_undecided_unknown_tags():
    outcome = run_resource(aws_tenant_tags, BUCKET, changed(COMPLIANT_BUCKET, "tags", UNKNOWN))
    assert outcome.undecided is not None and outcome.violations == []


def test_fail_bucket_without_purpose_vocabulary_or_classification():
    outcome = run_resource(
        bucket_purpose_tags, BUCKET_V2, changed(COMPLIANT_BUCKET, "tags.purpose", "scratch")
    )
    assert outcome.violations == [
        "aws:s3/bucketV2:BucketV2 'subject' has tags.purpose 'scratch'; required: one of model-registry, "
        "audit-log, dataset, checkpoint, feature-store, experiment-tracking, artifacts"
    ]
    missing = changed(COMPLIANT_BUCKET, "tags.data-classification", DELETE)
    assert run_resource(bucket_purpose_tags, BUCKET, missing).violations == [
        "aws:s3/bucket:Bucket 'subject' has tags.data-classification missing; required: a non-empty value"
    ]


NAMESPACE_PROPS = {
    "metadata": {
        "name": "acme-dev",
        "labels": {
            "tenant": "acme",
            "environment": "dev",
            "pod-security.kubernetes.io/enforce": "restricted",
        },
    }
}


def test_pass_labelled_namespace_and_namespaced_object():
    assert run_resource(kubernetes_tenant_label, NAMESPACE, NAMESPACE_PROPS).passed
    config_map = {"metadata": {"namespace": "acme-dev", "labels": {"tenant": "acme"}}, "data": {"a": "b"}}
    assert run_resource(kubernetes_tenant_label, CONFIG_MAP, config_map).passed


def test_fail_namespace_without_tenant_label():
    outcome = run_resource(
        kubernetes_tenant_label, NAMESPACE, changed(NAMESPACE_PROPS, "metadata.labels.tenant", DELETE)
    )
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'subject' has metadata.labels.tenant missing; required: 'acme'"
    ]


def test_fail_namespaced_kind_in_the_default_namespace_still_needs_the_label():
    assert run_resource(kubernetes_tenant_label, CONFIG_MAP, {"data": {"a": "b"}}).violations


def test_fail_custom_resource_in_a_namespace():
    props = {"apiVersion": "x/v1", "kind": "Thing", "metadata": {"namespace": "acme-dev"}}
    assert run_resource(kubernetes_tenant_label, "kubernetes:x/v1:Thing", props).violations


def test_pass_cluster_scoped_objects_and_patches_are_not_judged():
    assert run_resource(
        kubernetes_tenant_label, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", {}
    ).passed
    assert run_resource(kubernetes_tenant_label, "kubernetes:core/v1:NamespacePatch", {}).passed


# ---------------------------------------------------------------- TEN-02

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


# ---------------------------------------------------------------- TEN-03


def test_pass_restricted_namespace():
    assert run_resource(namespace_restricted_pod_security, NAMESPACE, NAMESPACE_PROPS).passed


def test_fail_baseline_pod_security():
    props = changed(
        NAMESPACE_PROPS,
        "metadata.labels",
        {"tenant": "acme", "pod-security.kubernetes.io/enforce": "baseline"},
    )
    assert run_resource(namespace_restricted_pod_security, NAMESPACE, props).violations == [
        "kubernetes:core/v1:Namespace 'subject' has metadata.labels.pod-security.kubernetes.io/enforce "
        "'baseline'; required: 'restricted'"
    ]


def test_fail_missing_pod_security_label():
    props = changed(NAMESPACE_PROPS, "metadata.labels", {"tenant": "acme"})
    assert (
        "enforce missing" in run_resource(namespace_restricted_pod_security, NAMESPACE, props).violations[0]
    )


def test_undecided_unknown_labels():
    props = changed(NAMESPACE_PROPS, "metadata.labels", UNKNOWN)
    assert run_resource(namespace_restricted_pod_security, NAMESPACE, props).undecided is not None


# ---------------------------------------------------------------- TEN-04

READ = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}


def test_pass_scoped_policy_documents():
    assert run_resource(no_admin_policy_document, POLICY, {"policy": doc(READ)}).passed
    scoped_iam = {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::111122223333:role/acme-*"}
    assert run_resource(
        no_admin_policy_document, ROLE_POLICY, {"role": "r", "policy": doc(scoped_iam)}
    ).passed


def test_fail_star_on_star():
    outcome = run_resource(no_admin_policy_document, POLICY, {"policy": doc(READ, {**READ, "Action": "*"})})
    assert outcome.violations == [
        "aws:iam/policy:Policy 'subject' has policy with Allow Action '*' on Resource '*'; required: no "
        "administrator grants"
    ]


@pytest.mark.parametrize("action", ["iam:*", "KMS:*", "sts:*", "*:*", "iam:*"])
def test_fail_admin_services_on_star(action: str):
    policy = {"Version": "2012-10-17", "Statement": {**READ, "Action": action}}  # an object, a lone statement
    assert run_resource(no_admin_policy_document, ROLE_POLICY, {"role": "r", "policy": policy}).violations


def test_fail_not_action_on_star():
    statement = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    outcome = run_resource(no_admin_policy_document, POLICY, {"policy": doc(statement)})
    assert "Allow with NotAction on Resource '*'" in outcome.violations[0]


def test_fail_role_inline_policy():
    props = {
        "assumeRolePolicy": doc(),
        "inlinePolicies": [{"name": "x", "policy": doc({**READ, "Action": "*"})}],
    }
    assert run_resource(no_admin_policy_document, ROLE, props).violations == [
        "aws:iam/role:Role 'subject' has inlinePolicies[0].policy with Allow Action '*' on Resource '*'; "
        "required: no administrator grants"
    ]


def test_undecided_unknown_policy_document():
    assert run_resource(no_admin_policy_document, POLICY, {"policy": UNKNOWN}).undecided is not None


ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


def test_pass_attachment_of_a_stack_policy_in_a_first_preview():
    stack = [
        Res(POLICY, "reader", {"policy": doc(READ)}),
        Res(
            ATTACHMENT,
            "attach",
            {"role": "acme-dev-workload", "policyArn": UNKNOWN},
            prop_deps={"policyArn": ["reader"]},
        ),
    ]
    assert run_stack(no_administrator_access, stack).passed


def test_fail_administrator_access_attached_in_any_partition():
    for arn in (ADMIN_ARN, "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"):
        outcome = run_stack(
            no_administrator_access, [Res(ATTACHMENT, "attach", {"role": "r", "policyArn": arn})]
        )
        assert outcome.violations == [
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment 'attach' has policyArn AdministratorAccess; "
            "required: least-privilege policies of the stack"
        ]


def test_fail_administrator_access_in_managed_policy_arns():
    role = Res(
        ROLE,
        "admin",
        {
            "assumeRolePolicy": doc(),
            "managedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", ADMIN_ARN],
        },
    )
    assert run_stack(no_administrator_access, [role]).violations


def test_undecided_unknown_policy_arn_without_dependency():
    outcome = run_stack(
        no_administrator_access, [Res(ATTACHMENT, "attach", {"role": "r", "policyArn": UNKNOWN})]
    )
    assert outcome.violations == [] and outcome.undecided is not None


def test_fail_cluster_admin_binding():
    props = {
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "Group", "name": "acme-admins"}],
    }
    assert run_resource(no_cluster_admin_binding, CLUSTER_ROLE_BINDING, props).violations == [
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding 'subject' has roleRef.name "
        "'cluster-admin'; required: no cluster-admin binding in a tenant stack"
    ]
    assert run_resource(
        no_cluster_admin_binding, CLUSTER_ROLE_BINDING, changed(props, "roleRef.name", "view")
    ).passed


# ---------------------------------------------------------------- TEN-05

TENANT = {**ACME, "environments": ["dev", "prod"]}
DNS = {
    "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
}
DENY_ALL = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"], "egress": [DNS]}


def trust(*subjects: str) -> str:
    condition = (
        {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/X:sub": list(subjects)}} if subjects else {}
    )
    return doc(
        {
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/x"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            **({"Condition": condition} if condition else {}),
        }
    )


def environment(env: str, *, name: str | None = None) -> list[Res]:
    ns = f"acme-{env}"
    metadata = {
        "labels": {"tenant": "acme", "environment": env},
        **({"name": name or ns} if name != "" else {}),
    }
    in_ns = {"namespace": name or ns} if name != "" else {"namespace": UNKNOWN}
    deps = {"metadata": [ns]}
    return [
        Res(NAMESPACE, ns, {"metadata": metadata}),
        Res(
            QUOTA,
            f"{env}-quota",
            {"metadata": in_ns, "spec": {"hard": {"requests.cpu": "8"}}},
            prop_deps=deps,
        ),
        Res(NETWORK_POLICY, f"{env}-deny", {"metadata": in_ns, "spec": DENY_ALL}, prop_deps=deps),
        Res(
            ROLE,
            f"{env}-workload",
            {"assumeRolePolicy": trust(f"system:serviceaccount:{name or ns}:workload")},
        ),
    ]


STACK = [*environment("dev"), *environment("prod")]
TEN_05 = [
    environment_namespaces_exist,
    environment_quota_and_network_policy,
    environment_workload_role,
    role_single_environment,
]


def without(stack: list[Res], name: str) -> list[Res]:
    return [r for r in stack if r.name != name]


def replaced(stack: list[Res], name: str, props: dict[str, Any]) -> list[Res]:
    return [Res(r.type, r.name, props, prop_deps=r.prop_deps) if r.name == name else r for r in stack]


def test_pass_every_environment_has_namespace_quota_deny_policy_and_role():
    for rule in TEN_05:
        assert run_stack(rule, STACK, tenant=TENANT).passed, rule.name


def test_fail_configured_environment_without_namespace():
    outcome = run_stack(
        environment_namespaces_exist, STACK, tenant={**ACME, "environments": ["dev", "train", "prod"]}
    )
    assert outcome.violations == [
        "stack has no Namespace for environment 'train' (metadata.labels.environment 'train' or "
        "metadata.name 'acme-train'); required: one Namespace per configured environment"
    ]
    assert outcome.urns == [None]


def test_pass_default_environments_when_the_config_lists_none():
    assert run_stack(environment_namespaces_exist, STACK, tenant=ACME).passed


def test_fail_one_namespace_serving_two_environments():
    shared = {"metadata": {"name": "acme-dev", "labels": {"tenant": "acme", "environment": "prod"}}}
    other = {"metadata": {"name": "acme-other", "labels": {"tenant": "acme", "environment": "staging"}}}
    stack = replaced(replaced(STACK, "acme-prod", other), "acme-dev", shared)
    outcome = run_stack(environment_namespaces_exist, stack, tenant=TENANT)
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-dev' serves environments dev, prod; required: one Namespace per "
        "environment"
    ]


def test_fail_malformed_environments_config():
    outcome = run_stack(environment_namespaces_exist, STACK, tenant={**ACME, "environments": "dev"})
    assert outcome.violations == [
        "stack config landingzone:tenant.environments is not a list of environment names; required: a "
        "non-empty list such as ['dev', 'eval', 'train', 'staging', 'prod']"
    ]


def test_fail_environment_without_quota():
    outcome = run_stack(environment_quota_and_network_policy, without(STACK, "prod-quota"), tenant=TENANT)
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' (environment 'prod') has no ResourceQuota; required: one "
        "per environment namespace"
    ]


@pytest.mark.parametrize(
    "spec",
    [
        {"podSelector": {}, "policyTypes": ["Ingress"]},
        {"podSelector": {"matchLabels": {"app": "x"}}, "policyTypes": ["Ingress", "Egress"]},
        {**DENY_ALL, "ingress": [{"from": [{"podSelector": {}}]}]},
        {**DENY_ALL, "egress": [DNS, {"ports": [{"port": 443}]}]},
        {**DENY_ALL, "egress": [{**DNS, "to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}]},
    ],
)
def test_fail_network_policy_that_is_not_default_deny(spec: dict[str, Any]):
    stack = replaced(STACK, "dev-deny", {"metadata": {"namespace": "acme-dev"}, "spec": spec})
    violations = run_stack(environment_quota_and_network_policy, stack, tenant=TENANT).violations
    assert violations == [
        "kubernetes:core/v1:Namespace 'acme-dev' (environment 'dev') has no default-deny NetworkPolicy "
        "(spec.podSelector {}, policyTypes [Ingress, Egress], no ingress rules, egress at most DNS to "
        "kube-system); required: one per environment namespace"
    ]


def test_pass_first_preview_auto_named_namespaces_found_through_dependencies():
    stack = [*environment("dev", name=""), *environment("prod", name="")]
    assert run_stack(environment_quota_and_network_policy, stack, tenant=TENANT).passed


def test_undecided_quota_namespace_unknown_without_dependency():
    stack = [
        Res(r.type, r.name, r.props) if r.name == "dev-quota" else r for r in environment("dev", name="")
    ]
    stack = [*stack, *environment("prod")]
    outcome = run_stack(environment_quota_and_network_policy, stack, tenant=TENANT)
    assert outcome.violations == [] and outcome.undecided is not None


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
    assert len(outcome.violations) == 1 and "'acme-prod'" in outcome.violations[0]


def test_undecided_workload_role_of_auto_named_namespace_or_unknown_trust():
    auto = [*environment("dev", name=""), *environment("prod")]
    assert run_stack(environment_workload_role, auto, tenant=TENANT).undecided is not None
    unknown = replaced(STACK, "prod-workload", {"assumeRolePolicy": UNKNOWN})
    outcome = run_stack(environment_workload_role, unknown, tenant=TENANT)
    assert outcome.violations == [] and outcome.undecided is not None


def test_fail_role_trusting_two_environments():
    stack = [
        *STACK,
        Res(
            ROLE,
            "both",
            {
                "assumeRolePolicy": trust(
                    "system:serviceaccount:acme-dev:a", "system:serviceaccount:acme-prod:a"
                )
            },
        ),
    ]
    assert run_stack(role_single_environment, stack, tenant=TENANT).violations == [
        "aws:iam/role:Role 'both' has assumeRolePolicy trusting service accounts of environments dev, prod "
        "(namespaces acme-dev, acme-prod); required: one environment per role"
    ]


@pytest.mark.parametrize("subjects", [("system:serviceaccount:acme-*:trainer",), ()])
def test_fail_wildcard_or_missing_sub_condition_trusts_every_environment(subjects: tuple[str, ...]):
    stack = [*STACK, Res(ROLE, "wide", {"assumeRolePolicy": trust(*subjects)})]
    assert len(run_stack(role_single_environment, stack, tenant=TENANT).violations) == 1


# ---------------------------------------------------------------- never raises on malformed inputs

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.sampled_from(
        ["acme", "globex-dataset", "arn:aws:s3:::globex-data", "*", "Allow", "system:serviceaccount:x:y"]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "tenant",
                    "labels",
                    "name",
                    "namespace",
                    "Statement",
                    "Effect",
                    "Action",
                    "Resource",
                    "Condition",
                    "spec",
                    "podSelector",
                    "environment",
                ]
            ),
            children,
            max_size=3,
        )
    ),
    max_leaves=12,
)
PROPS = st.dictionaries(
    st.sampled_from(
        [
            "tags",
            "metadata",
            "policy",
            "assumeRolePolicy",
            "inlinePolicies",
            "roleRef",
            "spec",
            "policyArn",
            "managedPolicyArns",
            "bucket",
            "role",
        ]
    ),
    JSON,
    max_size=5,
)
ANY_TYPES = [BUCKET, KEY, ROLE, NAMESPACE, CONFIG_MAP, DEPLOYMENT]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=PROPS, tenant=st.sampled_from([TENANT, GLOBEX, NO_TENANT, None]))
def test_resource_rules_never_raise_on_malformed_inputs(props: dict[str, Any], tenant: Any):
    for rule in (r for r in area_rules("tenancy") if r.kind == "resource"):
        for type_ in rule.resource_types or ANY_TYPES:
            run_resource(rule, type_, props, tenant=tenant)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ns=PROPS, role=PROPS, policy=PROPS, environments=JSON)
def test_stack_rules_never_raise_on_malformed_inputs(ns: Any, role: Any, policy: Any, environments: Any):
    stack = [
        Res(NAMESPACE, "n", ns),
        Res(ROLE, "r", role),
        Res(NETWORK_POLICY, "p", policy, prop_deps={"metadata": ["n"]}),
        Res(ATTACHMENT, "a", policy, prop_deps={"policyArn": ["r"]}),
        *STACK,
    ]
    for rule in (r for r in area_rules("tenancy") if r.kind == "stack"):
        run_stack(rule, stack, tenant={**ACME, "environments": environments})
