"""run_audit: discover the tenant's resources, run every applicable check, return an AuditReport."""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3

from landingzone.controls import load_controls
from landingzone.versions import STAMP_KEYS
from tenantctl.audit.checks import CHECKS, AuditContext, CheckSpec, Missing
from tenantctl.audit.clients import ClientFactory
from tenantctl.audit.drift import compare_intended
from tenantctl.audit.inventory import LiveInventory, discover
from tenantctl.audit.model import AuditReport, AuditTarget, CheckResult, Declared, Status, Thresholds
from tenantctl.audit.reader import AwsReader, Unobservable


class AccountError(Exception):
    """The credentials are not for the account the audit was asked to audit, or say nothing about it."""


def caller_identity(reader: AwsReader) -> tuple[str, str]:
    """(account, ARN) of the credentials, from STS GetCallerIdentity (which no policy can deny)."""
    try:
        data = reader.read("sts", "get_caller_identity").data or {}
    except Unobservable as err:
        raise AccountError(f"cannot tell which account the credentials are for: {err}") from None
    account, arn = str(data.get("Account") or ""), str(data.get("Arn") or "")
    if not account:
        raise AccountError("STS GetCallerIdentity returned no account")
    return account, arn


def stamped_versions(inventory: LiveInventory) -> dict[str, dict[str, int]]:
    """Tag key -> version -> how many live tenant resources carry it (absent: the key is not listed)."""
    found: dict[str, dict[str, int]] = {}
    kinds = (*LiveInventory.REGIONAL_KINDS, "node_groups", "roles")
    tag_sets = [item.tags for kind in kinds for item in getattr(inventory, kind)]
    tag_sets += list(inventory.other_tagged.values())
    for tags in tag_sets:
        for key in STAMP_KEYS:
            if key in tags:
                versions = found.setdefault(key, {})
                versions[tags[key]] = versions.get(tags[key], 0) + 1
    return {key: dict(sorted(versions.items())) for key, versions in sorted(found.items())}


def applicable_checks(target: AuditTarget) -> list[CheckSpec]:
    """Baseline checks for every tenant; regulated checks only for regulated tenants (as the catalog says)."""
    return [spec for spec in CHECKS if target.regulated or not spec.regulated_only]


def run_checks(ctx: AuditContext, specs: list[CheckSpec]) -> list[CheckResult]:
    results: list[CheckResult] = []
    for spec in specs:
        try:
            subjects = list(spec.scope.select(ctx))
        except Unobservable as err:
            results.append(_unobservable(spec, spec.scope.label, err))
            continue
        if not subjects:
            # No evidence either way: the stack declares none and the account holds none. Not a pass.
            results.append(
                CheckResult(
                    spec.control,
                    spec.name,
                    Status.NOT_APPLICABLE,
                    f"({spec.scope.label})",
                    f"no {spec.scope.label} declared by the stack or found live: nothing to judge",
                    {"count": 0},
                )
            )
        results.extend(_judge(ctx, spec, subject) for subject in subjects)
    return results


def _judge(ctx: AuditContext, spec: CheckSpec, subject: Any) -> CheckResult:
    if isinstance(subject, Missing):
        return CheckResult(
            spec.control,
            spec.name,
            Status.FAIL,
            subject.resource,
            "missing: the stack declares it, the account does not hold it",
            {"found": False, "missing": True},
        )
    try:
        outcome = spec.judge(ctx, subject)
    except Unobservable as err:
        return _unobservable(spec, subject.resource, err)
    return CheckResult(
        spec.control,
        spec.name,
        outcome.status,
        subject.resource,
        outcome.detail,
        outcome.evidence,
        outcome.sources,
    )


def _unobservable(spec: CheckSpec, resource: str, err: Unobservable) -> CheckResult:
    evidence = {"error_code": err.code, "operation": err.operation}
    return CheckResult(spec.control, spec.name, Status.NOT_OBSERVABLE, resource, str(err), evidence)


def _nothing_found(target: AuditTarget, specs: list[CheckSpec]) -> list[CheckResult]:
    detail = f"nothing of tenant {target.tenant_id} found in {target.account_id}/{target.region}"
    return [
        CheckResult(spec.control, spec.name, Status.NOT_OBSERVABLE, f"tenant/{target.tenant_id}", detail, {})
        for spec in specs
    ]


def run_audit(
    session_or_clients: boto3.Session | ClientFactory,
    tenant_id: str,
    tier: str,
    region: str,
    *,
    account_id: str | None = None,
    egress: str = "none",
    security_archive_bucket: str | None = None,
    endpoint_url: str | None = None,
    thresholds: Thresholds | None = None,
    intended: list[dict[str, Any]] | None = None,
    declared: Declared | None = None,
    provenance: dict[str, Any] | None = None,
) -> AuditReport:
    """Audit one tenant in one region. Read-only; raises only for what the audit cannot continue past
    (no credentials, an unreachable endpoint, a bug); every denied or unemulated read is a result.

    The audited account is always the caller's (STS). `account_id` is the account the caller means to
    audit: credentials for any other account raise AccountError before anything is read or judged.
    """
    started = dt.datetime.now(dt.UTC)
    clients = (
        session_or_clients
        if isinstance(session_or_clients, ClientFactory)
        else ClientFactory(session_or_clients, region, endpoint_url)
    )
    reader = AwsReader(clients)
    caller_account, caller_arn = caller_identity(reader)
    if account_id is not None and account_id != caller_account:
        raise AccountError(
            f"the credentials are for account {caller_account} ({caller_arn}), not {account_id}: "
            "refusing to audit the wrong account"
        )
    target = AuditTarget(
        tenant_id,
        tier,
        region,
        caller_account,
        egress,
        security_archive_bucket,
        thresholds or Thresholds(),
        declared or Declared(),
        caller_arn,
    )
    inventory: LiveInventory = discover(reader, target)
    specs = applicable_checks(target)
    nothing = inventory.is_empty()
    if nothing:
        results = _nothing_found(target, specs)
    else:
        results = run_checks(AuditContext(target, reader, inventory), specs)
    drift = compare_intended(intended, inventory) if intended is not None and not nothing else []
    return AuditReport(
        target=target,
        results=results,
        catalog_version=load_controls().version,
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC),
        nothing_found=nothing,
        drift=drift,
        inventory_summary=inventory.summary(),
        responses=reader.calls,
        stamped_versions=stamped_versions(inventory),
        provenance=dict(provenance or {}),
    )
