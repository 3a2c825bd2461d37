"""Each example stack registers its complete landing zone, as `pulumi up` would, in both preview modes."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from landingzone.config import ConfigError
from tenantctl.program import ProgramError, record_stack

PROJECT = Path(__file__).resolve().parents[2]
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

# Kinds and counts that follow from each stack file (AZs, pools, environments, buckets, secrets).
EXPECTED = {
    "acme": {
        "aws:kms/key:Key": 4,
        "aws:ec2/vpc:Vpc": 1,
        "aws:ec2/subnet:Subnet": 3,
        "aws:ec2/internetGateway:InternetGateway": 0,
        "aws:ec2/natGateway:NatGateway": 0,
        "aws:ec2/vpcEndpoint:VpcEndpoint": 9,
        "aws:s3/bucket:Bucket": 5,
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": 2,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 3,
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig": 0,
        "aws:ecr/repository:Repository": 2,
        "aws:signer/signingProfile:SigningProfile": 1,
        "aws:cloudtrail/trail:Trail": 1,
        "aws:eks/cluster:Cluster": 1,
        "aws:eks/nodeGroup:NodeGroup": 3,
        "aws:ec2/launchTemplate:LaunchTemplate": 3,
        "kubernetes:core/v1:Namespace": 3,
        "kubernetes:core/v1:ResourceQuota": 3,
        "kubernetes:networking.k8s.io/v1:NetworkPolicy": 3,
        "kubernetes:core/v1:ServiceAccount": 3,
        "aws:secretsmanager/secret:Secret": 1,
        "aws:secretsmanager/secretRotation:SecretRotation": 1,
    },
    "globex": {
        "aws:ec2/subnet:Subnet": 3,
        "aws:ec2/internetGateway:InternetGateway": 0,
        "aws:s3/bucket:Bucket": 5,
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig": 1,
        "aws:eks/nodeGroup:NodeGroup": 2,
        "kubernetes:core/v1:Namespace": 5,
        "kubernetes:core/v1:ResourceQuota": 5,
        "aws:secretsmanager/secret:Secret": 1,
    },
    "initech": {
        "aws:ec2/subnet:Subnet": 4,
        "aws:ec2/internetGateway:InternetGateway": 1,
        "aws:ec2/natGateway:NatGateway": 2,
        "aws:ec2/eip:Eip": 2,
        "aws:s3/bucket:Bucket": 4,
        "aws:eks/nodeGroup:NodeGroup": 2,
        "kubernetes:core/v1:Namespace": 2,
        "aws:secretsmanager/secret:Secret": 0,
    },
}
COMPONENTS = {
    f"mlops:landingzone:{name}"
    for name in (
        "TenantLandingZone", "TenantKeys", "AuditLogSink", "TenantNetwork", "ImmutableRegistry",
        "TenantCluster", "GpuNodePool", "SystemNodePool", "TenantWorkspace",
    )
}  # fmt: skip


@pytest.fixture(scope="module", params=["acme", "globex", "initech"])
def stack(request):
    return request.param


@pytest.mark.parametrize("preview", [True, False], ids=["first-preview", "known-outputs"])
def test_example_stack_registers_its_complete_landing_zone(stack, preview):
    run = record_stack(PROJECT, stack, preview=preview)
    counts = Counter(r.type for r in run.resources)
    assert {kind: counts[kind] for kind in EXPECTED[stack]} == EXPECTED[stack]
    assert set(counts) >= COMPONENTS


def test_first_preview_leaves_computed_ids_unknown_and_known_mode_resolves_them(stack):
    def bucket_refs(preview: bool) -> list[str]:
        run = record_stack(PROJECT, stack, preview=preview)
        return [
            r.inputs["bucket"] for r in run.resources if r.type == "aws:s3/bucketVersioning:BucketVersioning"
        ]

    assert set(bucket_refs(preview=True)) == {UNKNOWN}
    assert UNKNOWN not in bucket_refs(preview=False)


def test_relationships_survive_a_first_preview_through_property_dependencies(stack):
    run = record_stack(PROJECT, stack, preview=True)
    buckets = {r.urn for r in run.resources if r.type == "aws:s3/bucket:Bucket"}
    versionings = [r for r in run.resources if r.type == "aws:s3/bucketVersioning:BucketVersioning"]
    assert {r.property_dependencies["bucket"][0] for r in versionings} == buckets


def test_every_resource_is_parented_under_the_landing_zone(stack):
    run = record_stack(PROJECT, stack, preview=True)
    root = next(r.urn for r in run.resources if r.type == "mlops:landingzone:TenantLandingZone")
    parents = {r.urn: r.parent for r in run.resources}
    for resource in run.resources:
        if resource.urn == root:
            continue
        chain, urn = [], resource.urn
        while urn in parents and urn != root:
            urn = parents[urn]
            chain.append(urn)
        assert urn == root, f"{resource.urn} is not under the landing zone: {chain}"


def _project_copy(tmp_path: Path) -> Path:
    for name in ("__main__.py", "Pulumi.yaml"):
        shutil.copy(PROJECT / name, tmp_path / name)
    shutil.copytree(PROJECT / "stacks", tmp_path / "stacks")
    return tmp_path


def test_bad_stack_config_fails_before_any_resource_with_the_file_and_field(tmp_path):
    project = _project_copy(tmp_path)
    path = project / "stacks" / "Pulumi.acme.yaml"
    path.write_text(path.read_text().replace("tier: standard", "tier: gold"))
    with pytest.raises(ConfigError) as raised:
        record_stack(project, "acme")
    assert str(raised.value) == (
        "stacks/Pulumi.acme.yaml: invalid stack config (1 problem(s)):\n"
        "  - landingzone:tenant.tier: Input should be 'standard' or 'regulated'"
    )


def test_a_program_that_makes_a_cloud_look_up_fails_closed(tmp_path):
    project = _project_copy(tmp_path)
    (project / "__main__.py").write_text("import pulumi_aws as aws\naws.get_caller_identity()\n")
    with pytest.raises(ProgramError, match="aws:index/getCallerIdentity:getCallerIdentity"):
        record_stack(project, "acme")


def test_a_crashing_program_is_a_program_error(tmp_path):
    project = _project_copy(tmp_path)
    (project / "__main__.py").write_text("raise RuntimeError('boom')\n")
    with pytest.raises(ProgramError, match="RuntimeError: boom"):
        record_stack(project, "acme")


def test_a_crashed_program_leaves_the_process_able_to_record_the_next_stack(tmp_path):
    project = _project_copy(tmp_path)
    (project / "__main__.py").write_text(
        "import pulumi_aws as aws\naws.s3.Bucket('b', bucket='x')\nraise RuntimeError('boom')\n"
    )
    with pytest.raises(ProgramError):
        record_stack(project, "acme")
    assert len(record_stack(PROJECT, "initech").resources) > 100
