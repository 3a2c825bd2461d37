"""The type table (mlops_policies/data/typemap.yaml) is what the installed SDK says, and nothing in it is
left unjudged without a reason."""

from __future__ import annotations

import importlib.util

import pytest

from mlops_policies import typemap


def test_checked_in_table_is_what_the_installed_sdk_generates():
    fresh = typemap.render(typemap.generate())
    assert typemap.TABLE.read_text(encoding="utf-8") == fresh, (
        "mlops_policies/data/typemap.yaml differs from the installed SDK: run "
        "`python -m mlops_policies.typemap --write`, then map or exclude every new type"
    )


def test_pass_the_checked_in_taggable_types_are_what_the_installed_sdk_generates():
    fresh = typemap.render_taggable(typemap.taggable_types())
    assert typemap.TAGGABLE.read_text(encoding="utf-8") == fresh, (
        "mlops_policies/data/taggable-types.txt differs from the installed SDK: run "
        "`python -m mlops_policies.typemap --write`"
    )
    assert {"aws:s3/bucket:Bucket", "aws:kms/key:Key", "aws:eks/cluster:Cluster"} <= typemap.taggable()
    # Types without a tags input are not in it (TEN-01 cannot ask them for tags).
    assert "aws:s3/bucketPolicy:BucketPolicy" not in typemap.taggable()


def test_every_type_that_can_set_a_judged_property_is_read_or_left_out_with_a_reason():
    assert typemap.unmapped(typemap.generate()) == []


def test_every_exclusion_and_unread_input_states_its_reason():
    for prop, spec in typemap.judged().items():
        for kind in ("exclusions", "unread"):
            for what, reason in (spec.get(kind) or {}).items():
                assert isinstance(reason, str) and len(reason.split()) >= 8, f"{prop} {kind} {what}"


def test_aws_native_is_not_installed_so_no_program_can_use_its_types():
    # judged-properties.yaml explains the decision; installing it means mapping its types first.
    assert importlib.util.find_spec("pulumi_aws_native") is None


def test_fail_a_new_sdk_type_with_an_input_the_rules_cannot_read(monkeypatch):
    real = typemap.sdk_types

    def newer_sdk(modules):
        found = real(modules)
        found["aws:s3/bucketVersioningV3:BucketVersioningV3"] = (
            "s3",
            "BucketVersioningV3",
            ["versioningConfiguration"],
        )
        found["aws:s3/bucketAclV3:BucketAclV3"] = ("s3", "BucketAclV3", ["acl", "aclRules"])
        found["aws:s3/bucketLifecycleV3:BucketLifecycleV3"] = ("s3", "BucketLifecycleV3", ["lifecycleRules"])
        return found

    monkeypatch.setattr(typemap, "sdk_types", newer_sdk)
    table = typemap.generate()
    assert table["properties"]["s3.versioning"]["aws:s3/bucketVersioningV3:BucketVersioningV3"] == [
        "versioningConfiguration"
    ]
    assert typemap.render(table) != typemap.TABLE.read_text(encoding="utf-8")
    assert typemap.unmapped(table) == []  # a new type through a known input is mapped by regeneration

    def with_new_input(modules):
        found = newer_sdk(modules)
        found["aws:s3/bucketVersioningV3:BucketVersioningV3"] = (
            "s3",
            "BucketVersioningV3",
            ["versioningConfiguration", "status"],
        )
        return found

    monkeypatch.setattr(typemap, "sdk_types", with_new_input)
    monkeypatch.setitem(typemap.judged()["s3.versioning"], "inputs", ["versioningConfiguration", "status"])
    assert typemap.unmapped(typemap.generate()) == [
        "s3.versioning: aws:s3/bucketVersioningV3:BucketVersioningV3 sets it through status"
    ]


@pytest.mark.parametrize(
    ("prop", "token"),
    [
        ("s3.versioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"),
        ("s3.lifecycle", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"),
        ("s3.acl", "aws:s3/bucketAclV2:BucketAclV2"),
        (
            "s3.encryption",
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        ),
        ("s3.object-lock", "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"),
        ("s3.public-access-block", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"),
        ("elb.load-balancer", "aws:elb/loadBalancer:LoadBalancer"),
        ("ec2.vpc", "aws:ec2/defaultVpc:DefaultVpc"),
        ("ec2.subnet", "aws:ec2/defaultSubnet:DefaultSubnet"),
        ("ec2.security-group-rules", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"),
        ("ec2.security-group-rules", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        ("kms.key", "aws:kms/replicaKey:ReplicaKey"),
        ("kms.key", "aws:kms/externalKey:ExternalKey"),
        ("kms.key", "aws:kms/replicaExternalKey:ReplicaExternalKey"),
        ("ec2.vpc-endpoint-policy", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"),
        ("ec2.peering", "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"),
        ("iam.role-permissions", "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive"),
        ("iam.role-permissions", "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"),
        ("iam.role-permissions", "aws:iam/policyAttachment:PolicyAttachment"),
        ("ec2.launch-template", "aws:ec2/launchTemplate:LaunchTemplate"),
        ("cloudtrail.trail", "aws:cloudtrail/trail:Trail"),
    ],
)
def test_the_issue_types_are_in_the_table(prop, token):
    assert token in typemap.types(prop)


def test_excluded_and_unread_only_types_are_not_judged():
    assert "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock" not in typemap.types(
        "s3.public-access-block"
    )
    assert "aws:s3/bucket:Bucket" not in typemap.types("s3.versioning")
    assert "aws:s3/bucket:Bucket" in typemap.types("s3.acl")
