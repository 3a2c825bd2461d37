"""Model provenance: immutable registries (PROV-01/02), trustworthy container registries (PROV-03/04),
a signing profile (PROV-05) and separation of duties (PROV-07)."""

from __future__ import annotations

from mlops_policies.policy_predicates import matches_every_tag
from tenantctl.audit.checks import iam_policies
from tenantctl.audit.checks.buckets import judge_object_lock, judge_versioning, object_lock
from tenantctl.audit.checks.registry import AuditContext, Outcome, check, verdict
from tenantctl.audit.checks.scopes import REGISTRY_BUCKETS, REPOSITORIES, ROLES, TENANT, TenantScope
from tenantctl.audit.inventory import LiveBucket, LiveRepository, LiveRole

SIGNING_PLATFORM = "Notation-OCI-SHA384-ECDSA"


@check("PROV-01", "registry_object_lock_retention", REGISTRY_BUCKETS)
def registry_object_lock_retention(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Model-registry buckets lock objects by default for at least minRegistryRetentionDays."""
    minimum = ctx.target.thresholds.min_registry_retention_days
    return judge_object_lock(ctx, bucket, {"GOVERNANCE", "COMPLIANCE"}, minimum)


@check("PROV-01", "registry_versioning_enabled", REGISTRY_BUCKETS)
def registry_versioning_enabled(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Model-registry buckets keep every version."""
    return judge_versioning(ctx, bucket)


@check("PROV-02", "registry_compliance_mode", REGISTRY_BUCKETS, regulated=True)
def registry_compliance_mode(ctx: AuditContext, bucket: LiveBucket) -> Outcome:
    """Regulated model-registry buckets retain in COMPLIANCE mode, which not even root can shorten."""
    config, reply = object_lock(ctx, bucket)
    mode = config.get("Rule", {}).get("DefaultRetention", {}).get("Mode")
    return verdict(mode == "COMPLIANCE", f"default retention mode {mode}", {"Mode": mode}, reply)


def _listed(ctx: AuditContext) -> str | None:
    return ctx.listed("ecr", "DescribeRepositories")


@check("PROV-03", "ecr_tag_immutability", REPOSITORIES)
def ecr_tag_immutability(ctx: AuditContext, repo: LiveRepository) -> Outcome:
    """ECR repositories keep tags immutable (a wildcard exclusion filter makes them mutable again)."""
    mutability = str(repo.data.get("imageTagMutability") or "MUTABLE")
    filters = repo.data.get("imageTagMutabilityExclusionFilters") or []
    evidence = {"imageTagMutability": mutability, "imageTagMutabilityExclusionFilters": filters}
    if mutability == "IMMUTABLE_WITH_EXCLUSION":
        # The gate's predicate (prov-03-ecr-immutable-tags); no filter at all leaves nothing immutable.
        wide = [f for f in filters if matches_every_tag(f.get("filter", ""))]
        return verdict(bool(filters) and not wide, f"exclusions {filters}", evidence, _listed(ctx))
    return verdict(mutability == "IMMUTABLE", f"tags are {mutability}", evidence, _listed(ctx))


@check("PROV-03", "ecr_scan_on_push", REPOSITORIES)
def ecr_scan_on_push(ctx: AuditContext, repo: LiveRepository) -> Outcome:
    """ECR repositories scan every pushed image."""
    scan = bool((repo.data.get("imageScanningConfiguration") or {}).get("scanOnPush"))
    evidence = {"imageScanningConfiguration": repo.data.get("imageScanningConfiguration")}
    return verdict(scan, f"scanOnPush {scan}", evidence, _listed(ctx))


@check("PROV-04", "ecr_tenant_kms_encryption", REPOSITORIES, regulated=True)
def ecr_tenant_kms_encryption(ctx: AuditContext, repo: LiveRepository) -> Outcome:
    """Regulated ECR repositories are encrypted with a tenant KMS key."""
    encryption = repo.data.get("encryptionConfiguration") or {}
    evidence = {"encryptionConfiguration": encryption}
    if encryption.get("encryptionType") != "KMS":
        return verdict(
            False, f"encryption {encryption.get('encryptionType', 'AES256')}", evidence, _listed(ctx)
        )
    key = encryption.get("kmsKey")
    return verdict(ctx.inventory.is_tenant_key(key), f"KMS key {key}", evidence, _listed(ctx))


@check("PROV-05", "signing_profile_present", TENANT, regulated=True)
def signing_profile_present(ctx: AuditContext, tenant: TenantScope) -> Outcome:
    """A regulated tenant has an active AWS Signer profile for OCI artifacts, tagged with the tenant."""
    profiles = ctx.reader.pages("signer", "list_signing_profiles", "profiles", statuses=["Active"])
    mine = [
        p
        for p in profiles
        if p.get("platformId") == SIGNING_PLATFORM and (p.get("tags") or {}).get("tenant") == tenant.tenant_id
    ]
    evidence = {
        "profiles": [{"profileName": p.get("profileName"), "platformId": p.get("platformId")} for p in mine]
    }
    return verdict(bool(mine), f"{len(mine)} active {SIGNING_PLATFORM} profile(s)", evidence)


@check("PROV-07", "role_separation_of_duties", ROLES)
def role_separation_of_duties(ctx: AuditContext, role: LiveRole) -> Outcome:
    """No role may both write the model registry and deploy (EKS or SageMaker endpoints)."""
    documents = iam_policies.role_documents(ctx, role)
    registries = [b.name for b in ctx.inventory.buckets_with("model-registry")]
    writes = iam_policies.writes_buckets(documents, registries)
    deploys = iam_policies.deploy_actions(documents)
    evidence = {
        "registry_write_via": writes,
        "deploy_via": deploys,
        "policies": [d.source for d in documents],
    }
    ok = not (writes and deploys)
    detail = "cannot both write the registry and deploy" if ok else "can write the registry and deploy"
    return verdict(ok, detail, evidence, *[d.reply for d in documents])
