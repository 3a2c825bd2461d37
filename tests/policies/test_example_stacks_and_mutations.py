"""The example stacks are clean, and breaking any one security property makes the right policy fire.

Each mutation starts from an example stack's recorded resource graph (as the analyzer would receive
it), changes one property (or adds or removes one resource), and asserts which policy blocks it.
"""

from __future__ import annotations

import base64
import gzip
import ipaddress
import json
from collections.abc import Callable
from dataclasses import replace
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies import workloads
from mlops_policies.buckets import KINDS as s3_kinds
from tenantctl.program import ProgramRun, RecordedResource, record_stack
from tests.policies.inprocess import added, evaluate, mandatory_violations, mutated, removed, undecided

PROJECT = Path(__file__).resolve().parents[2]
STACKS = ["acme", "globex", "initech"]


# Workload identity is EKS Pod Identity: its trust and associations are plain strings, so a first
# preview decides every policy (IRSA trust named the cluster's OIDC issuer, assigned at creation).
@cache
def recorded(stack: str, preview: bool) -> ProgramRun:
    return record_stack(PROJECT, stack, preview=preview)


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("preview", [False, True], ids=["known-outputs", "first-preview"])
def test_example_stack_has_no_mandatory_violations(stack, preview):
    violations = mandatory_violations(evaluate(recorded(stack, preview)))
    assert [(d.policy, d.urn, d.message) for d in violations] == []


@pytest.mark.parametrize("stack", STACKS)
def test_example_stack_with_known_outputs_decides_every_policy(stack):
    assert [d.message for d in undecided(evaluate(recorded(stack, False)))] == []


@pytest.mark.parametrize("stack", STACKS)
def test_first_preview_decides_every_policy(stack):
    assert [(d.policy, d.message) for d in undecided(evaluate(recorded(stack, True)))] == []


# ---------------------------------------------------------------- mutation helpers


def set_path(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(props: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = props
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if isinstance(node, list):
            node[int(last)] = value
        elif value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value

    return mutate


def edit_document(prop: str, edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """Change a JSON policy document held as a string input."""

    def mutate(props: dict[str, Any]) -> None:
        document = json.loads(props[prop])
        edit(document)
        props[prop] = json.dumps(document)

    return mutate


def drop_statement(sid: str) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc.update(Statement=[s for s in doc["Statement"] if s.get("Sid") != sid])


def add_statement(statement: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["Statement"].append(statement)


DELETE = object()


def extra(stack: str, type_: str, name: str, properties: dict[str, Any]) -> RecordedResource:
    return RecordedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:{stack}::mlops-landing-zone::{type_}::{name}",
        parent="",
        custom=True,
        dependencies=(),
        property_dependencies={},
        properties=properties,
    )


def pod_template(container: dict[str, Any], **pod: Any) -> dict[str, Any]:
    return {
        "metadata": {"namespace": "acme-dev", "labels": {"tenant": "acme"}, "name": "trainer"},
        "spec": {"template": {"spec": {"containers": [container], **pod}}},
    }


DIGEST = "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/models@sha256:" + "a" * 64
TAGS = {"tenant": "acme", "environment": "dev", "managed-by": "mlops-landing-zone"}

# (id, stack, resource type suffix, resource name, change, expected policy)
Mutation = tuple[str, str, str, str, Callable[[dict[str, Any]], None], str]
MUTATIONS: list[Mutation] = [
    # provenance
    ("registry-bucket-without-object-lock", "acme", "s3/bucket:Bucket", "acme-registry-models-bucket",
     set_path("objectLockEnabled", False), "prov-01-registry-bucket-object-lock"),
    ("registry-retention-too-short", "acme", "BucketObjectLockConfiguration", "acme-registry-models-object-lock",
     set_path("rule.defaultRetention.days", 7), "prov-01-registry-default-retention"),
    ("registry-versioning-suspended", "acme", "BucketVersioning", "acme-registry-models-versioning",
     set_path("versioningConfiguration.status", "Suspended"), "prov-01-registry-versioning"),
    ("regulated-registry-in-governance-mode", "globex", "BucketObjectLockConfiguration",
     "globex-registry-models-object-lock", set_path("rule.defaultRetention.mode", "GOVERNANCE"),
     "prov-02-registry-compliance-retention"),
    ("ecr-mutable-tags", "acme", "ecr/repository:Repository", "acme-registry-models",
     set_path("imageTagMutability", "MUTABLE"), "prov-03-ecr-immutable-tags"),
    ("ecr-no-scan-on-push", "initech", "ecr/repository:Repository", "initech-registry-serving",
     set_path("imageScanningConfiguration.scanOnPush", False), "prov-03-ecr-scan-on-push"),
    ("regulated-ecr-aes256", "globex", "ecr/repository:Repository", "globex-registry-models",
     set_path("encryptionConfigurations.0.encryptionType", "AES256"), "prov-04-ecr-kms-encryption"),
    ("workload-role-can-also-deploy", "acme", "iam/rolePolicy:RolePolicy", "acme-workspace-train-workload-policy",
     edit_document("policy", add_statement({"Effect": "Allow", "Action": "eks:*", "Resource": "*"})),
     "prov-07-separation-of-duties"),
    # secrets
    ("key-rotation-off", "acme", "kms/key:Key", "acme-keys-data",
     set_path("enableKeyRotation", False), "sec-01-kms-key-rotation"),
    ("key-deletion-window-7-days", "globex", "kms/key:Key", "globex-keys-logs",
     set_path("deletionWindowInDays", 7), "sec-01-kms-deletion-window"),
    ("secret-on-aws-managed-key", "acme", "secretsmanager/secret:Secret", "acme-secrets-hf-token",
     set_path("kmsKeyId", "alias/aws/secretsmanager"), "sec-02-secret-tenant-key"),
    ("secret-without-key", "globex", "secretsmanager/secret:Secret", "globex-secrets-wandb-api-key",
     set_path("kmsKeyId", DELETE), "sec-02-secret-tenant-key"),
    ("secret-rotates-every-180-days", "acme", "SecretRotation", "acme-secrets-hf-token-rotation",
     set_path("rotationRules.automaticallyAfterDays", 180), "sec-03-secret-rotation"),
    ("workload-role-session-12-hours", "acme", "iam/role:Role", "acme-workspace-dev-workload-role",
     set_path("maxSessionDuration", 43200), "sec-06-pod-identity-session-duration"),
    ("workload-role-trusts-every-service-account", "acme", "iam/role:Role", "acme-workspace-prod-workload-role",
     edit_document("assumeRolePolicy", lambda d: d["Statement"][0].update(
         Condition={"StringLike": {"aws:RequestTag/kubernetes-service-account": "*"}})),
     "sec-06-pod-identity-trust-one-service-account"),
    ("workload-role-trust-without-tag-session", "initech", "iam/role:Role", "initech-workspace-dev-workload-role",
     edit_document("assumeRolePolicy", lambda d: d["Statement"][0].update(Action="sts:AssumeRole")),
     "sec-06-pod-identity-trust-one-service-account"),
    ("pod-identity-session-tags-off", "globex", "PodIdentityAssociation", "globex-workspace-prod-pod-identity",
     set_path("disableSessionTags", True), "sec-06-pod-identity-session-tags"),
    ("pod-identity-for-another-namespace", "acme", "PodIdentityAssociation", "acme-workspace-dev-pod-identity",
     set_path("namespace", "acme-prod"), "sec-06-pod-identity-association-matches-trust"),
    ("pod-identity-role-outside-the-stack", "initech", "PodIdentityAssociation",
     "initech-workspace-prod-pod-identity", set_path("roleArn", "arn:aws:iam::111122223333:role/shared"),
     "sec-06-pod-identity-association-matches-trust"),
    ("prod-pods-get-the-dev-role", "acme", "PodIdentityAssociation", "acme-workspace-prod-pod-identity",
     set_path("roleArn", "arn:aws:iam::111122223333:role/acme-dev-workload"),
     "ten-05-pod-identity-single-environment"),
    ("role-trusts-anyone", "initech", "iam/role:Role", "initech-cluster-node-role",
     edit_document("assumeRolePolicy", lambda d: d["Statement"][0].update(Principal="*")),
     "sec-06-no-wildcard-trust"),
    ("service-account-mounts-token", "acme", "ServiceAccount", "acme-workspace-dev-service-account",
     set_path("automountServiceAccountToken", True),
     "sec-07-sa-token-automount"),
    ("regulated-key-decryptable-by-anyone", "globex", "kms/key:Key", "globex-keys-data",
     edit_document("policy", add_statement(
         {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"})),
     "sec-08-kms-no-public-decrypt"),
    ("regulated-key-without-policy", "globex", "kms/key:Key", "globex-keys-secrets",
     set_path("policy", DELETE), "sec-08-kms-explicit-key-policy"),
    ("launch-template-user-data-with-access-key", "acme", "LaunchTemplate", "acme-gpu-l40s-lt",
     set_path("userData", "IyEvYmluL2Jhc2gKZXhwb3J0IEFXU19BQ0NFU1NfS0VZX0lEPUFLSUFJT1NGT0ROTjdFWEFNUExFCg=="),
     "sec-04-user-data-secrets"),
    # GPU isolation
    ("gpu-taint-removed", "acme", "NodeGroup", "acme-gpu-a100-mig-nodes",
     set_path("taints", []), "gpu-01-node-group-tenant-taint"),
    ("gpu-taint-names-another-tenant", "initech", "NodeGroup", "initech-gpu-h200-mig-nodes",
     set_path("taints.0.value", "acme"), "gpu-01-node-group-tenant-taint"),
    ("gpu-tenant-label-removed", "globex", "NodeGroup", "globex-gpu-h100-nodes",
     lambda p: p["labels"].pop("tenant"), "gpu-01-node-group-tenant-label"),
    ("gpu-sharing-label-missing", "acme", "NodeGroup", "acme-gpu-l40s-nodes",
     lambda p: p["labels"].pop("gpu-sharing"), "gpu-02-node-group-sharing-mode"),
    ("mig-layout-invalid-for-a100", "acme", "NodeGroup", "acme-gpu-a100-mig-nodes",
     lambda p: p["labels"].update({"nvidia.com/mig.config": "all-3g.71gb"}), "gpu-02-node-group-mig-layout"),
    ("time-slicing-enabled", "acme", "NodeGroup", "acme-gpu-l40s-nodes",
     lambda p: p["labels"].update({"nvidia.com/device-plugin.config": "time-slicing"}),
     "gpu-02-node-group-no-time-slicing"),
    ("regulated-pool-switched-to-mig", "globex", "NodeGroup", "globex-gpu-h100-nodes",
     lambda p: p["labels"].update({"gpu-sharing": "mig", "nvidia.com/mig.config": "all-1g.10gb"}),
     "gpu-03-regulated-dedicated-gpus"),
    ("gpu-pool-max-64-nodes", "acme", "NodeGroup", "acme-gpu-a100-mig-nodes",
     set_path("scalingConfig.maxSize", 64), "gpu-04-node-group-max-size"),
    ("quota-without-gpu-limit", "acme", "ResourceQuota", "acme-workspace-train-quota",
     lambda p: p["spec"]["hard"].pop("requests.nvidia.com/gpu"), "gpu-04-namespace-gpu-quota"),
    ("quota-without-mig-profile", "initech", "ResourceQuota", "initech-workspace-dev-quota",
     lambda p: p["spec"]["hard"].pop("requests.nvidia.com/mig-2g.35gb"), "gpu-04-namespace-gpu-quota"),
    ("imdsv1-allowed", "acme", "LaunchTemplate", "acme-gpu-a100-mig-lt",
     set_path("metadataOptions.httpTokens", "optional"), "gpu-05-node-group-imdsv2"),
    ("imds-hop-limit-2", "globex", "LaunchTemplate", "globex-gpu-h100-lt",
     set_path("metadataOptions.httpPutResponseHopLimit", 2), "gpu-05-node-group-imdsv2"),
    ("node-disk-unencrypted", "initech", "LaunchTemplate", "initech-gpu-h200-mig-lt",
     set_path("blockDeviceMappings.0.ebs.encrypted", "false"), "gpu-05-node-group-encrypted-disks"),
    ("ssh-to-gpu-nodes", "acme", "NodeGroup", "acme-gpu-l40s-nodes",
     set_path("remoteAccess", {"ec2SshKey": "ops"}), "gpu-05-node-group-no-remote-access"),
    # data leakage
    ("subnet-maps-public-ips", "acme", "ec2/subnet:Subnet", "acme-network-private-us-east-1a",
     set_path("mapPublicIpOnLaunch", True), "data-01-no-public-subnet"),
    ("default-sg-allows-ingress", "globex", "DefaultSecurityGroup", "globex-network-default-sg",
     set_path("ingress", [{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}]),
     "data-01-default-sg-no-rules"),
    ("private-subnet-routes-to-igw", "initech", "ec2/route:Route", "initech-network-private-us-west-2a-nat-route",
     lambda p: (p.pop("natGatewayId"), p.update(gatewayId="igw-0123456789abcdef0")),
     "data-01-internet-routes-from-egress-subnets"),
    ("private-subnet-routes-via-an-instance", "initech", "ec2/route:Route",
     "initech-network-private-us-west-2b-nat-route",
     lambda p: (p.pop("natGatewayId"), p.update(networkInterfaceId="eni-0123456789abcdef0")),
     "data-01-private-default-route-via-nat"),
    ("ssh-open-to-the-world", "acme", "ec2/securityGroup:SecurityGroup", "acme-network-workloads-sg",
     lambda p: p["ingress"].append({"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}),
     "data-02-no-open-ingress"),
    ("egress-to-anywhere", "initech", "ec2/securityGroup:SecurityGroup", "initech-network-workloads-sg",
     lambda p: p["egress"].append({"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}),
     "data-02-no-open-egress"),
    ("https-to-an-undeclared-destination", "initech", "ec2/securityGroup:SecurityGroup", "initech-network-workloads-sg",
     lambda p: p["egress"].append({"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["198.51.100.0/24"]}),
     "data-02-egress-to-declared-allowlist"),
    ("public-access-block-relaxed", "acme", "BucketPublicAccessBlock", "acme-registry-dataset-public-access",
     set_path("restrictPublicBuckets", False), "data-03-public-access-block-all-true"),
    ("bucket-policy-without-tls-deny", "globex", "BucketPolicy", "globex-registry-checkpoint-policy",
     edit_document("policy", drop_statement("DenyInsecureTransport")), "data-03-bucket-tls-only-policy"),
    ("ownership-allows-acls", "initech", "BucketOwnershipControls", "initech-registry-models-ownership",
     set_path("rule.objectOwnership", "ObjectWriter"), "data-03-ownership-bucket-owner-enforced"),
    ("bucket-encrypted-with-s3-keys", "acme", "BucketServerSideEncryptionConfiguration",
     "acme-registry-checkpoint-encryption",
     set_path("rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "AES256"),
     "data-04-bucket-encryption-tenant-key"),
    ("log-group-on-aws-managed-key", "acme", "cloudwatch/logGroup:LogGroup", "acme-audit-audit",
     set_path("kmsKeyId", "alias/aws/logs"), "data-04-log-group-tenant-key"),
    ("eks-secrets-not-encrypted", "initech", "eks/cluster:Cluster", "initech-cluster-eks",
     set_path("encryptionConfig", DELETE), "data-04-eks-secrets-tenant-key"),
    ("checkpoints-kept-two-years", "acme", "BucketLifecycleConfiguration", "acme-registry-checkpoint-lifecycle",
     set_path("rules.0.expiration.days", 730), "data-05-artifact-bucket-lifecycle"),
    ("s3-endpoint-allows-every-bucket", "globex", "ec2/vpcEndpoint:VpcEndpoint", "globex-network-s3-endpoint",
     edit_document("policy", add_statement({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})),
     "data-06-s3-endpoint-policy-scoped"),
    ("sts-endpoint-without-private-dns", "acme", "ec2/vpcEndpoint:VpcEndpoint", "acme-network-sts-endpoint",
     set_path("privateDnsEnabled", False), "data-06-vpc-interface-endpoints"),
    ("network-policy-allows-egress-anywhere", "acme", "NetworkPolicy", "acme-workspace-prod-default-deny",
     lambda p: p["spec"]["egress"].append({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}),
     "data-07-namespace-default-deny"),
    ("eks-endpoint-public", "globex", "eks/cluster:Cluster", "globex-cluster-eks",
     set_path("vpcConfig.endpointPublicAccess", True), "data-08-eks-endpoint-private"),
    # audit
    ("trail-single-region", "acme", "cloudtrail/trail:Trail", "acme-audit-trail",
     set_path("isMultiRegionTrail", False), "aud-01-trail-multi-region"),
    ("trail-without-log-validation", "globex", "cloudtrail/trail:Trail", "globex-audit-trail",
     set_path("enableLogFileValidation", False), "aud-01-trail-log-file-validation"),
    ("trail-without-global-events", "initech", "cloudtrail/trail:Trail", "initech-audit-trail",
     set_path("includeGlobalServiceEvents", False), "aud-01-trail-global-service-events"),
    ("trail-writes-to-a-dataset-bucket", "acme", "cloudtrail/trail:Trail", "acme-audit-trail",
     set_path("s3BucketName", "acme-dataset-111122223333"), "aud-01-trail-audit-log-bucket"),
    ("audit-lock-in-governance-mode", "acme", "BucketObjectLockConfiguration", "acme-audit-logs-object-lock",
     set_path("rule.defaultRetention.mode", "GOVERNANCE"), "aud-02-audit-compliance-retention"),
    ("audit-retention-30-days", "initech", "BucketObjectLockConfiguration", "initech-audit-logs-object-lock",
     set_path("rule.defaultRetention.days", 30), "aud-02-audit-compliance-retention"),
    ("audit-bucket-allows-deletes", "globex", "BucketPolicy", "globex-audit-logs-policy",
     edit_document("policy", drop_statement("AppendOnly")), "aud-02-audit-deny-delete"),
    ("audit-versioning-suspended", "acme", "BucketVersioning", "acme-audit-logs-versioning",
     set_path("versioningConfiguration.status", "Suspended"), "aud-02-audit-versioning"),
    ("log-group-kept-30-days", "acme", "cloudwatch/logGroup:LogGroup", "acme-cluster-control-plane-logs",
     set_path("retentionInDays", 30), "aud-03-log-group-retention"),
    ("flow-log-rejects-only", "initech", "ec2/flowLog:FlowLog", "initech-network-flow-log",
     set_path("trafficType", "REJECT"), "aud-04-vpc-flow-logs"),
    ("eks-audit-log-off", "acme", "eks/cluster:Cluster", "acme-cluster-eks",
     set_path("enabledClusterLogTypes", ["api", "authenticator"]), "aud-05-eks-control-plane-logs"),
    ("regulated-trail-without-data-events", "globex", "cloudtrail/trail:Trail", "globex-audit-trail",
     set_path("eventSelectors", DELETE), "aud-06-s3-data-events"),
    ("regulated-replication-to-wrong-bucket", "globex", "BucketReplicationConfig", "globex-audit-replication",
     set_path("rules.0.destination.bucket", "arn:aws:s3:::globex-private-copy"), "aud-07-audit-log-replication"),
    # tenancy
    ("resource-missing-tenant-tag", "acme", "ec2/vpc:Vpc", "acme-network-vpc",
     lambda p: p["tags"].pop("tenant"), "ten-01-aws-tenant-tags"),
    ("bucket-missing-classification", "initech", "s3/bucket:Bucket", "initech-registry-models-bucket",
     lambda p: p["tags"].pop("data-classification"), "ten-01-bucket-purpose-tags"),
    ("namespace-labelled-for-another-tenant", "acme", "core/v1:Namespace", "acme-workspace-dev-namespace",
     set_path("metadata.labels.tenant", "globex"), "ten-01-kubernetes-tenant-label"),
    ("reference-to-another-tenants-registry", "acme", "iam/rolePolicy:RolePolicy",
     "acme-workspace-dev-workload-policy",
     edit_document("policy", add_statement({"Effect": "Allow", "Action": "s3:GetObject",
                                            "Resource": "arn:aws:s3:::globex-model-registry-444455556666/*"})),
     "ten-02-no-other-tenant-references"),
    ("namespace-pod-security-privileged", "globex", "core/v1:Namespace", "globex-workspace-prod-namespace",
     lambda p: p["metadata"]["labels"].update({"pod-security.kubernetes.io/enforce": "privileged"}),
     "ten-03-namespace-restricted-pod-security"),
    ("role-policy-grants-everything", "initech", "iam/rolePolicy:RolePolicy", "initech-workspace-prod-workload-policy",
     edit_document("policy", add_statement({"Effect": "Allow", "Action": "*", "Resource": "*"})),
     "ten-04-no-admin-policy-document"),
    ("role-attaches-administrator-access", "acme", "RolePolicyAttachment", "acme-cluster-node-AmazonEKS_CNI_Policy",
     set_path("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"), "ten-04-no-administrator-access"),
]  # fmt: skip


def test_mutation_table_covers_at_least_sixty_cases_across_every_area():
    areas = {m[5].split("-")[0] for m in MUTATIONS}
    assert len(MUTATIONS) >= 60
    assert areas == {"prov", "sec", "gpu", "data", "aud", "ten"}


@pytest.mark.parametrize(
    ("case", "stack", "type_", "name", "change", "policy"), MUTATIONS, ids=[m[0] for m in MUTATIONS]
)
def test_breaking_one_property_fires_the_right_control(case, stack, type_, name, change, policy):
    # The example stacks are clean (tested above), so a firing policy was made to fire by this change.
    # Stack rules report on the owner (the bucket, the VPC, the namespace), so any URN counts.
    run = recorded(stack, False)
    violations = mandatory_violations(evaluate(mutated(run, type_, name, change), only=frozenset({policy})))
    assert policy in {d.policy for d in violations}


# ---------------------------------------------------------------- adding or removing a resource

ADDITIONS: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("internet-gateway-without-nat-allowlist", "acme", "aws:ec2/internetGateway:InternetGateway",
     {"vpcId": "vpc-1", "tags": TAGS}, "data-01-no-internet-gateway"),
    ("iam-access-key", "globex", "aws:iam/accessKey:AccessKey", {"user": "ci-bot"}, "sec-05-no-iam-access-keys"),
    ("console-login-profile", "acme", "aws:iam/userLoginProfile:UserLoginProfile", {"user": "ops"},
     "sec-05-no-iam-login-profiles"),
    ("image-by-tag", "acme", "kubernetes:apps/v1:Deployment",
     pod_template({"name": "t", "image": "acme/models:latest"}), "prov-06-images-pinned-by-digest"),
    ("privileged-pod", "acme", "kubernetes:apps/v1:Deployment",
     pod_template({"name": "t", "image": DIGEST, "securityContext": {"privileged": True}}),
     "gpu-06-pods-unprivileged"),
    ("host-network-pod", "acme", "kubernetes:batch/v1:Job",
     pod_template({"name": "t", "image": DIGEST}, hostNetwork=True), "gpu-06-pods-off-the-host"),
    ("gpu-pod-without-tenant-node-selector", "acme", "kubernetes:apps/v1:Deployment",
     pod_template({"name": "t", "image": DIGEST, "resources": {"limits": {"nvidia.com/gpu": "1"}}}),
     "gpu-06-gpu-pods-on-tenant-nodes"),
    ("plaintext-token-in-env", "acme", "kubernetes:apps/v1:Deployment",
     pod_template({"name": "t", "image": DIGEST, "env": [{"name": "HF_TOKEN", "value": "hf_abcdefghijklmnopqrstuvwxyz012345"}]}),
     "sec-04-k8s-env-secrets"),
    ("public-load-balancer-service", "acme", "kubernetes:core/v1:Service",
     {"metadata": {"namespace": "acme-prod", "labels": {"tenant": "acme"}}, "spec": {"type": "LoadBalancer"}},
     "data-08-service-internal-load-balancer"),
    ("cluster-admin-binding", "acme", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
     {"metadata": {"labels": {"tenant": "acme"}}, "roleRef": {"kind": "ClusterRole", "name": "cluster-admin",
      "apiGroup": "rbac.authorization.k8s.io"}, "subjects": [{"kind": "Group", "name": "acme-devs"}]},
     "ten-04-no-cluster-admin-binding"),
    ("vpc-peering", "initech", "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
     {"vpcId": "vpc-1", "peerVpcId": "vpc-2", "tags": TAGS}, "data-10-no-vpc-peering-or-tgw-attachment"),
    ("notebook-with-internet", "globex", "aws:sagemaker/notebookInstance:NotebookInstance",
     {"instanceType": "ml.t3.medium", "roleArn": "arn:aws:iam::1:role/x", "directInternetAccess": "Enabled",
      "rootAccess": "Disabled", "subnetId": "subnet-1", "tags": TAGS}, "data-09-notebook-no-direct-internet"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "stack", "type_", "props", "policy"), ADDITIONS, ids=[a[0] for a in ADDITIONS]
)
def test_adding_a_forbidden_resource_fires_the_right_control(case, stack, type_, props, policy):
    resource = extra(stack, type_, f"{stack}-{case}", props)
    violations = mandatory_violations(
        evaluate(added(recorded(stack, False), resource), only=frozenset({policy}))
    )
    assert policy in {d.policy for d in violations if d.urn == resource.urn}


REMOVALS = [
    ("no-flow-log", "acme", "ec2/flowLog:FlowLog", "acme-network-flow-log", "aud-04-vpc-flow-logs"),
    ("no-trail", "initech", "cloudtrail/trail:Trail", "initech-audit-trail", "aud-01-trail-exists"),
    ("no-secret-rotation", "acme", "SecretRotation", "acme-secrets-hf-token-rotation", "sec-03-secret-rotation"),
    ("no-signing-profile", "globex", "SigningProfile", "globex-registry-signing", "prov-05-signing-profile"),
    ("no-audit-replication", "globex", "BucketReplicationConfig", "globex-audit-replication",
     "aud-07-audit-log-replication"),
    ("no-default-deny", "acme", "NetworkPolicy", "acme-workspace-dev-default-deny", "data-07-namespace-default-deny"),
    ("no-quota", "globex", "ResourceQuota", "globex-workspace-eval-quota", "gpu-04-namespace-gpu-quota"),
    ("no-public-access-block", "initech", "BucketPublicAccessBlock", "initech-audit-logs-public-access",
     "data-03-bucket-has-public-access-block"),
    ("no-bucket-encryption", "acme", "BucketServerSideEncryptionConfiguration", "acme-registry-dataset-encryption",
     "data-04-bucket-has-encryption-config"),
    ("no-lifecycle", "globex", "BucketLifecycleConfiguration", "globex-registry-dataset-lifecycle",
     "data-05-artifact-bucket-lifecycle"),
    ("no-s3-endpoint", "acme", "ec2/vpcEndpoint:VpcEndpoint", "acme-network-s3-endpoint",
     "data-06-vpc-s3-gateway-endpoint"),
    ("no-managed-default-sg", "initech", "DefaultSecurityGroup", "initech-network-default-sg",
     "data-01-vpc-default-sg-managed"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "stack", "type_", "name", "policy"), REMOVALS, ids=[r[0] for r in REMOVALS])
def test_removing_a_required_resource_fires_the_right_control(case, stack, type_, name, policy):
    violations = mandatory_violations(
        evaluate(removed(recorded(stack, False), type_, name), only=frozenset({policy}))
    )
    assert policy in {d.policy for d in violations}


# ---------------------------------------------------------------- generated: every kind, every encoding

POD_KINDS = sorted(t for t in workloads.POD_SPEC_PATHS if not t.endswith("Patch"))
COMPLIANT_CONTAINER = {
    "name": "t",
    "image": DIGEST,
    "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
}
# A violation a pod spec can carry -> the container change and the policy it must fire.
POD_VIOLATIONS: dict[str, tuple[dict[str, Any], str]] = {
    "image-by-tag": ({"image": "acme/models:latest"}, "prov-06-images-pinned-by-digest"),
    "privileged": ({"securityContext": {"privileged": True}}, "gpu-06-pods-unprivileged"),
    "escalation-left-unset": ({"securityContext": {"capabilities": {"drop": ["ALL"]}}}, "gpu-06-pods-unprivileged"),
    "secret-named-literal": ({"env": [{"name": "DB_PASSWORD", "value": "$not-a-reference"}]}, "sec-04-k8s-env-secrets"),
}  # fmt: skip


def workload(type_: str, container: dict[str, Any]) -> dict[str, Any]:
    """A workload of any pod-template kind in acme-dev whose pod spec holds `container`."""
    spec: dict[str, Any] = {"containers": [container], "automountServiceAccountToken": False}
    for step in reversed(workloads.POD_SPEC_PATHS[type_]):
        spec = {step: spec}
    return {"metadata": {"name": "trainer", "namespace": "acme-dev", "labels": {"tenant": "acme"}}, **spec}


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(type_=st.sampled_from(POD_KINDS), violation=st.sampled_from(sorted(POD_VIOLATIONS)))
def test_a_violation_in_any_pod_template_kind_fires_the_right_control(type_, violation):
    change, policy = POD_VIOLATIONS[violation]
    resource = extra("acme", type_, "acme-generated", workload(type_, {**COMPLIANT_CONTAINER, **change}))
    violations = mandatory_violations(
        evaluate(added(recorded("acme", False), resource), only=frozenset({policy}))
    )
    assert policy in {d.policy for d in violations if d.urn == resource.urn}


POD_POLICIES = frozenset({
    "prov-06-images-pinned-by-digest", "gpu-06-pods-unprivileged", "gpu-06-pods-off-the-host",
    "sec-04-k8s-env-secrets", "sec-07-pod-token-automount", "ten-02-no-other-tenant-references",
    "gpu-06-pods-no-host-path-claims",
})  # fmt: skip


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(type_=st.sampled_from(POD_KINDS))
def test_a_compliant_workload_of_any_pod_template_kind_passes(type_):
    container = {**COMPLIANT_CONTAINER, "env": [{"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf",
                 "key": "token"}}}, {"name": "HF_HOME", "value": "$(HOME)/hf"}]}  # fmt: skip
    resource = extra("acme", type_, "import-dataset", workload(type_, container))
    violations = mandatory_violations(evaluate(added(recorded("acme", False), resource), only=POD_POLICIES))
    assert [d.message for d in violations if d.urn == resource.urn] == []


ENCODINGS = st.lists(st.sampled_from(["base64", "gzip", "mime"]), min_size=1, max_size=3)


def encode(text: str, layers: list[str]) -> str:
    for layer in layers:
        if layer == "gzip":
            text = base64.b64encode(gzip.compress(text.encode())).decode()
        elif layer == "mime":
            message = MIMEMultipart()
            message.attach(MIMEText(text, "x-shellscript"))
            text = message.as_string()
        else:
            text = base64.b64encode(text.encode()).decode()
    return text


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(layers=ENCODINGS)
def test_a_token_in_user_data_under_any_nesting_of_encodings_fires_sec_04(layers):
    user_data = encode("#!/bin/bash\nexport HF_TOKEN=Not-A-Real-Token-42\n", layers)
    resource = extra("acme", "aws:ec2/launchTemplate:LaunchTemplate", "acme-generated-lt",
                     {"userData": user_data, "tags": TAGS})  # fmt: skip
    policy = "sec-04-user-data-secrets"
    violations = mandatory_violations(
        evaluate(added(recorded("acme", False), resource), only=frozenset({policy}))
    )
    messages = [d.message for d in violations if d.urn == resource.urn]
    assert len(messages) == 1 and "Not-A-Real-Token-42" not in messages[0]


# ---------------------------------------------------------------- issue 14: generated classes
# Each class is generated from data (the SDK's type table, IAM's matching rules, CIDR arithmetic), not
# listed: a new equivalent type, spelling or split is tested without adding a row.


def retyped(run: ProgramRun, old: str, new: str) -> ProgramRun:
    """`run` with every resource of type `old` declared as the equivalent type `new` (URNs follow)."""

    def urn(value: str) -> str:
        return value.replace(f"::{old}::", f"::{new}::")

    resources = [
        replace(
            r,
            type=new if r.type == old else r.type,
            urn=urn(r.urn),
            parent=urn(r.parent),
            dependencies=tuple(urn(d) for d in r.dependencies),
            property_dependencies={k: [urn(d) for d in v] for k, v in r.property_dependencies.items()},
        )
        for r in run.resources
    ]
    return replace(run, resources=resources)


def equivalent_types() -> list[tuple[str, str]]:
    """(type, equivalent type) for every S3 sub-resource kind the SDK offers in more than one type."""
    return [(kind[0], other) for kind in s3_kinds.values() for other in kind[1:]]


def all_retyped(run: ProgramRun) -> ProgramRun:
    for old, new in equivalent_types():
        run = retyped(run, old, new)
    return run


def test_equivalent_types_are_generated_from_the_sdk_table():
    assert ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2") in (
        equivalent_types()
    )
    assert len(equivalent_types()) >= 5


@pytest.mark.parametrize("stack", STACKS)
def test_example_stack_stays_clean_with_every_equivalent_v2_type(stack):
    violations = mandatory_violations(evaluate(all_retyped(recorded(stack, False))))
    assert [(d.policy, d.message) for d in violations] == []


V2_MUTATIONS = [m for m in MUTATIONS if any(m[2] in old for old, _ in equivalent_types())]


@pytest.mark.parametrize(
    ("case", "stack", "type_", "name", "change", "policy"), V2_MUTATIONS, ids=[m[0] for m in V2_MUTATIONS]
)
def test_breaking_a_v2_typed_resource_fires_the_same_control(case, stack, type_, name, change, policy):
    run = all_retyped(recorded(stack, False))
    new_type = next(new for old, new in equivalent_types() if old.endswith(type_))
    violations = mandatory_violations(
        evaluate(mutated(run, new_type, name, change), only=frozenset({policy}))
    )
    assert policy in {d.policy for d in violations}


def action_spellings(action: str) -> list[str]:
    """Spellings IAM treats as granting `action`: case changes, `*` after every prefix, `?` for a letter."""
    service, name = action.split(":")
    found = [action.upper(), action.lower(), f"{service.upper()}:{name}", "*", f"{service}:*"]
    found += [f"{service}:{name[:cut]}*" for cut in range(1, len(name))]
    found += [f"{service}:{name[:i]}?{name[i + 1 :]}" for i in range(0, len(name), 3)]
    return list(dict.fromkeys(found))


def test_action_spellings_are_generated():
    assert {"KMS:DECRYPT", "kms:De*", "kms:?ecrypt", "*"} <= set(action_spellings("kms:Decrypt"))


@pytest.mark.parametrize("action", action_spellings("kms:Decrypt"))
def test_every_spelling_of_decrypt_for_everyone_fires(action):
    statement = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": action, "Resource": "*"}
    change = edit_document("policy", add_statement(statement))
    run = mutated(recorded("globex", False), "kms/key:Key", "globex-keys-data", change)
    violations = mandatory_violations(evaluate(run, only=frozenset({"sec-08-kms-no-public-decrypt"})))
    assert {d.policy for d in violations} == {"sec-08-kms-no-public-decrypt"}


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["*"]}, {"AWS": "arn:aws:iam::*:root"}])
def test_every_spelling_of_everyone_in_a_trust_policy_fires(principal):
    change = edit_document("assumeRolePolicy", lambda d: d["Statement"][0].update(Principal=principal))
    run = mutated(recorded("initech", False), "iam/role:Role", "initech-cluster-node-role", change)
    violations = mandatory_violations(evaluate(run, only=frozenset({"sec-06-no-wildcard-trust"})))
    assert {d.policy for d in violations} == {"sec-06-no-wildcard-trust"}


def internet_splits() -> list[list[str]]:
    """CIDR sets that together are the internet: 2, 4 and 8 equal parts, and 0.0.0.0/0 minus 10/8."""
    whole = ipaddress.ip_network("0.0.0.0/0")
    splits = [[str(n) for n in whole.subnets(new_prefix=depth)] for depth in (1, 2, 3)]
    splits.append([str(n) for n in whole.address_exclude(ipaddress.ip_network("10.0.0.0/8"))])
    return splits


@pytest.mark.parametrize("cidrs", internet_splits(), ids=lambda c: f"{len(c)}-cidrs")
def test_every_split_of_the_internet_in_ingress_fires(cidrs):
    rule = {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": cidrs}
    run = mutated(recorded("acme", False), "ec2/securityGroup:SecurityGroup", "acme-network-workloads-sg",
                  lambda p: p["ingress"].append(rule))  # fmt: skip
    violations = mandatory_violations(evaluate(run, only=frozenset({"data-02-no-open-ingress"})))
    assert {d.policy for d in violations} == {"data-02-no-open-ingress"}


def bucket_wildcards(tenant: str) -> list[str]:
    """Resource patterns that reach beyond the tenant's named buckets, generated from its id."""
    found = ["*", "arn:*", "arn:aws:s3:::*", "arn:*:s3:::*/*", f"arn:aws:s3:::{tenant}-*"]
    found += [f"arn:aws:s3:::{tenant[:cut]}*" for cut in range(1, len(tenant) + 1)]
    return found


@pytest.mark.parametrize("resource", bucket_wildcards("acme"))
def test_every_bucket_wildcard_in_the_s3_endpoint_policy_fires(resource):
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": resource}
    change = edit_document("policy", add_statement(statement))
    run = mutated(recorded("acme", False), "ec2/vpcEndpoint:VpcEndpoint", "acme-network-s3-endpoint", change)
    violations = mandatory_violations(evaluate(run, only=frozenset({"data-06-s3-endpoint-policy-scoped"})))
    assert {d.policy for d in violations} == {"data-06-s3-endpoint-policy-scoped"}
