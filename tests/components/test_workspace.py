"""TenantWorkspace: per environment a restricted namespace (TEN-03), default-deny network policy (DATA-07),
GPU quota (GPU-04), limits, and a workload identity scoped to one service account (SEC-06/07, TEN-05,
PROV-07)."""

from __future__ import annotations

import pulumi
import pytest

from components import TenantWorkspace
from tests.components.recording import (
    ACCOUNT_ID,
    REGION,
    Recording,
    as_list,
    capture_options,
    document,
    property_errors,
    record,
    refused,
    statement,
    statements,
)
from tests.components.scenarios import (
    BUCKETS,
    CLUSTER_NAME,
    ENVIRONMENTS,
    KUBECONFIG,
    QUOTAS,
    workspace_args,
)

REGISTRY_ARN = f"arn:aws:s3:::{BUCKETS['model-registry']}"
DEPLOY_ACTION_PREFIXES = ("eks:", "sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint")


@pytest.fixture(scope="module")
def workspace(recorded) -> Recording:
    """Environments dev, train, prod with their own quotas."""
    return recorded("workspace")


def _in_env(workspace: Recording, env: str, part: str):
    return workspace.named(f"workspace-{env}-{part}")


def test_there_is_one_namespace_per_environment_named_tenant_dash_env(workspace):
    namespaces = workspace.of_type("kubernetes:core/v1:Namespace")
    assert sorted(n.inputs["metadata"]["name"] for n in namespaces) == sorted(
        f"acme-{e}" for e in ENVIRONMENTS
    )


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_namespaces_are_labelled_for_the_tenant_and_enforce_restricted_pod_security(workspace, env):
    labels = _in_env(workspace, env, "namespace").inputs["metadata"]["labels"]
    assert labels["tenant"] == "acme"
    assert labels["environment"] == env
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    assert labels["pod-security.kubernetes.io/audit"] == "restricted"
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_namespace_denies_all_traffic_but_dns_to_kube_system(workspace, env):
    policy = _in_env(workspace, env, "default-deny")
    assert policy.type == "kubernetes:networking.k8s.io/v1:NetworkPolicy"
    assert policy.inputs["metadata"]["namespace"] == f"acme-{env}"
    assert policy.inputs["spec"] == {
        "podSelector": {},
        "policyTypes": ["Ingress", "Egress"],
        "egress": [
            {
                "to": [
                    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}
                ],
                "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
            }
        ],
    }
    assert "ingress" not in policy.inputs["spec"]


def test_there_is_exactly_one_network_policy_per_namespace(workspace):
    policies = workspace.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")
    assert sorted(p.inputs["metadata"]["namespace"] for p in policies) == sorted(
        f"acme-{e}" for e in ENVIRONMENTS
    )


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_namespace_has_a_resource_quota_with_exactly_the_given_hard_limits(workspace, env):
    quota = _in_env(workspace, env, "quota")
    assert quota.inputs["metadata"]["namespace"] == f"acme-{env}"
    assert quota.inputs["spec"] == {"hard": QUOTAS[env]}
    assert "requests.nvidia.com/gpu" in quota.inputs["spec"]["hard"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_namespace_has_container_default_limits(workspace, env):
    limits = _in_env(workspace, env, "limits")
    assert limits.inputs["metadata"]["namespace"] == f"acme-{env}"
    assert limits.inputs["spec"]["limits"] == [
        {
            "type": "Container",
            "default": {"cpu": "1", "memory": "2Gi"},
            "defaultRequest": {"cpu": "250m", "memory": "512Mi"},
        }
    ]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_workload_service_account_mounts_no_token_and_carries_no_irsa_annotation(workspace, env):
    account = _in_env(workspace, env, "service-account")
    assert account.inputs["automountServiceAccountToken"] is False
    assert account.inputs["metadata"]["name"] == "workload"
    assert account.inputs["metadata"]["namespace"] == f"acme-{env}"
    assert "annotations" not in account.inputs["metadata"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_a_pod_identity_association_binds_the_service_account_to_its_environments_role(workspace, env):
    association = _in_env(workspace, env, "pod-identity")
    assert association.type == "aws:eks/podIdentityAssociation:PodIdentityAssociation"
    assert {k: association.inputs.get(k) for k in
            ("clusterName", "namespace", "serviceAccount", "roleArn", "disableSessionTags")} == {
        "clusterName": CLUSTER_NAME,
        "namespace": f"acme-{env}",
        "serviceAccount": "workload",
        "roleArn": f"arn:aws:iam::{ACCOUNT_ID}:role/acme-{env}-workload",
        "disableSessionTags": False,
    }  # fmt: skip
    assert _in_env(workspace, env, "workload-role").urn in association.dependencies


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_workload_role_is_short_lived_and_named_for_its_environment(workspace, env):
    role = _in_env(workspace, env, "workload-role")
    assert role.inputs["name"] == f"acme-{env}-workload"
    assert role.inputs["maxSessionDuration"] == 3600
    assert role.inputs["tags"]["environment"] == env


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_workload_role_trusts_pod_identity_for_exactly_its_namespaces_service_account(workspace, env):
    (trust,) = statements(_in_env(workspace, env, "workload-role"), "assumeRolePolicy")
    assert trust == {
        "Sid": "EksPodIdentity",
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {
            "StringEquals": {
                "aws:SourceAccount": ACCOUNT_ID,
                "aws:RequestTag/eks-cluster-name": CLUSTER_NAME,
                "aws:RequestTag/kubernetes-namespace": f"acme-{env}",
                "aws:RequestTag/kubernetes-service-account": "workload",
            }
        },
    }


def test_no_workload_role_trusts_service_accounts_of_two_environments(workspace):
    namespaces = {}
    for env in ENVIRONMENTS:
        (trust,) = statements(_in_env(workspace, env, "workload-role"), "assumeRolePolicy")
        namespaces[env] = as_list(trust["Condition"]["StringEquals"]["aws:RequestTag/kubernetes-namespace"])
        assert "StringLike" not in trust["Condition"]
    assert namespaces == {env: [f"acme-{env}"] for env in ENVIRONMENTS}


def test_only_train_may_write_to_the_model_registry(workspace):
    for env in ENVIRONMENTS:
        policy = _in_env(workspace, env, "workload-policy")
        writes_registry = [
            s
            for s in statements(policy)
            if any(a in ("s3:PutObject", "s3:*", "*") for a in as_list(s["Action"]))
            and any(r.startswith(REGISTRY_ARN) for r in as_list(s["Resource"]))
        ]
        assert bool(writes_registry) is (env == "train"), env
    assert statement(_in_env(workspace, "train", "workload-policy"), "ReadModels")["Action"] == [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
    ]


def test_no_workload_role_may_deploy(workspace):
    for env in ENVIRONMENTS:
        for s in statements(_in_env(workspace, env, "workload-policy")):
            actions = as_list(s["Action"])
            assert "*" not in actions
            assert not [a for a in actions if a.startswith(DEPLOY_ACTION_PREFIXES)], (env, s["Sid"])


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_workload_roles_reach_only_their_environments_artifact_prefixes(workspace, env):
    policy = _in_env(workspace, env, "workload-policy")
    artifacts = statement(policy, "EnvironmentArtifacts")
    assert sorted(artifacts["Resource"]) == sorted(
        f"arn:aws:s3:::{BUCKETS[p]}/{env}/*" for p in ("dataset", "checkpoint")
    )
    listing = statement(policy, "ListEnvironmentArtifacts")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": [f"{env}/*"]}}
    assert not [r for s in statements(policy) for r in as_list(s["Resource"]) if BUCKETS["audit-log"] in r], (
        "workloads never touch the audit log"
    )


def test_workload_roles_use_only_tenant_tagged_keys_and_pull_only_tenant_images(workspace):
    policy = _in_env(workspace, "dev", "workload-policy")
    keys = statement(policy, "UseTenantKeys")
    assert keys["Condition"] == {"StringEquals": {"aws:ResourceTag/tenant": "acme"}}
    pull = statement(policy, "PullTenantImages")
    assert pull["Resource"] == f"arn:aws:ecr:{REGION}:{ACCOUNT_ID}:repository/acme/*"


def test_the_workspace_builds_its_own_kubernetes_provider_from_the_kubeconfig(workspace):
    provider = workspace.one("pulumi:providers:kubernetes")
    assert provider.inputs["kubeconfig"] == KUBECONFIG
    assert provider.name == "acme-workspace-k8s"


def test_every_kubernetes_object_uses_the_workspaces_own_provider():
    captured: dict[str, pulumi.ResourceOptions] = {}
    built: list[TenantWorkspace] = []

    def build() -> None:
        built.append(TenantWorkspace("acme-workspace", workspace_args(), opts=capture_options(captured)))

    recording = record(build)
    objects = [r for r in recording.resources if r.type.startswith("kubernetes:")]
    assert len(objects) == 5 * len(ENVIRONMENTS)
    for resource in objects:
        assert captured[resource.name].provider is built[0].provider, resource.name


# ---------------------------------------------------------------- args validation (at construction)


def _refused(**overrides) -> list[tuple[str, str]]:
    return property_errors(refused(lambda: TenantWorkspace("acme-workspace", workspace_args(**overrides))))


def test_an_environment_without_a_quota_is_refused_naming_gpu_04():
    assert _refused(environments=["dev", "eval", "staging"], quotas={"dev": QUOTAS["dev"]}) == [
        ("quotas", "missing for environments ['eval', 'staging'] (GPU-04)")
    ]


def test_a_quota_without_a_gpu_limit_is_refused_naming_gpu_04():
    quotas = {**QUOTAS, "dev": {"requests.cpu": "8", "requests.memory": "32Gi"}}
    assert _refused(quotas=quotas) == [("quotas.dev", "leaves requests.nvidia.com/gpu unbounded (GPU-04)")]


def test_every_workspace_args_problem_is_named_at_once_with_its_property_path():
    quotas = {"dev": {"requests.cpu": "8"}}
    assert _refused(environments=["dev", "prod"], quotas=quotas, kubeconfig=None) == [
        ("quotas", "missing for environments ['prod'] (GPU-04)"),
        ("quotas.dev", "leaves requests.nvidia.com/gpu unbounded (GPU-04)"),
        ("kubeconfig", "required for part all"),
    ]


def test_trust_and_association_are_known_in_a_first_preview(recorded):
    preview = recorded("workspace", True)
    role = preview.named("workspace-dev-workload-role")
    assert document(role, "assumeRolePolicy")["Statement"][0]["Principal"] == {
        "Service": "pods.eks.amazonaws.com"
    }
    association = preview.named("workspace-dev-pod-identity")
    assert association.inputs["roleArn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/acme-dev-workload"
