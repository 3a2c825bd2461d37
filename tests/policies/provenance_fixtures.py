"""Shared by the provenance tests of several controls."""

from __future__ import annotations

import json
from typing import Any

from tests.policies.harness import UNKNOWN, Res, changed

REPOSITORY = "aws:ecr/repository:Repository"


COMPLIANT_REPOSITORY = {
    "name": "acme/models",
    "imageTagMutability": "IMMUTABLE",
    "imageScanningConfiguration": {"scanOnPush": True},
    "encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": "arn:aws:kms:us-east-1:1:key/k"}],
    "tags": {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"},
}


BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
REGISTRY_NAME = "acme-model-registry-111122223333"
TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}


COMPLIANT_REGISTRY = {
    "bucket": REGISTRY_NAME,
    "objectLockEnabled": True,
    "tags": {**TAGS, "purpose": "model-registry", "data-classification": "confidential"},
}


# First preview: the sub-resources' `bucket` is `registry.id`, unknown, with a property dependency.
COMPLIANT_LOCK = {
    "bucket": UNKNOWN,
    "objectLockEnabled": "Enabled",
    "rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": 30}},
}


COMPLIANT_VERSIONING = {"bucket": UNKNOWN, "versioningConfiguration": {"status": "Enabled"}}


def registry_stack(
    bucket=COMPLIANT_REGISTRY, lock=COMPLIANT_LOCK, versioning=COMPLIANT_VERSIONING, type_=BUCKET
):
    return [
        Res(type_, "registry", bucket),
        Res(LOCK, "registry-lock", lock, prop_deps={"bucket": ["registry"]}),
        Res(VERSIONING, "registry-versioning", versioning, prop_deps={"bucket": ["registry"]}),
    ]


KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"


GLOBEX_KEY = {
    "description": "globex data key",
    "enableKeyRotation": True,
    "tags": {**TAGS, "tenant": "globex"},
}


GLOBEX_REPOSITORY = changed(
    changed(COMPLIANT_REPOSITORY, "encryptionConfigurations.0.kmsKey", UNKNOWN), "tags.tenant", "globex"
)


def repository_stack(repository=GLOBEX_REPOSITORY, key=GLOBEX_KEY, deps=("key",)):
    return [
        Res(KEY, "key", key),
        Res(REPOSITORY, "models", repository, prop_deps={"encryptionConfigurations": list(deps)}),
    ]


PROFILE = "aws:signer/signingProfile:SigningProfile"
COMPLIANT_PROFILE = {"platformId": "Notation-OCI-SHA384-ECDSA", "tags": {**TAGS, "tenant": "globex"}}
DIGEST = "sha256:" + "a" * 64
PINNED = f"111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/serving@{DIGEST}"


POD_SPEC = {
    "initContainers": [{"name": "fetch", "image": PINNED}],
    "containers": [{"name": "serve", "image": PINNED}],
}


METADATA = {"name": "serving", "namespace": "acme-prod", "labels": {"tenant": "acme"}}


WORKLOADS: dict[str, Any] = {
    "kubernetes:core/v1:Pod": {"metadata": METADATA, "spec": POD_SPEC},
    "kubernetes:apps/v1:Deployment": {"metadata": METADATA, "spec": {"template": {"spec": POD_SPEC}}},
    "kubernetes:apps/v1:StatefulSet": {"metadata": METADATA, "spec": {"template": {"spec": POD_SPEC}}},
    "kubernetes:apps/v1:DaemonSet": {"metadata": METADATA, "spec": {"template": {"spec": POD_SPEC}}},
    "kubernetes:batch/v1:Job": {"metadata": METADATA, "spec": {"template": {"spec": POD_SPEC}}},
    "kubernetes:batch/v1:CronJob": {
        "metadata": METADATA,
        "spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": POD_SPEC}}}},
    },
}


DEPLOYMENT = "kubernetes:apps/v1:Deployment"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
POLICY = "aws:iam/policy:Policy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
REGISTRY_OBJECTS = f"arn:aws:s3:::{REGISTRY_NAME}/*"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": []})


def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


WRITE_REGISTRY = document(allow(["s3:PutObject", "s3:GetObject"], REGISTRY_OBJECTS))
DEPLOY = document(allow(["eks:DescribeCluster", "sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint"]))


def duties_stack(trainer_extra=(), deployer_doc=DEPLOY):
    """First preview: role and policyArn inputs are unknown and decided by property dependencies."""
    return [
        Res(BUCKET, "registry", COMPLIANT_REGISTRY),
        Res(ROLE, "trainer", {"name": "acme-trainer", "assumeRolePolicy": TRUST}),
        Res(ROLE, "deployer", {"name": "acme-deployer", "assumeRolePolicy": TRUST}),
        Res(
            ROLE_POLICY,
            "trainer-registry",
            {"role": UNKNOWN, "policy": WRITE_REGISTRY},
            prop_deps={"role": ["trainer"]},
        ),
        Res(POLICY, "deploy", {"name": "acme-deploy", "policy": deployer_doc}),
        Res(
            ATTACHMENT,
            "deployer-deploy",
            {"role": UNKNOWN, "policyArn": UNKNOWN},
            prop_deps={"role": ["deployer"], "policyArn": ["deploy"]},
        ),
        *trainer_extra,
    ]


def attach_deploy_to_trainer(name="trainer-deploy", props=None, prop_deps=None):
    return Res(
        ATTACHMENT,
        name,
        props or {"role": UNKNOWN, "policyArn": UNKNOWN},
        prop_deps=prop_deps if prop_deps is not None else {"role": ["trainer"], "policyArn": ["deploy"]},
    )
