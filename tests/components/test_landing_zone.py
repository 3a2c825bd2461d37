"""TenantLandingZone: one tenant's whole landing zone, composed of the other components and wired together."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.components.recording import (
    COMPONENT_PREFIX,
    UNKNOWN,
    Recording,
    depends_on,
    document,
    mock_id,
    statement,
)

ZONES = ["acme", "globex", "initech"]
EXPECTED_COUNTS = {
    # type: (acme, globex, initech)
    "aws:kms/key:Key": (4, 4, 4),
    "aws:kms/alias:Alias": (4, 4, 4),
    "aws:s3/bucket:Bucket": (5, 5, 4),
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": (2, 2, 2),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (3, 3, 2),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": (0, 1, 0),
    "aws:cloudtrail/trail:Trail": (1, 1, 1),
    "aws:cloudwatch/logGroup:LogGroup": (3, 3, 3),
    "aws:ec2/vpc:Vpc": (1, 1, 1),
    "aws:ec2/subnet:Subnet": (3, 3, 4),
    "aws:ec2/internetGateway:InternetGateway": (0, 0, 1),
    "aws:ec2/natGateway:NatGateway": (0, 0, 2),
    "aws:ec2/flowLog:FlowLog": (1, 1, 1),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (9, 9, 9),
    "aws:ec2/securityGroup:SecurityGroup": (3, 3, 3),
    "aws:ecr/repository:Repository": (2, 2, 2),
    "aws:signer/signingProfile:SigningProfile": (1, 1, 1),
    "aws:eks/cluster:Cluster": (1, 1, 1),
    "aws:eks/nodeGroup:NodeGroup": (3, 2, 2),
    "aws:ec2/launchTemplate:LaunchTemplate": (3, 2, 2),
    "kubernetes:core/v1:Namespace": (3, 5, 2),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": (3, 5, 2),
    "kubernetes:core/v1:ResourceQuota": (3, 5, 2),
    "kubernetes:core/v1:ServiceAccount": (3, 5, 2),
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy": (8, 8, 8),
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding": (8, 8, 8),
    "aws:eks/accessEntry:AccessEntry": (4, 1, 1),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (4, 1, 1),
    "aws:secretsmanager/secret:Secret": (1, 1, 0),
    "aws:secretsmanager/secretRotation:SecretRotation": (1, 1, 0),
    "aws:iam/accessKey:AccessKey": (0, 0, 0),
    "aws:iam/userLoginProfile:UserLoginProfile": (0, 0, 0),
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": (0, 0, 0),
}


@pytest.fixture(scope="module")
def acme(recorded) -> Recording:
    return recorded("zone-acme")


@pytest.fixture(scope="module")
def globex(recorded) -> Recording:
    return recorded("zone-globex")


@pytest.fixture(scope="module")
def initech(recorded) -> Recording:
    return recorded("zone-initech")


@pytest.fixture(params=ZONES)
def zone(request, recorded) -> tuple[str, Recording]:
    return request.param, recorded(f"zone-{request.param}")


def test_each_landing_zone_composes_the_components_its_config_asks_for(zone):
    tenant, recording = zone
    root = recording.named(tenant)
    assert root.type == "mlops:landingzone:TenantLandingZone"
    direct = Counter(r.type.removeprefix(COMPONENT_PREFIX) for r in recording.children_of(root.urn))
    pools = {"acme": 2, "globex": 1, "initech": 1}[tenant]
    secrets = {"acme": 1, "globex": 1, "initech": 0}[tenant]
    expected = Counter(
        TenantKeys=1,
        AuditLogSink=1,
        TenantNetwork=1,
        ImmutableRegistry=1,
        TenantCluster=1,
        TenantWorkspace=1,
        GpuNodePool=pools,
        SystemNodePool=1,
        TenantSecrets=secrets,
        TenantAdmission=1,
        TenantAccess=1,
    )
    assert direct == +expected


@pytest.mark.parametrize("type_token", EXPECTED_COUNTS)
def test_each_landing_zone_registers_the_expected_number_of_each_kind(recorded, type_token):
    counts = tuple(len(recorded(f"zone-{tenant}").of_type(type_token)) for tenant in ZONES)
    assert counts == EXPECTED_COUNTS[type_token]


def test_the_landing_zone_itself_registers_only_components(zone):
    tenant, recording = zone
    root = recording.named(tenant)
    assert all(not r.custom for r in recording.children_of(root.urn))


# ---------------------------------------------------------------- tiers


def test_a_standard_tenant_gets_governance_registry_lock_and_no_replication_or_data_events(acme):
    locks = {
        r.name: r.inputs["rule"]["defaultRetention"]
        for r in acme.of_type("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    }
    assert locks == {
        "acme-audit-logs-object-lock": {"mode": "COMPLIANCE", "days": 365},
        "acme-registry-models-object-lock": {"mode": "GOVERNANCE", "days": 30},
    }
    assert "eventSelectors" not in acme.one("aws:cloudtrail/trail:Trail").inputs


def test_a_regulated_tenant_gets_compliance_locks_and_longer_retention(globex):
    locks = {
        r.name: r.inputs["rule"]["defaultRetention"]
        for r in globex.of_type("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    }
    assert locks == {
        "globex-audit-logs-object-lock": {"mode": "COMPLIANCE", "days": 2557},
        "globex-registry-models-object-lock": {"mode": "COMPLIANCE", "days": 365},
    }
    for group in globex.of_type("aws:cloudwatch/logGroup:LogGroup"):
        assert group.inputs["retentionInDays"] == 365, group.name


def test_a_regulated_tenant_records_data_events_on_model_dataset_and_checkpoint_buckets(globex):
    (selector,) = globex.one("aws:cloudtrail/trail:Trail").inputs["eventSelectors"]
    assert selector["readWriteType"] == "All"
    (resources,) = selector["dataResources"]
    assert sorted(resources["values"]) == sorted(
        f"arn:aws:s3:::globex-{purpose}-444455556666/"
        for purpose in ["model-registry", "dataset", "checkpoint"]
    )


def test_a_regulated_tenant_replicates_its_audit_log_to_the_platform_archive(globex):
    replication = globex.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    assert replication.inputs["bucket"] == mock_id("globex-audit-logs-bucket")
    destination = replication.inputs["rules"][0]["destination"]
    assert destination["bucket"] == "arn:aws:s3:::platform-security-archive-eu"
    assert destination["encryptionConfiguration"] == {
        "replicaKmsKeyId": "arn:aws:kms:eu-central-1:999900001111:key/8f7e6d5c-4b3a-2910"
    }


def test_a_regulated_tenants_buckets_are_classified_restricted(globex):
    assert {b.inputs["tags"]["data-classification"] for b in globex.of_type("aws:s3/bucket:Bucket")} == {
        "restricted"
    }


def test_a_regulated_tenants_gpu_pool_is_dedicated(globex):
    (group,) = [
        g for g in globex.of_type("aws:eks/nodeGroup:NodeGroup") if "gpu-sharing" in g.inputs["labels"]
    ]
    assert group.inputs["labels"]["gpu-sharing"] == "dedicated"
    assert group.inputs["labels"]["nvidia.com/mig.config"] == "all-disabled"


# ---------------------------------------------------------------- wiring between components


def test_flow_logs_go_to_the_audit_sinks_flow_log_group(acme):
    flow_log = acme.one("aws:ec2/flowLog:FlowLog")
    assert depends_on(flow_log, acme.named("audit-flow"), "logDestination")
    policy = statement(acme.named("network-flow-logs-policy"), "WriteFlowLogsToTheAuditSink")
    group_name = acme.named("audit-flow").inputs["name"]
    assert policy["Resource"][0] == f"arn:aws:logs:us-east-1:111122223333:log-group:{group_name}"


def test_the_s3_endpoint_reaches_every_bucket_of_the_tenant_and_no_other(acme):
    names = sorted(b.inputs["bucket"] for b in acme.of_type("aws:s3/bucket:Bucket"))
    resources = statement(acme.named("network-s3-endpoint"), "TenantBucketsOnly")["Resource"]
    assert sorted(r for r in resources if not r.endswith("/*")) == [f"arn:aws:s3:::{n}" for n in names]


def test_every_encrypted_resource_uses_the_key_for_its_purpose(acme):
    key = {purpose: acme.named(f"keys-{purpose}") for purpose in ["data", "logs", "secrets", "registry"]}
    trail = acme.one("aws:cloudtrail/trail:Trail")
    assert depends_on(trail, key["logs"], "kmsKeyId")
    for group in acme.of_type("aws:cloudwatch/logGroup:LogGroup"):
        assert depends_on(group, key["logs"], "kmsKeyId"), group.name
    assert depends_on(acme.one("aws:eks/cluster:Cluster"), key["secrets"], "encryptionConfig")
    assert depends_on(acme.one("aws:secretsmanager/secret:Secret"), key["secrets"], "kmsKeyId")
    for template in acme.of_type("aws:ec2/launchTemplate:LaunchTemplate"):
        assert depends_on(template, key["data"], "blockDeviceMappings"), template.name
    for repository in acme.of_type("aws:ecr/repository:Repository"):
        assert depends_on(repository, key["registry"], "encryptionConfigurations"), repository.name
    sse = {
        r.name.removesuffix("-encryption"): r
        for r in acme.of_type(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
        )
    }
    assert depends_on(sse["acme-audit-logs"], key["logs"], "rules")
    assert depends_on(sse["acme-registry-models"], key["registry"], "rules")
    for artifact in ["dataset", "checkpoint", "feature-store"]:
        assert depends_on(sse[f"acme-registry-{artifact}"], key["data"], "rules"), artifact


def test_the_cluster_and_gpu_nodes_live_in_the_private_subnets(acme):
    private = sorted(mock_id(f"acme-network-private-us-east-1{z}") for z in "abc")
    assert sorted(acme.one("aws:eks/cluster:Cluster").inputs["vpcConfig"]["subnetIds"]) == private
    for group in acme.of_type("aws:eks/nodeGroup:NodeGroup"):
        assert sorted(group.inputs["subnetIds"]) == private, group.name


def test_gpu_nodes_join_the_tenant_cluster_with_its_node_role(acme):
    cluster = acme.one("aws:eks/cluster:Cluster")
    node_role = acme.named("cluster-node-role")
    for group in acme.of_type("aws:eks/nodeGroup:NodeGroup"):
        assert group.inputs["clusterName"] == "acme-cluster"
        assert depends_on(group, cluster, "clusterName")
        assert depends_on(group, node_role, "nodeRoleArn")


def test_workload_roles_are_bound_to_the_cluster_by_pod_identity_after_the_agent(acme):
    agent = acme.named("cluster-pod-identity-agent")
    for env in ["dev", "train", "prod"]:
        association = acme.named(f"workspace-{env}-pod-identity")
        assert association.inputs["clusterName"] == "acme-cluster"
        assert association.inputs["roleArn"] == f"arn:aws:iam::111122223333:role/acme-{env}-workload"
        assert depends_on(association, agent)
        (trust,) = document(acme.named(f"workspace-{env}-workload-role"), "assumeRolePolicy")["Statement"]
        assert trust["Condition"]["StringEquals"]["aws:RequestTag/eks-cluster-name"] == "acme-cluster"


def test_the_workspace_talks_to_the_tenant_cluster(acme):
    provider = acme.one("pulumi:providers:kubernetes")
    assert depends_on(provider, acme.one("aws:eks/cluster:Cluster"), "kubeconfig")
    assert "acme-cluster-eks.gr7.us-east-1.eks.amazonaws.com" in provider.inputs["kubeconfig"]


def test_namespace_quotas_bound_gpus_and_mig_slices_of_the_tenants_pools(acme):
    for env in ["dev", "train", "prod"]:
        hard = acme.named(f"workspace-{env}-quota").inputs["spec"]["hard"]
        # l40s: 1 GPU x 2 nodes dedicated; a100-mig: 2 x 3g.40gb per GPU x 8 GPUs x 4 nodes.
        assert hard["requests.nvidia.com/gpu"] == "2"
        assert hard["requests.nvidia.com/mig-3g.40gb"] == "64"


def test_gpu_nodes_are_bound_to_the_workloads_security_group_and_no_other(zone):
    _, recording = zone
    workloads = recording.named("network-workloads-sg")
    for template in recording.of_type("aws:ec2/launchTemplate:LaunchTemplate"):
        assert template.inputs["vpcSecurityGroupIds"] == [mock_id(workloads.name)], template.name
        assert depends_on(template, workloads, "vpcSecurityGroupIds"), template.name


def test_the_control_plane_uses_the_networks_control_plane_security_group(zone):
    _, recording = zone
    cluster = recording.one("aws:eks/cluster:Cluster")
    control_plane = recording.named("network-control-plane-sg")
    assert cluster.inputs["vpcConfig"]["securityGroupIds"] == [mock_id(control_plane.name)]
    assert depends_on(cluster, control_plane, "vpcConfig")


def test_gpu_node_groups_depend_on_the_node_roles_policy_attachments(acme):
    attachments = [
        a for a in acme.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment") if "-node-" in a.name
    ]
    assert len(attachments) == 3
    for group in acme.of_type("aws:eks/nodeGroup:NodeGroup"):
        for attachment in attachments:
            assert depends_on(group, attachment), (group.name, attachment.name)


# ---------------------------------------------------------------- a first preview


def test_a_first_preview_registers_the_same_resources(recorded, acme):
    preview = recorded("zone-acme", True)
    assert sorted((r.type, r.name) for r in preview.resources) == sorted(
        (r.type, r.name) for r in acme.resources
    )


def test_policy_documents_are_known_in_a_first_preview_except_those_built_from_new_resources(recorded):
    preview = recorded("zone-acme", True)
    known = [
        *preview.of_type("aws:kms/key:Key"),
        *preview.of_type("aws:s3/bucketPolicy:BucketPolicy"),
        *preview.of_type("aws:iam/rolePolicy:RolePolicy"),
        preview.named("network-s3-endpoint"),
    ]
    for resource in known:
        assert document(resource, "policy")["Statement"], resource.name
    for env in ["dev", "train", "prod"]:
        # Pod Identity trust names no resource output: whole in a first preview.
        role = preview.named(f"workspace-{env}-workload-role")
        assert (
            document(role, "assumeRolePolicy")["Statement"][0]["Condition"]["StringEquals"][
                "aws:RequestTag/kubernetes-namespace"
            ]
            == f"acme-{env}"
        )


def test_a_first_preview_knows_every_security_setting_that_does_not_come_from_a_new_resource(recorded):
    preview = recorded("zone-acme", True)
    cluster = preview.one("aws:eks/cluster:Cluster")
    assert cluster.inputs["vpcConfig"]["endpointPublicAccess"] is False
    assert cluster.inputs["encryptionConfig"]["resources"] == ["secrets"]
    assert cluster.inputs["encryptionConfig"]["provider"]["keyArn"] == UNKNOWN
    for group in preview.of_type("aws:eks/nodeGroup:NodeGroup"):
        assert group.inputs["taints"] in (
            [{"key": "tenant", "value": "acme", "effect": "NO_SCHEDULE"}],
            [{"key": "CriticalAddonsOnly", "value": "true", "effect": "NO_SCHEDULE"}],
        )
    assert [
        g.inputs["nodeGroupName"]
        for g in preview.of_type("aws:eks/nodeGroup:NodeGroup")
        if g.inputs["taints"][0]["key"] != "tenant"
    ] == ["acme-system"]
    for template in preview.of_type("aws:ec2/launchTemplate:LaunchTemplate"):
        assert template.inputs["metadataOptions"]["httpTokens"] == "required"
        assert template.inputs["blockDeviceMappings"][0]["ebs"]["kmsKeyId"] == UNKNOWN
