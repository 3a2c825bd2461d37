"""S3 buckets and what hangs off them: purpose, sub-resources, object lock, versioning, bucket policies.

For stack rules. A bucket is `aws:s3/bucket:Bucket` or its v7 alias type `aws:s3/bucketV2:BucketV2`.
Each sub-resource constant names one type; `sub_resources` finds every type of the same kind (the V2
variants: BucketVersioningV2, BucketLifecycleConfigurationV2, ...), as mlops_policies.typemap derives
them from the SDK, so a compliant V2 resource counts exactly like its V1 twin.
Its purpose is its `tags.purpose`; its name is its explicit `bucket` input (known even in a first
preview, by convention). Sub-resources (BucketVersioning, BucketObjectLockConfiguration, BucketPolicy,
...) take `bucket=bucket.id` and are found through `sub_resources`, which decides by property
dependency first and by known name second, and refuses to decide ("undecided") when a candidate's
`bucket` is unknown with no dependency information.

Readers never raise on wrong shapes; unknown values raise `UnknownValueError`, so call them inside
`with stack.deciding(resource):`.

About 300 lines: every bucket sub-resource lookup the PROV, AUD and DATA rules share lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource

from mlops_policies import typemap
from mlops_policies.iam import reference_unknown
from mlops_policies.policy_documents import parse
from mlops_policies.policy_predicates import bucket_space
from mlops_policies.props import as_int, as_list, as_str, get, known
from mlops_policies.rule import ResourceCheck, StackCheck, Undecided, label

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
BUCKET_TYPES = typemap.types("s3.bucket")

OBJECT_LOCK_CONFIGURATION = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
ACL = "aws:s3/bucketAcl:BucketAcl"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"

# Sub-resource kinds: each judged property's standalone types (the bucket's own inline inputs aside).
KINDS = {
    prop: tuple(t for t in typemap.types(prop) if t not in BUCKET_TYPES)
    for prop in (
        "s3.versioning", "s3.lifecycle", "s3.encryption", "s3.acl", "s3.object-lock",
        "s3.public-access-block", "s3.bucket-policy", "s3.replication",
    )
}  # fmt: skip
VERSIONING_TYPES = KINDS["s3.versioning"]
LIFECYCLE_TYPES = KINDS["s3.lifecycle"]
ENCRYPTION_TYPES = KINDS["s3.encryption"]
ACL_TYPES = KINDS["s3.acl"]
OBJECT_LOCK_TYPES = KINDS["s3.object-lock"]
PUBLIC_ACCESS_BLOCK_TYPES = KINDS["s3.public-access-block"]
POLICY_TYPES = KINDS["s3.bucket-policy"]
REPLICATION_TYPES = KINDS["s3.replication"]


def same_kind(*types: str) -> tuple[str, ...]:
    """`types` with every other type of the same kind (BucketVersioning -> + BucketVersioningV2)."""
    found: list[str] = []
    for wanted in types:
        kind = next((k for k in KINDS.values() if wanted in k), (wanted,))
        found.extend(t for t in kind if t not in found)
    return tuple(found)


MODEL_REGISTRY = "model-registry"
AUDIT_LOG = "audit-log"
DATASET = "dataset"
CHECKPOINT = "checkpoint"
FEATURE_STORE = "feature-store"
EXPERIMENT_TRACKING = "experiment-tracking"
ARTIFACTS = "artifacts"
PURPOSES = (MODEL_REGISTRY, AUDIT_LOG, DATASET, CHECKPOINT, FEATURE_STORE, EXPERIMENT_TRACKING, ARTIFACTS)

DAYS_PER_YEAR = 365
LOCK_MODES = ("GOVERNANCE", "COMPLIANCE")


# ---------------------------------------------------------------- buckets and their purpose


def is_bucket_type(resource_type: str) -> bool:
    return resource_type in BUCKET_TYPES


def buckets(stack: StackCheck) -> list[PolicyResource]:
    return stack.of_type(*BUCKET_TYPES)


def purpose(bucket: PolicyResource) -> str | None:
    """The bucket's `tags.purpose`; None when absent; raises `UnknownValueError` when unknown."""
    return as_str(get(bucket.props, "tags", "purpose"))


def with_purpose(stack: StackCheck, *purposes: str) -> Iterator[PolicyResource]:
    """The stack's buckets with one of `purposes`; a bucket whose purpose is unknown is left undecided.

    Judge each yielded bucket inside its own `with stack.deciding(bucket):` block.
    """
    for bucket in buckets(stack):
        matches = False
        with stack.deciding(bucket):
            matches = purpose(bucket) in purposes
        if matches:
            yield bucket


def name(bucket: PolicyResource) -> str | None:
    """The bucket's known name (its `bucket` input); None when absent or unknown (e.g. bucketPrefix)."""
    value = known(bucket.props, "bucket")
    return value if isinstance(value, str) and value else None


def tenant_bucket_space(tenant_id: str | None, account_id: str | None) -> list[str]:
    """ARN patterns of exactly the tenant's buckets and their objects, by the landing zone's naming
    (`<tenant>-<purpose>-<account>`; any account when the config has none). `<tenant>-*` is not
    among them: it also matches the buckets of a tenant whose id starts with `<tenant>-`."""
    if not tenant_id:
        return []
    return bucket_space(f"{tenant_id}-{p}-{account_id or '*'}" for p in PURPOSES)


def sub_resources(
    stack: StackCheck, target: PolicyResource, *types: str, prop: str = "bucket"
) -> list[PolicyResource]:
    """Resources of `types` (and their V2 kin, `same_kind`) whose input `prop` refers to `target`.

    When none is found while some candidate's `prop` is unknown with no dependency information, that
    candidate might be the one: raises `Undecided` instead of letting the caller judge "missing".
    """
    types = same_kind(*types)
    found = stack.attached_to(target, list(types), prop)
    if found:
        return found
    unclear = [c for c in stack.of_type(*types) if reference_unknown(stack, c, prop)]
    if unclear:
        names = ", ".join(f"'{c.name}'" for c in unclear)
        kinds = {c.resource_type for c in unclear}
        raise Undecided(
            [
                f"{prop} of {unclear[0].resource_type if len(kinds) == 1 else 'candidates'} {names} is "
                "unknown "
                "with no dependency information"
            ]
        )
    return []


# ---------------------------------------------------------------- object lock and versioning


def object_lock_flag(bucket_props: Mapping[str, Any]) -> bool | None:
    """The bucket's own `objectLockEnabled` (True/False from booleans or their strings; None if absent)."""
    value = get(bucket_props, "objectLockEnabled")
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return None


def require_object_lock(r: ResourceCheck, purpose: str) -> None:
    """Fail a bucket of `purpose` that is not created with object lock (it cannot be added later)."""
    if get(r.props, "tags", "purpose") != purpose:
        return
    flag = object_lock_flag(r.props)
    if flag is not True:
        found = "missing" if flag is None else "false"
        r.fail(f"{r.label} (purpose {purpose}) has objectLockEnabled {found}; required: true")


@dataclass(frozen=True)
class Retention:
    """A default retention rule: mode as written, duration in days (years count 365 days)."""

    mode: str | None
    days: int | None
    written: str  # how the duration was written, for messages: "days 7", "years 1", "missing"


def default_retention(lock_configuration: PolicyResource) -> Retention | None:
    """`rule.defaultRetention` of a BucketObjectLockConfiguration; None when there is none."""
    retention = get(lock_configuration.props, "rule", "defaultRetention")
    if not isinstance(retention, Mapping):
        return None
    mode = as_str(get(retention, "mode"))
    days, years = as_int(get(retention, "days")), as_int(get(retention, "years"))
    if days is not None:
        return Retention(mode, days, f"days {days}")
    if years is not None:
        return Retention(mode, years * DAYS_PER_YEAR, f"years {years}")
    return Retention(mode, None, "missing")


def retention_problems(lock_configuration: PolicyResource, modes: Sequence[str], min_days: int) -> list[str]:
    """What keeps a BucketObjectLockConfiguration from a default retention in `modes` of `min_days`+.

    Each problem reads "<property> <found>; required: <value>", to follow a resource label and "has".
    `objectLockEnabled` defaults to `Enabled` (its only valid value), so absent passes.
    """
    problems = []
    enabled = get(lock_configuration.props, "objectLockEnabled", default="Enabled")
    if enabled != "Enabled":
        problems.append(f"objectLockEnabled {enabled!r}; required: 'Enabled'")
    retention = default_retention(lock_configuration)
    wanted = " or ".join(modes)
    if retention is None:
        return [
            *problems,
            f"rule.defaultRetention missing; required: mode {wanted}, at least {min_days} days",
        ]
    if retention.mode not in modes:
        found = repr(retention.mode) if retention.mode else "missing"
        problems.append(f"rule.defaultRetention.mode {found}; required: {wanted}")
    if retention.days is None or retention.days < min_days:
        problems.append(
            f"rule.defaultRetention.{retention.written}"
            + (f" ({retention.days} days)" if retention.written.startswith("years") else "")
            + f"; required: at least {min_days} days"
        )
    return problems


def versioning_status(versioning: PolicyResource) -> str | None:
    """`versioningConfiguration.status` of a BucketVersioning (as written; None when absent)."""
    return as_str(get(versioning.props, "versioningConfiguration", "status"))


def versioning_problems(versioning: PolicyResource, _bucket: PolicyResource | None = None) -> list[str]:
    """What keeps a BucketVersioning from status Enabled (for `check_sub_resources`)."""
    status = versioning_status(versioning)
    if status == "Enabled":
        return []
    found = repr(status) if status else "missing"
    return [f"versioningConfiguration.status {found}; required: 'Enabled'"]


# ---------------------------------------------------------------- rules that cover the whole bucket


def narrowing(rule: Any) -> str | None:
    """How a lifecycle or replication rule is narrowed to part of the bucket, None when it covers every
    object: a prefix (rule `prefix`, `filter.prefix`), a tag, an `and` block or an object size bound.
    An empty prefix or an empty filter narrows nothing."""
    prefix = get(rule, "prefix")
    if prefix not in (None, ""):
        return f"prefix {prefix!r}"
    rule_filter = get(rule, "filter")
    for candidate in as_list(rule_filter):
        if not isinstance(candidate, Mapping):
            continue
        if get(candidate, "prefix") not in (None, ""):
            return f"filter.prefix {get(candidate, 'prefix')!r}"
        for key in ("tag", "and", "objectSizeGreaterThan", "objectSizeLessThan"):
            if get(candidate, key) is not None:
                return f"filter.{key}"
    return None


def keeps_noncurrent(rule: Any) -> int | None:
    """The number of noncurrent versions a lifecycle rule keeps whatever their age
    (`noncurrentVersionExpiration.newerNoncurrentVersions`); None when it keeps none that way."""
    kept = as_int(get(rule, "noncurrentVersionExpiration", "newerNoncurrentVersions"))
    return kept if kept is not None and kept > 0 else None


# ---------------------------------------------------------------- bucket policies
# What a bucket policy denies is judged by `mlops_policies.policy_predicates`, shared with the live audit.


def bucket_policy_document(bucket_policy: PolicyResource) -> Mapping[str, Any] | None:
    """The document of a BucketPolicy (JSON string or object); None when unusable, raises when unknown."""
    return parse(get(bucket_policy.props, "policy"))


# ---------------------------------------------------------------- judging what hangs off a bucket


def check_sub_resources(
    stack: StackCheck,
    purposes: Sequence[str],
    sub_type: str,
    required: str,
    problems: Callable[[PolicyResource, PolicyResource], list[str]],
) -> None:
    """For every bucket with one of `purposes`: fail the bucket when it has no `sub_type`, else fail
    each of its `sub_type` resources for each problem `problems(resource, bucket)` names.

    Messages: "<bucket> (purpose p) has no <sub_type>; required: <required>" and
    "<sub-resource> has <problem>". Unknown values defer only the bucket or sub-resource concerned.
    """
    for bucket in with_purpose(stack, *purposes):
        attached: list[PolicyResource] = []
        with stack.deciding(bucket):
            attached = sub_resources(stack, bucket, sub_type)
            if not attached:
                stack.fail(
                    bucket,
                    f"{label(bucket)} (purpose {purpose(bucket)}) has no {sub_type}; required: {required}",
                )
        for resource in attached:
            with stack.deciding(resource):
                for problem in problems(resource, bucket):
                    stack.fail(resource, f"{label(resource)} has {problem}")
