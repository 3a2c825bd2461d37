"""TenantCluster: private endpoint (DATA-08), envelope-encrypted secrets (DATA-04), control-plane logs
(AUD-05) into a pre-created encrypted log group (AUD-03), the EKS Pod Identity agent, and the node role."""

from __future__ import annotations

import pytest

from components import TenantCluster
from tests.components.recording import (
    ACCOUNT_ID,
    ADMIN_ROLE_ARN,
    Recording,
    depends_on,
    document,
    mock_key_arn,
    property_errors,
    record,
    refused,
)
from tests.components.scenarios import CONTROL_PLANE_SG_ID, SUBNET_IDS, cluster_args, fixture_key

SECRETS_KEY_ARN = mock_key_arn("fixture-secrets-key")
LOGS_KEY_ARN = mock_key_arn("fixture-logs-key")


@pytest.fixture(scope="module")
def cluster(recorded) -> Recording:
    return recorded("cluster")


def test_the_cluster_endpoint_is_private_only_in_the_given_subnets_and_security_group(cluster):
    eks = cluster.one("aws:eks/cluster:Cluster")
    assert eks.inputs["name"] == "acme-cluster"
    assert eks.inputs["vpcConfig"] == {
        "endpointPublicAccess": False,
        "endpointPrivateAccess": True,
        "subnetIds": SUBNET_IDS,
        "securityGroupIds": [CONTROL_PLANE_SG_ID],
    }


def test_kubernetes_secrets_are_envelope_encrypted_with_the_secrets_key(cluster):
    eks = cluster.one("aws:eks/cluster:Cluster")
    assert eks.inputs["encryptionConfig"] == {
        "resources": ["secrets"],
        "provider": {"keyArn": SECRETS_KEY_ARN},
    }
    assert depends_on(eks, cluster.named("fixture-secrets-key"), "encryptionConfig")


def test_the_control_plane_logs_api_audit_and_authenticator(cluster):
    log_types = cluster.one("aws:eks/cluster:Cluster").inputs["enabledClusterLogTypes"]
    assert {"api", "audit", "authenticator"} <= set(log_types)
    assert log_types == ["api", "audit", "authenticator", "controllerManager", "scheduler"]


def test_the_control_plane_log_group_is_encrypted_retained_and_created_before_the_cluster(cluster):
    group = cluster.one("aws:cloudwatch/logGroup:LogGroup")
    eks = cluster.one("aws:eks/cluster:Cluster")
    assert group.inputs["name"] == "/aws/eks/acme-cluster/cluster"
    assert group.inputs["kmsKeyId"] == LOGS_KEY_ARN
    assert group.inputs["retentionInDays"] == 90
    assert depends_on(eks, group)
    assert cluster.resources.index(group) < cluster.resources.index(eks)


def test_the_cluster_grants_no_implicit_admin_and_the_platform_role_an_access_entry(cluster):
    eks = cluster.one("aws:eks/cluster:Cluster")
    assert eks.inputs["accessConfig"] == {
        "authenticationMode": "API",
        "bootstrapClusterCreatorAdminPermissions": False,
    }
    entry = cluster.one("aws:eks/accessEntry:AccessEntry")
    assert entry.inputs["principalArn"] == ADMIN_ROLE_ARN
    association = cluster.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert association.inputs["principalArn"] == ADMIN_ROLE_ARN
    assert depends_on(association, entry)


def test_the_cluster_role_is_trusted_by_eks_and_attached_before_the_cluster(cluster):
    role = cluster.named("cluster-role")
    assert role.inputs["name"] == "acme-eks-cluster"
    assert [s["Principal"] for s in document(role, "assumeRolePolicy")["Statement"]] == [
        {"Service": "eks.amazonaws.com"}
    ]
    attachment = cluster.named("cluster-policy")
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
    eks = cluster.one("aws:eks/cluster:Cluster")
    assert depends_on(eks, attachment)
    assert eks.inputs["roleArn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/acme-eks-cluster"


def test_workload_identity_is_the_pod_identity_agent_and_no_oidc_provider(cluster):
    agent = cluster.named("pod-identity-agent")
    assert agent.type == "aws:eks/addon:Addon"
    assert agent.inputs["addonName"] == "eks-pod-identity-agent"
    assert agent.inputs["clusterName"] == "acme-cluster"
    assert depends_on(agent, cluster.one("aws:eks/cluster:Cluster"), "clusterName")
    assert cluster.of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider") == []


def test_the_node_role_is_trusted_by_ec2_and_has_exactly_the_three_worker_policies(cluster):
    role = cluster.named("node-role")
    assert role.inputs["name"] == "acme-eks-node"
    assert role.inputs["maxSessionDuration"] == 3600
    assert [s["Principal"] for s in document(role, "assumeRolePolicy")["Statement"]] == [
        {"Service": "ec2.amazonaws.com"}
    ]
    attached = [
        a
        for a in cluster.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if depends_on(a, role, "role")
    ]
    assert sorted(a.inputs["policyArn"] for a in attached) == [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]


def test_no_cluster_role_attaches_administrator_access(cluster):
    arns = [
        a.inputs["policyArn"] for a in cluster.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    ]
    assert not [arn for arn in arns if arn.endswith("/AdministratorAccess")]


def test_the_log_group_retention_follows_the_args():
    def build() -> None:
        TenantCluster("acme-cluster", cluster_args(fixture_key("secrets").arn, log_retention_days=365))

    recording = record(build)
    assert recording.one("aws:cloudwatch/logGroup:LogGroup").inputs["retentionInDays"] == 365


# ---------------------------------------------------------------- args validation (at construction)


def _refused(**overrides) -> list[tuple[str, str]]:
    return property_errors(refused(lambda: TenantCluster("acme-cluster", cluster_args(**overrides))))


def test_log_types_without_audit_are_refused_naming_aud_05():
    assert _refused(log_types=["api", "authenticator"]) == [("log_types", "must include ['audit'] (AUD-05)")]


def test_log_types_missing_several_required_types_name_them_all():
    assert _refused(log_types=["scheduler"]) == [
        ("log_types", "must include ['api', 'audit', 'authenticator'] (AUD-05)")
    ]


def test_control_plane_log_retention_below_90_days_is_refused_naming_aud_03():
    assert _refused(log_retention_days=30) == [("log_retention_days", "30 is below 90 (AUD-03)")]


def test_every_cluster_args_problem_is_named_at_once_with_its_property_path():
    assert _refused(log_types=["api"], log_retention_days=7) == [
        ("log_types", "must include ['audit', 'authenticator'] (AUD-05)"),
        ("log_retention_days", "7 is below 90 (AUD-03)"),
    ]
