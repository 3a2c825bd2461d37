"""Secret management: key rotation and key policies (SEC-01/08), the secret store (SEC-02/03), no
long-lived credentials (SEC-05) and tightly scoped role trust (SEC-06)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mlops_policies.policy_documents import parse, statements
from mlops_policies.policy_predicates import (
    public_grant,
    web_identity_providers,
    web_identity_scope_problems,
    wide_trust,
)
from tenantctl.audit.checks.registry import AuditContext, Outcome, check, unobservable, verdict
from tenantctl.audit.checks.scopes import ROLES, SECRETS, TENANT_KEYS, USERS
from tenantctl.audit.inventory import LiveKey, LiveRole, LiveSecret, LiveUser

MAX_SESSION_SECONDS = 3600


@check("SEC-01", "kms_rotation_enabled", TENANT_KEYS)
def kms_rotation_enabled(ctx: AuditContext, key: LiveKey) -> Outcome:
    """Tenant KMS keys rotate automatically."""
    if key.metadata.get("KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT":
        return verdict(
            True, "asymmetric/HMAC keys cannot rotate automatically", {"KeySpec": key.metadata.get("KeySpec")}
        )
    reply = ctx.read("kms", "get_key_rotation_status", KeyId=key.key_id)
    data = reply.data or {}
    evidence = {
        "KeyRotationEnabled": data.get("KeyRotationEnabled"),
        "RotationPeriodInDays": data.get("RotationPeriodInDays"),
    }
    enabled = data.get("KeyRotationEnabled") is True
    return verdict(enabled, "rotation enabled" if enabled else "rotation disabled", evidence, reply)


@check("SEC-01", "kms_key_not_pending_deletion", TENANT_KEYS)
def kms_key_not_pending_deletion(ctx: AuditContext, key: LiveKey) -> Outcome:
    """Tenant KMS keys are enabled, not scheduled for deletion or disabled."""
    reply = ctx.read("kms", "describe_key", KeyId=key.key_id)
    meta = (reply.data or {}).get("KeyMetadata", {})
    evidence = {"KeyState": meta.get("KeyState"), "DeletionDate": meta.get("DeletionDate")}
    return verdict(meta.get("KeyState") == "Enabled", f"key state {meta.get('KeyState')}", evidence, reply)


@check("SEC-08", "kms_key_policy_principals", TENANT_KEYS, regulated=True)
def kms_key_policy_principals(ctx: AuditContext, key: LiveKey) -> Outcome:
    """Regulated key policies grant kms:* or kms:Decrypt to no unconditioned wildcard principal."""
    reply = ctx.read("kms", "get_key_policy", KeyId=key.key_id, PolicyName="default")
    document = parse((reply.data or {}).get("Policy"))
    if document is None:
        return unobservable("key policy is not a JSON document", {}, reply)
    # The gate's SEC-08 rule judges the declared key policy with the same predicate.
    open_grants = [s for s in statements(document) if public_grant(s, "kms:Decrypt")]
    evidence = {"open_statements": open_grants, "statement_count": len(list(statements(document)))}
    return verdict(not open_grants, f"{len(open_grants)} statement(s) open to Principal *", evidence, reply)


@check("SEC-02", "secret_tenant_kms_key", SECRETS)
def secret_tenant_kms_key(ctx: AuditContext, secret: LiveSecret) -> Outcome:
    """Secrets are encrypted with a tenant KMS key, not the AWS-managed default."""
    key = secret.data.get("KmsKeyId")
    evidence = {"KmsKeyId": key}
    source = ctx.listed("secretsmanager", "ListSecrets")
    if not key:
        return verdict(False, "uses the AWS-managed key aws/secretsmanager", evidence, source)
    return verdict(ctx.inventory.is_tenant_key(key), f"KMS key {key}", evidence, source)


def _rotation_days(rules: dict[str, Any]) -> int | None:
    if rules.get("AutomaticallyAfterDays"):
        return int(rules["AutomaticallyAfterDays"])
    match = re.fullmatch(
        r"rate\((\d+) (hour|hours|day|days)\)", str(rules.get("ScheduleExpression", "")).strip()
    )
    if match:
        amount = int(match.group(1))
        return max(1, amount // 24) if match.group(2).startswith("hour") else amount
    return None


@check("SEC-03", "secret_rotation_schedule", SECRETS)
def secret_rotation_schedule(ctx: AuditContext, secret: LiveSecret) -> Outcome:
    """Secrets rotate at least every maxRotationDays."""
    rules = dict(secret.data.get("RotationRules") or {})
    enabled = secret.data.get("RotationEnabled") is True
    evidence = {"RotationEnabled": secret.data.get("RotationEnabled"), "RotationRules": rules or None}
    source = ctx.listed("secretsmanager", "ListSecrets")
    if not enabled:
        return verdict(False, "rotation is not enabled", evidence, source)
    days = _rotation_days(rules)
    if days is None:
        return unobservable(
            f"cron schedule {rules.get('ScheduleExpression')}: interval not derived", evidence, source
        )
    limit = ctx.target.thresholds.max_rotation_days
    return verdict(days <= limit, f"rotates every {days} days (limit {limit})", evidence, source)


@check("SEC-05", "iam_user_no_access_keys", USERS)
def iam_user_no_access_keys(ctx: AuditContext, user: LiveUser) -> Outcome:
    """Tenant IAM users hold no access keys: workloads use workload identity."""
    keys, refs = ctx.reader.listing("iam", "list_access_keys", "AccessKeyMetadata", UserName=user.name)
    evidence = {
        "AccessKeyMetadata": [{"AccessKeyId": k.get("AccessKeyId"), "Status": k.get("Status")} for k in keys]
    }
    return verdict(not keys, f"{len(keys)} access key(s)", evidence, *refs)


@check("SEC-05", "iam_user_no_login_profile", USERS)
def iam_user_no_login_profile(ctx: AuditContext, user: LiveUser) -> Outcome:
    """Tenant IAM users have no console password."""
    reply = ctx.reader.read("iam", "get_login_profile", absent={"NoSuchEntity"}, UserName=user.name)
    profile = None if reply.data is None else reply.data.get("LoginProfile", {})
    evidence = {"LoginProfile": None if profile is None else {"CreateDate": profile.get("CreateDate")}}
    return verdict(
        profile is None, "no login profile" if profile is None else "has a console password", evidence, reply
    )


def _trust(role: LiveRole) -> Mapping[str, Any] | None:
    return parse(role.data.get("AssumeRolePolicyDocument"))


def _role_source(ctx: AuditContext, role: LiveRole) -> Any:
    return ctx.reader.read("iam", "get_role", RoleName=role.name)


@check("SEC-06", "role_trust_no_wildcard_principal", ROLES)
def role_trust_no_wildcard_principal(ctx: AuditContext, role: LiveRole) -> Outcome:
    """No role trust policy allows every principal, or every principal of another account."""
    # As the gate's sec-06-no-wildcard-trust reads it: every spelling of "everyone" (Principal '*',
    # {'AWS': '*'}, arn:aws:iam::*:root, NotPrincipal), and every principal of another account.
    judged = [(s, wide_trust(s, ctx.target.account_id)) for s in statements(_trust(role))]
    wild = [s for s, wide in judged if wide]
    evidence = {"wildcard_statements": wild, "too_wide": [w for _, wide in judged for w in wide]}
    detail = f"{len(wild)} statement(s) trust every principal or another account's"
    return verdict(not wild, detail, evidence, _role_source(ctx, role))


@check("SEC-06", "role_web_identity_scoped", ROLES)
def role_web_identity_scoped(ctx: AuditContext, role: LiveRole) -> Outcome:
    """Web-identity trust names one service account (StringEquals :sub) and aud sts.amazonaws.com."""
    federated = [s for s in statements(_trust(role)) if web_identity_providers(s)]
    # The gate's sec-06-irsa-trust-one-service-account names the same problems.
    problems = [
        f"{problem}; required: {required}"
        for statement in federated
        for provider in web_identity_providers(statement)
        for problem, required in web_identity_scope_problems(statement, provider)
    ]
    evidence = {"web_identity_statements": federated, "problems": problems}
    detail = "; ".join(problems) if problems else f"{len(federated)} web-identity statement(s), scoped"
    return verdict(not problems, detail, evidence, _role_source(ctx, role))


@check("SEC-06", "role_max_session_duration", ROLES)
def role_max_session_duration(ctx: AuditContext, role: LiveRole) -> Outcome:
    """Role sessions last at most one hour."""
    seconds = int(role.data.get("MaxSessionDuration") or 3600)
    evidence = {"MaxSessionDuration": seconds}
    return verdict(
        seconds <= MAX_SESSION_SECONDS,
        f"{seconds} s (limit {MAX_SESSION_SECONDS})",
        evidence,
        _role_source(ctx, role),
    )
