"""AUD-02 on a quarantined stack: nothing that held evidence at quarantine time is deleted, shortened or
unlocked. The reference is the snapshot `tenantctl quarantine` recorded (landingzone:incident.evidence),
not the current config: a config change that drops a bucket must not also drop the requirement."""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets
from mlops_policies.incident import Quarantine, quarantine
from mlops_policies.props import as_bool, as_int, as_list, get, known
from mlops_policies.rule import StackCheck, label, stack_rule

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
REPOSITORY = "aws:ecr/repository:Repository"
TRAIL = "aws:cloudtrail/trail:Trail"
ALIAS = "aws:kms/alias:Alias"
ARTIFACT_PURPOSES = (
    buckets.DATASET,
    buckets.CHECKPOINT,
    buckets.FEATURE_STORE,
    buckets.EXPERIMENT_TRACKING,
    buckets.ARTIFACTS,
)
# Evidence kind in the snapshot -> (Pulumi types, the input naming the resource).
KINDS = {
    "buckets": (buckets.BUCKET_TYPES, "bucket"),
    "log_groups": ((LOG_GROUP,), "name"),
    "repositories": ((REPOSITORY,), "name"),
    "trails": ((TRAIL,), "name"),
    "key_aliases": ((ALIAS,), "name"),
}


def _by_name(stack: StackCheck, types: tuple[str, ...], prop: str) -> dict[str, PolicyResource]:
    found = {}
    for resource in stack.of_type(*types):
        name = known(resource.props, prop)
        if isinstance(name, str):
            found[name] = resource
    return found


def _kept(stack: StackCheck, incident: Quarantine) -> dict[str, dict[str, PolicyResource]]:
    """Per kind, the recorded evidence still in the stack; a failure for each recorded one that is not."""
    present: dict[str, dict[str, PolicyResource]] = {}
    for kind, (types, prop) in KINDS.items():
        live = _by_name(stack, types, prop)
        present[kind] = {}
        for name in incident.names(kind):
            if name in live:
                present[kind][name] = live[name]
            else:
                stack.fail(
                    None,
                    f"{types[0]} '{name}' held evidence when the tenant was quarantined "
                    f"(ticket {incident.ticket}) and is missing from the stack; required: kept until release",
                )
    return present


def _lock_days(stack: StackCheck, bucket: PolicyResource, floor: int, incident: Quarantine) -> None:
    locks = buckets.sub_resources(stack, bucket, buckets.OBJECT_LOCK_CONFIGURATION)
    retentions = [buckets.default_retention(lock) for lock in locks]
    days = [r.days for r in retentions if r is not None and r.days is not None]
    if not days or min(days) < floor:
        found = f"{min(days)} days" if days else "missing"
        stack.fail(
            bucket,
            f"{label(bucket)} object lock default retention is {found} while quarantined "
            f"(ticket {incident.ticket}); required: at least {floor} days, as at quarantine",
        )


def _expiry_days(stack: StackCheck, bucket: PolicyResource, floor: int, incident: Quarantine) -> None:
    for lifecycle in buckets.sub_resources(stack, bucket, buckets.LIFECYCLE):
        for rule in as_list(get(lifecycle.props, "rules")):
            days = as_int(get(rule, "expiration", "days"))
            if get(rule, "status") == "Enabled" and days is not None and days < floor:
                stack.fail(
                    lifecycle,
                    f"{label(lifecycle)} expires objects after {days} days while quarantined "
                    f"(ticket {incident.ticket}); required: at least {floor} days, as at quarantine",
                )


def _buckets(stack: StackCheck, kept: dict[str, PolicyResource], incident: Quarantine) -> None:
    floors = {
        buckets.AUDIT_LOG: incident.days("audit_retention_days"),
        buckets.MODEL_REGISTRY: incident.days("registry_retention_days"),
    }
    for bucket in kept.values():
        with stack.deciding(bucket):
            if as_bool(get(bucket.props, "forceDestroy")) is True:
                stack.fail(
                    bucket,
                    f"{label(bucket)} has forceDestroy true while quarantined (ticket {incident.ticket}); "
                    "required: false (deleting the stack must not empty an evidence bucket)",
                )
            purpose = buckets.purpose(bucket)
            if purpose in floors:
                _lock_days(stack, bucket, floors[purpose], incident)
            elif purpose in ARTIFACT_PURPOSES:
                _expiry_days(stack, bucket, incident.days("artifact_retention_days"), incident)


def _log_groups(stack: StackCheck, kept: dict[str, PolicyResource], incident: Quarantine) -> None:
    floor = incident.days("log_retention_days")
    for group in kept.values():
        with stack.deciding(group):
            days = as_int(get(group.props, "retentionInDays"))
            if days not in (None, 0) and days < floor:
                stack.fail(
                    group,
                    f"{label(group)} has retentionInDays {days} while quarantined "
                    f"(ticket {incident.ticket}); required: at least {floor}, as at quarantine",
                )


def _repositories(stack: StackCheck, kept: dict[str, PolicyResource], incident: Quarantine) -> None:
    for repository in kept.values():
        if as_bool(get(repository.props, "forceDelete")) is True:
            stack.fail(
                repository,
                f"{label(repository)} has forceDelete true while quarantined (ticket {incident.ticket}); "
                "required: false",
            )


def _trails(stack: StackCheck, kept: dict[str, PolicyResource], incident: Quarantine) -> None:
    for trail in kept.values():
        if as_bool(get(trail.props, "enableLogging")) is False:
            stack.fail(
                trail,
                f"{label(trail)} has enableLogging false while quarantined (ticket {incident.ticket}); "
                "required: true",
            )


@stack_rule(
    "aud-02-quarantine-keeps-evidence",
    control="AUD-02",
    types=[
        *buckets.BUCKET_TYPES,
        buckets.OBJECT_LOCK_CONFIGURATION,
        buckets.LIFECYCLE,
        LOG_GROUP,
        REPOSITORY,
        TRAIL,
        ALIAS,
    ],
    description="On a quarantined stack every bucket, log group, repository, trail and key alias recorded "
    "as evidence at quarantine is still in the stack; object-lock retention, log retention and artifact "
    "expiry are not shorter than recorded; no evidence bucket or repository can be force-deleted; the "
    "trail keeps logging.",
    remediation="Restore the resource or setting to what it was at quarantine (landingzone:incident."
    "evidence lists it); change evidence only after `tenantctl release`.",
    severity=Severity.CRITICAL,
)
def quarantine_keeps_evidence(stack: StackCheck) -> None:
    incident = quarantine()
    kept = _kept(stack, incident)
    _buckets(stack, kept["buckets"], incident)
    _log_groups(stack, kept["log_groups"], incident)
    _repositories(stack, kept["repositories"], incident)
    _trails(stack, kept["trails"], incident)
