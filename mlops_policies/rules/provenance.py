"""Model provenance: immutable registries, signed artifacts, digest-pinned images, separation of duties."""

from __future__ import annotations

import re

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets, iam, keys, workloads
from mlops_policies.core import ResourceCheck, Rule, StackCheck, Undecided, label, resource_rule, stack_rule
from mlops_policies.props import as_bool, as_int, as_list, get

ECR_REPOSITORY = "aws:ecr/repository:Repository"
SIGNING_PROFILE = "aws:signer/signingProfile:SigningProfile"
NOTATION_PLATFORM = "Notation-OCI-SHA384-ECDSA"
DIGEST_PINNED = re.compile(r"[^@\s]+@sha256:[0-9a-f]{64}")
REGISTRY_WRITE = "s3:PutObject"
MIN_REGISTRY_RETENTION_DAYS = 30
DEPLOY_ACTIONS = ["eks:*", "sagemaker:CreateEndpoint*", "sagemaker:UpdateEndpoint*"]


@resource_rule(
    "prov-03-ecr-immutable-tags",
    control="PROV-03",
    types=[ECR_REPOSITORY],
    severity=Severity.HIGH,
    description="ECR repositories keep image tags immutable, so a released tag always names the same image.",
    remediation="Set image_tag_mutability='IMMUTABLE' on the repository; publish new versions as new tags.",
)
def ecr_immutable_tags(r: ResourceCheck) -> None:
    mutability = get(r.props, "imageTagMutability", default="MUTABLE")
    if mutability == "IMMUTABLE":
        return
    if mutability == "IMMUTABLE_WITH_EXCLUSION":
        filters = as_list(get(r.props, "imageTagMutabilityExclusionFilters"))
        wide = [f for f in filters if str(get(f, "filter", default="")).strip() in {"*", "**", ""}]
        if wide or not filters:
            r.fail(
                f"{r.label} has imageTagMutability IMMUTABLE_WITH_EXCLUSION with an exclusion filter that "
                "matches every tag; required: IMMUTABLE, or exclusions that never match every tag"
            )
        return
    r.fail(f"{r.label} has imageTagMutability {mutability!r}; required: 'IMMUTABLE'")


@resource_rule(
    "prov-03-ecr-scan-on-push",
    control="PROV-03",
    types=[ECR_REPOSITORY],
    severity=Severity.MEDIUM,
    description="ECR repositories scan every image on push.",
    remediation="Set image_scanning_configuration={'scan_on_push': True} on the repository.",
)
def ecr_scan_on_push(r: ResourceCheck) -> None:
    scan = as_bool(get(r.props, "imageScanningConfiguration", "scanOnPush"))
    if scan is not True:
        r.fail(f"{r.label} has imageScanningConfiguration.scanOnPush {scan!r}; required: true")


# ---------------------------------------------------------------- PROV-01 / PROV-02: immutable model registry
# "Not mine": buckets whose tags.purpose is not model-registry. An unknown purpose leaves that bucket
# undecided. A missing sub-resource is a violation on the bucket.


@resource_rule(
    "prov-01-registry-bucket-object-lock",
    control="PROV-01",
    types=buckets.BUCKET_TYPES,
    description="Model-registry buckets are created with object lock enabled (objectLockEnabled true).",
    remediation="Create the bucket with object_lock_enabled=True; then add a BucketObjectLockConfiguration "
    "and a BucketVersioning for it.",
)
def registry_bucket_object_lock(r: ResourceCheck) -> None:
    buckets.require_object_lock(r, buckets.MODEL_REGISTRY)


def _registry_retention(min_days: int) -> str:
    return f"a default retention rule, mode GOVERNANCE or COMPLIANCE, at least {min_days} days"


@stack_rule(
    "prov-01-registry-default-retention",
    control="PROV-01",
    types=[*buckets.BUCKET_TYPES, buckets.OBJECT_LOCK_CONFIGURATION],
    description="Every model-registry bucket has a BucketObjectLockConfiguration whose default retention is "
    "GOVERNANCE or COMPLIANCE mode for at least minRegistryRetentionDays days (years count 365 days).",
    remediation="Add aws.s3.BucketObjectLockConfiguration(bucket=registry.id, rule={'default_retention': "
    "{'mode': 'COMPLIANCE', 'days': 30}}) for the model-registry bucket.",
    config={
        "minRegistryRetentionDays": {"type": "integer", "default": MIN_REGISTRY_RETENTION_DAYS, "minimum": 1}
    },
)
def registry_default_retention(stack: StackCheck) -> None:
    min_days = as_int(stack.config.get("minRegistryRetentionDays")) or MIN_REGISTRY_RETENTION_DAYS
    buckets.check_sub_resources(
        stack,
        [buckets.MODEL_REGISTRY],
        buckets.OBJECT_LOCK_CONFIGURATION,
        _registry_retention(min_days),
        lambda lock, _bucket: buckets.retention_problems(lock, buckets.LOCK_MODES, min_days),
    )


@stack_rule(
    "prov-01-registry-versioning",
    control="PROV-01",
    types=[*buckets.BUCKET_TYPES, buckets.VERSIONING],
    description="Every model-registry bucket has a BucketVersioning with status Enabled.",
    remediation="Add aws.s3.BucketVersioning(bucket=registry.id, "
    "versioning_configuration={'status': 'Enabled'}) for the model-registry bucket.",
)
def registry_versioning(stack: StackCheck) -> None:
    buckets.check_sub_resources(
        stack,
        [buckets.MODEL_REGISTRY],
        buckets.VERSIONING,
        "versioningConfiguration.status 'Enabled'",
        buckets.versioning_problems,
    )


@stack_rule(
    "prov-02-registry-compliance-retention",
    control="PROV-02",
    types=[*buckets.BUCKET_TYPES, buckets.OBJECT_LOCK_CONFIGURATION],
    description="For regulated tenants, every model-registry bucket's default retention is COMPLIANCE mode, "
    "which nobody, the root user included, can shorten or remove.",
    remediation="Set rule={'default_retention': {'mode': 'COMPLIANCE', ...}} on the model-registry bucket's "
    "BucketObjectLockConfiguration.",
)
def registry_compliance_retention(stack: StackCheck) -> None:
    buckets.check_sub_resources(
        stack,
        [buckets.MODEL_REGISTRY],
        buckets.OBJECT_LOCK_CONFIGURATION,
        "a COMPLIANCE-mode default retention",
        _compliance_mode_problems,
    )


def _compliance_mode_problems(lock: PolicyResource, _bucket: PolicyResource) -> list[str]:
    retention = buckets.default_retention(lock)
    if retention is None:
        return ["rule.defaultRetention missing; required: mode 'COMPLIANCE'"]
    if retention.mode != "COMPLIANCE":
        found = repr(retention.mode) if retention.mode else "missing"
        return [f"rule.defaultRetention.mode {found}; required: 'COMPLIANCE'"]
    return []


# ---------------------------------------------------------------- PROV-04: registries use the tenant key


@resource_rule(
    "prov-04-ecr-kms-encryption",
    control="PROV-04",
    types=[ECR_REPOSITORY],
    description="ECR repositories of regulated tenants are encrypted with KMS (encryptionType KMS).",
    remediation="Set encryption_configurations=[{'encryption_type': 'KMS', 'kms_key': tenant_key.arn}] "
    "on the repository (it cannot be changed later: recreate the repository).",
)
def ecr_kms_encryption(r: ResourceCheck) -> None:
    # No encryption configuration means AWS's default, AES256 with an AWS-owned key.
    kind = get(r.props, "encryptionConfigurations", 0, "encryptionType", default="AES256")
    if kind != "KMS":
        r.fail(f"{r.label} has encryptionConfigurations[0].encryptionType {kind!r}; required: 'KMS'")


@stack_rule(
    "prov-04-ecr-tenant-key",
    control="PROV-04",
    types=[ECR_REPOSITORY, keys.KEY],
    description="ECR repositories of regulated tenants name a tenant key (a KMS key of the stack tagged with "
    "the tenant) in encryptionConfigurations[0].kmsKey, not the AWS-managed aws/ecr key.",
    remediation="Set encryption_configurations=[{'encryption_type': 'KMS', 'kms_key': tenant_key.arn}], "
    "where tenant_key is the tenant's aws.kms.Key.",
)
def ecr_tenant_key(stack: StackCheck) -> None:
    where = "encryptionConfigurations[0].kmsKey"
    for repository in stack.of_type(ECR_REPOSITORY):
        with stack.deciding(repository):
            use = keys.key_use(stack, repository, "encryptionConfigurations", 0, "kmsKey")
            if not keys.require_decided(use, where).tenant_key:
                stack.fail(
                    repository,
                    f"{label(repository)} has {where} {use.found}; "
                    f"required: a KMS key of this stack tagged tenant={stack.tenant.id}",
                )


# ---------------------------------------------------------------- PROV-05: a signing profile exists


def _signing_profile_problems(profile: PolicyResource, tenant_id: str | None) -> list[str]:
    problems = []
    platform = get(profile.props, "platformId")
    if platform != NOTATION_PLATFORM:
        found = repr(platform) if isinstance(platform, str) else "missing"
        problems.append(f"platformId {found}; required: {NOTATION_PLATFORM!r}")
    tenant = get(profile.props, "tags", "tenant")
    if tenant != tenant_id:
        found = repr(tenant) if isinstance(tenant, str) else "missing"
        problems.append(f"tags.tenant {found}; required: {tenant_id!r}")
    return problems


@stack_rule(
    "prov-05-signing-profile",
    control="PROV-05",
    types=[SIGNING_PROFILE],
    description="A regulated tenant stack has an AWS Signer signing profile with platformId "
    f"{NOTATION_PLATFORM} tagged with the tenant, to sign images and models before promotion.",
    remediation=f"Add aws.signer.SigningProfile(platform_id='{NOTATION_PLATFORM}', "
    "tags={'tenant': <tenant>, ...}) to the tenant stack and sign artifacts with it in the release pipeline.",
)
def signing_profile(stack: StackCheck) -> None:
    wrong: list[tuple[PolicyResource, list[str]]] = []
    for profile in stack.of_type(SIGNING_PROFILE):
        with stack.deciding(profile):
            problems = _signing_profile_problems(profile, stack.tenant.id)
            if not problems:
                return
            wrong.append((profile, problems))
    if stack.undecided:
        return  # a profile with unknown values may be the compliant one: stay undecided
    if not wrong:
        stack.fail(
            None,
            f"the stack has no {SIGNING_PROFILE}; required: one with platformId "
            f"{NOTATION_PLATFORM!r} tagged tenant={stack.tenant.id}",
        )
    for profile, problems in wrong:
        for problem in problems:
            stack.fail(profile, f"{label(profile)} has {problem}")


# ---------------------------------------------------------------- PROV-06: images pinned by digest


@resource_rule(
    "prov-06-images-pinned-by-digest",
    control="PROV-06",
    types=workloads.WORKLOAD_TYPES,
    description="Every container, init container and ephemeral container of a workload references its image "
    "by digest (<repository>@sha256:<64 hex characters>), so the image that runs is the image that was "
    "reviewed and signed.",
    remediation="Set image='<registry>/<repository>@sha256:<digest>' (a tag may stay before the digest, "
    "e.g. 'repo:1.2@sha256:...'); resolve digests at build time, e.g. from the ECR image's imageDigest.",
)
def images_pinned_by_digest(r: ResourceCheck) -> None:
    for pod_spec in workloads.pod_specs(r.type, r.props):
        for container in workloads.containers(pod_spec):
            image = get(container.container, "image")
            if isinstance(image, str) and DIGEST_PINNED.fullmatch(image):
                continue
            found = repr(image) if isinstance(image, str) else "missing"
            r.fail(
                f"{r.label} has {container.path}.image {found}; "
                "required: an image pinned by digest (<repository>@sha256:<64 hex characters>)"
            )


# ---------------------------------------------------------------- PROV-07: separation of duties
# A role's documents are those the stack declares (mlops_policies.iam). The registry is every bucket
# of the stack with purpose model-registry plus the conventional <tenant>-model-registry-<account>
# name (a wildcard for the account when the config has none), so a registry of another stack counts.


def _registry_objects(stack: StackCheck) -> tuple[list[str], bool]:
    """ARN patterns of the registry's objects; whether a registry bucket of the stack has no known name."""
    patterns, unnamed = [], False
    if stack.tenant.id:
        patterns.append(
            buckets.objects_arn(f"{stack.tenant.id}-model-registry-{stack.tenant.account_id or '*'}")
        )
    for bucket in buckets.with_purpose(stack, buckets.MODEL_REGISTRY):
        name = buckets.name(bucket)
        unnamed = unnamed or name is None
        if name is not None and buckets.objects_arn(name) not in patterns:
            patterns.append(buckets.objects_arn(name))
    return patterns, unnamed


def _first_grant(grants: list[iam.Grant], actions: list[str], resources: list[str]) -> tuple[str, str] | None:
    """(what, where) for the first grant allowing one of `actions` on one of `resources`."""
    for grant in grants:
        for action in actions:
            for resource in resources:
                if iam.allows(grant.document, action, resource):
                    where = label(grant.source) + ("" if grant.where == "policy" else f" {grant.where}")
                    return (action if resource == "*" else f"{action} on {resource}"), where
    return None


@stack_rule(
    "prov-07-separation-of-duties",
    control="PROV-07",
    types=[iam.ROLE, iam.ROLE_POLICY, iam.POLICY, iam.ROLE_POLICY_ATTACHMENT, iam.POLICY_ATTACHMENT],
    description="No IAM role of the stack may both write to the tenant's model registry (s3:PutObject on its "
    "objects) and deploy (deployActions, by default eks:*, sagemaker:CreateEndpoint*, "
    "sagemaker:UpdateEndpoint*), counting wildcards as everything they match.",
    remediation="Split the role: give registry writes (s3:PutObject on the model-registry bucket) to the "
    "training/publishing role and deployment actions to a separate deploy role, in their RolePolicy or "
    "Policy documents; avoid Action '*' or 's3:*' on Resource '*'.",
    config={
        "deployActions": {"type": "array", "items": {"type": "string"}, "default": DEPLOY_ACTIONS},
    },
)
def separation_of_duties(stack: StackCheck) -> None:
    registry, unnamed = _registry_objects(stack)
    deploy_actions = [a for a in as_list(stack.config.get("deployActions")) if isinstance(a, str)]
    for role in stack.of_type(iam.ROLE):
        with stack.deciding(role):
            found = iam.role_grants(stack, role)
            writes = _first_grant(found.grants, [REGISTRY_WRITE], registry)
            deploys = _first_grant(found.grants, deploy_actions, ["*"])
            if writes and deploys:
                stack.fail(
                    role,
                    f"{label(role)} can both write to the model registry ({writes[0]}, via "
                    f"{writes[1]}) and deploy ({deploys[0]}, via {deploys[1]}); "
                    "required: separate roles for registry writes and deployments",
                )
            elif found.unresolved:
                raise Undecided(found.unresolved)
            elif unnamed and deploys and _first_grant(found.grants, [REGISTRY_WRITE], ["arn:aws:s3:::*/*"]):
                raise Undecided(["a model-registry bucket has no known name and the role can write to S3"])
    for resource in iam.unattributed(stack):
        with stack.deciding(resource):
            raise Undecided(["its role is unknown with no dependency information"])


RULES: list[Rule] = [
    ecr_immutable_tags,
    ecr_scan_on_push,
    registry_bucket_object_lock,
    registry_default_retention,
    registry_versioning,
    registry_compliance_retention,
    ecr_kms_encryption,
    ecr_tenant_key,
    signing_profile,
    images_pinned_by_digest,
    separation_of_duties,
]
