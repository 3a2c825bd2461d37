"""The rule `aud-06-s3-data-events`, one of the AUD-06 rules.

AUD-06: Object-level access to data is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import PolicyResource, Severity

from mlops_policies import buckets
from mlops_policies.iam import elements
from mlops_policies.props import UNKNOWN, as_bool, known
from mlops_policies.resource_types import TRAIL
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule

READ, WRITE = "reads", "writes"
S3_OBJECT = "AWS::S3::Object"
ALL_S3 = ("arn:aws:s3", "arn:aws:s3:::")
RW_MODES = {"All": {READ, WRITE}, "ReadOnly": {READ}, "WriteOnly": {WRITE}}
DATA_PURPOSES = (buckets.MODEL_REGISTRY, buckets.DATASET, buckets.CHECKPOINT)
ADVANCED_FIELDS = {"eventCategory", "resources.type", "readOnly", "resources.ARN"}
OPERATORS = ("equals", "notEquals", "startsWiths", "notStartsWiths", "endsWiths", "notEndsWiths")


@dataclass
class _Coverage:
    modes: set[str] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Target:
    """The bucket being judged, and what a trail input's dependencies say about unknown ARNs in it."""

    name: str | None
    referenced: bool | None  # True: input depends on the bucket; False: on other buckets only; None: no info


def _target(stack: StackCheck, trail: PolicyResource, prop: str, bucket: PolicyResource) -> _Target:
    dependencies = [d for d in stack.referenced_by(trail, prop) if buckets.is_bucket_type(d.resource_type)]
    referenced = any(d.urn == bucket.urn for d in dependencies) or (None if not dependencies else False)
    return _Target(buckets.name(bucket), referenced)


def _covers_value(value: Any, target: _Target, cov: _Coverage, where: str) -> bool:
    if value is UNKNOWN:
        if target.referenced is None:
            cov.unknown.append(f"{where} is unknown with no dependency on a bucket")
        return target.referenced is True
    own = target.name is not None and value == f"arn:aws:s3:::{target.name}/"
    return isinstance(value, str) and (value in ALL_S3 or own)


def _event_selectors(
    stack: StackCheck, trail: PolicyResource, bucket: PolicyResource, cov: _Coverage
) -> None:
    target = _target(stack, trail, "eventSelectors", bucket)
    for index, selector in enumerate(elements(known(trail.props, "eventSelectors"))):
        where = f"{label(trail)} eventSelectors[{index}]"
        read_write = known(selector, "readWriteType", default="All")
        if selector is UNKNOWN or read_write is UNKNOWN:
            cov.unknown.append(f"{where} is unknown")
            continue
        modes = RW_MODES.get(read_write, set()) if isinstance(read_write, str) else set()
        for resource in elements(known(selector, "dataResources")):
            kind = known(resource, "type")
            if resource is UNKNOWN or kind is UNKNOWN:
                cov.unknown.append(f"{where}.dataResources is unknown")
            elif kind == S3_OBJECT and any(
                _covers_value(v, target, cov, f"{where} values") for v in elements(known(resource, "values"))
            ):
                cov.modes |= modes


def _operators(selector: Any) -> dict[str, list[Any]]:
    """The non-empty operators of a field selector and their values (items may be UNKNOWN)."""
    found = {op: elements(known(selector, op)) for op in OPERATORS}
    return {op: values for op, values in found.items() if values}


def _advanced_modes(selector: Any, target: _Target, cov: _Coverage, where: str) -> set[str]:
    """The modes an advanced event selector records for all objects of the bucket."""
    fields: dict[str, dict[str, list[Any]]] = {}
    for field_selector in elements(known(selector, "fieldSelectors")):
        field_name = known(field_selector, "field")
        operators = _operators(field_selector)
        if field_name is UNKNOWN or any(UNKNOWN in v for op, v in operators.items() if op != "startsWiths"):
            cov.unknown.append(f"{where} has unknown field selectors")
            return set()
        if isinstance(field_name, str):
            fields[field_name] = operators
    if set(fields) - ADVANCED_FIELDS:
        return set()  # other fields (eventName, userIdentity.arn, ...) record only part of the events
    if fields.get("eventCategory") != {"equals": ["Data"]} or fields.get("resources.type") != {
        "equals": [S3_OBJECT]
    }:
        return set()
    read_only = fields.get("readOnly")
    modes = {READ, WRITE} if read_only is None else set()
    if read_only is not None and set(read_only) == {"equals"}:
        modes = {READ for v in read_only["equals"] if str(v).lower() == "true"}
        modes |= {WRITE for v in read_only["equals"] if str(v).lower() == "false"}
    arns = fields.get("resources.ARN")
    if arns is None:
        return modes
    if set(arns) != {"startsWiths"}:
        return set()
    object_prefix = f"arn:aws:s3:::{target.name}/" if target.name else None
    for prefix in arns["startsWiths"]:
        if prefix is UNKNOWN and _covers_value(prefix, target, cov, f"{where} resources.ARN"):
            return modes
        covering = isinstance(prefix, str) and prefix.startswith("arn:aws:s3:::")
        if covering and object_prefix and object_prefix.startswith(prefix):
            return modes
    return set()


def _logging(trail: PolicyResource) -> bool | None:
    """False for a trail with logging turned off (it records nothing), None when that is unknown."""
    value = known(trail.props, "enableLogging", default=True)
    return None if value is UNKNOWN else as_bool(value) is not False


def _data_event_coverage(stack: StackCheck, bucket: PolicyResource) -> _Coverage:
    cov = _Coverage()
    name = buckets.name(bucket)
    for trail in stack.of_type(TRAIL):
        logging = _logging(trail)
        if logging is None:
            cov.unknown.append(f"{label(trail)} enableLogging is unknown")
        if not logging:
            continue  # its selectors record nothing while logging is off
        _event_selectors(stack, trail, bucket, cov)
        target = _target(stack, trail, "advancedEventSelectors", bucket)
        for index, selector in enumerate(elements(known(trail.props, "advancedEventSelectors"))):
            where = f"{label(trail)} advancedEventSelectors[{index}]"
            cov.modes |= _advanced_modes(selector, target, cov, where)
    if name is None and cov.modes != {READ, WRITE}:
        cov.unknown.append("the bucket's name is unknown")
    return cov


@stack_rule(
    "aud-06-s3-data-events",
    control="AUD-06",
    types=[TRAIL, *buckets.BUCKET_TYPES],
    severity=Severity.MEDIUM,
    description="For regulated tenants, a trail that logs (enableLogging true or unset) records S3 data "
    "events, reads and writes, for all objects of every bucket with purpose model-registry, dataset or "
    "checkpoint.",
    remediation="Add to the trail event_selectors=[{'read_write_type': 'All', 'include_management_events': "
    "True, 'data_resources': [{'type': 'AWS::S3::Object', "
    "'values': [pulumi.Output.concat(bucket.arn, '/')]}]}]"
    " for each such bucket, or an advanced event selector on eventCategory Data and resources.type "
    "AWS::S3::Object.",
)
def s3_data_events(stack: StackCheck) -> None:
    trails = stack.of_type(TRAIL)
    for bucket in buckets.with_purpose(stack, *DATA_PURPOSES):
        with stack.deciding(bucket):
            cov = _data_event_coverage(stack, bucket)
            missing = " and ".join(m for m in (READ, WRITE) if m not in cov.modes)
            if missing and cov.unknown:
                raise Undecided(list(dict.fromkeys(cov.unknown)))
            if not missing:
                continue
            what = f"S3 data events for {missing} of {label(bucket)} (purpose {buckets.purpose(bucket)})"
            value = f"arn:aws:s3:::{buckets.name(bucket)}/"
            required = (
                f"required: a data resource {{type {S3_OBJECT!r}, values [{value!r}]}} with readWriteType "
                "All, or an equivalent advanced event selector"
            )
            # The trail's selectors are what to fix; with no trail at all, the stack is.
            for trail in trails:
                off = "has enableLogging false, so it " if _logging(trail) is False else ""
                stack.fail(trail, f"{label(trail)} {off}records no {what}; {required}")
            if not trails:
                stack.fail(None, f"the stack has no {TRAIL} recording {what}; {required}")
