"""Secrets: rotating KMS keys, secrets in the store under the tenant key, no plaintext or long-lived
credentials, workload identity scoped to one service account, guarded key policies."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy import PolicyResource, Severity

from mlops_policies import credentials, keys, workloads
from mlops_policies.core import ResourceCheck, Rule, StackCheck, Undecided, label, resource_rule, stack_rule
from mlops_policies.props import (
    UNKNOWN,
    action_matches,
    as_bool,
    as_int,
    as_list,
    as_str,
    get,
    known,
    policy_document,
    principals,
    shown,
    statement_values,
    statements,
)

KMS_KEY = "aws:kms/key:Key"
KMS_ALIAS = "aws:kms/alias:Alias"
KMS_KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
SECRET = "aws:secretsmanager/secret:Secret"
SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
LAMBDA_FUNCTION = "aws:lambda/function:Function"
ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
SAGEMAKER_MODEL = "aws:sagemaker/model:Model"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
ACCESS_KEY = "aws:iam/accessKey:AccessKey"
LOGIN_PROFILE = "aws:iam/userLoginProfile:UserLoginProfile"
ROLE = "aws:iam/role:Role"
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"

IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"
WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
_SERVICE_ACCOUNT_SUB = re.compile(r"system:serviceaccount:[a-z0-9][-a-z0-9]*:[a-z0-9][-.a-z0-9]*")


# ---------------------------------------------------------------- SEC-01: key rotation and deletion window


def _rotatable(props: Mapping[str, Any]) -> bool:
    # Asymmetric and HMAC keys, and keys in custom key stores, cannot rotate automatically (AWS rejects
    # enableKeyRotation for them). An unknown customKeyStoreId is still set, so the key is in a store.
    spec = as_str(get(props, "customerMasterKeySpec")) or as_str(get(props, "keySpec")) or "SYMMETRIC_DEFAULT"
    store = known(props, "customKeyStoreId")
    return spec == "SYMMETRIC_DEFAULT" and (store is None or store == "")


@resource_rule(
    "sec-01-kms-key-rotation",
    control="SEC-01",
    types=[KMS_KEY],
    severity=Severity.HIGH,
    description="Symmetric KMS keys rotate their key material automatically (enableKeyRotation true); "
    "asymmetric, HMAC and custom-key-store keys cannot rotate and are not judged.",
    remediation="Set enable_key_rotation=True on the aws.kms.Key (optionally rotation_period_in_days=365).",
)
def kms_key_rotation(r: ResourceCheck) -> None:
    if not _rotatable(r.props):
        return
    rotation = get(r.props, "enableKeyRotation")
    if as_bool(rotation) is not True:
        r.fail(f"{r.label} has enableKeyRotation {shown(rotation)}; required: true")


@resource_rule(
    "sec-01-kms-deletion-window",
    control="SEC-01",
    types=[KMS_KEY],
    severity=Severity.MEDIUM,
    description="KMS keys wait at least `minDeletionWindowDays` (default 14) days before deletion; "
    "a missing deletionWindowInDays means the AWS default of 30 and passes.",
    remediation="Set deletion_window_in_days to 30 (or at least 14) on the aws.kms.Key.",
    config={"minDeletionWindowDays": {"type": "integer", "default": 14}},
)
def kms_deletion_window(r: ResourceCheck) -> None:
    minimum = r.config["minDeletionWindowDays"]
    window = get(r.props, "deletionWindowInDays")
    if window is None:
        return
    days = as_int(window)
    if days is None or days < minimum:
        r.fail(f"{r.label} has deletionWindowInDays {window!r}; required: at least {minimum}")


# ---------------------------------------------------------------- SEC-02: secrets under the tenant key


@stack_rule(
    "sec-02-secret-tenant-key",
    control="SEC-02",
    types=[SECRET, KMS_KEY, KMS_ALIAS],
    severity=Severity.HIGH,
    description="Every Secrets Manager secret is encrypted with a customer-managed KMS key of the tenant "
    "(kmsKeyId from a key tagged with the tenant), never the AWS-managed aws/secretsmanager key.",
    remediation="Pass kms_key_id=<tenant secrets key>.arn to aws.secretsmanager.Secret "
    "(TenantKeys(...).arn(KeyPurpose.SECRETS)).",
)
def secret_tenant_key(stack: StackCheck) -> None:
    # keys.key_use: dependencies on a tenant-tagged Key (or its Alias) decide, also in a first preview;
    # an unknown value without them is undecided; a known value must name this stack's tenant keys.
    for secret in stack.of_type(SECRET):
        with stack.deciding(secret):
            use = keys.require_decided(keys.key_use(stack, secret, "kmsKeyId"), f"{label(secret)} kmsKeyId")
            if not use.tenant_key:
                required = f"a customer-managed KMS key of tenant {stack.tenant.id}"
                stack.fail(secret, f"{label(secret)} has kmsKeyId {use.found}; required: {required}")


# ---------------------------------------------------------------- SEC-03: secrets rotate

_RATE = re.compile(r"rate\(\s*([0-9]+)\s+(hours?|days?)\s*\)", re.IGNORECASE)
_CRON = re.compile(r"cron\((.*)\)", re.IGNORECASE)
_WEEKDAY = r"(?:[1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)"


def _cron_day_of_month_gap(field: str) -> int | None:
    if field == "*":
        return 1
    if field == "L":
        return 31
    firsts = []
    for part in field.split(","):
        match = re.fullmatch(r"(\*|[0-9]{1,2})(?:-[0-9]{1,2})?(?:/[0-9]{1,2})?(W?)", part)
        if not match:
            return None
        firsts.append((1 if match.group(1) == "*" else int(match.group(1)), match.group(2)))
    # A day that exists in every month (1-28) fires every month: at most 31 days apart, 33 with the
    # nearest-weekday shift of `W`.
    gaps = [33 if weekday else 31 for day, weekday in firsts if 1 <= day <= 28]
    return min(gaps) if gaps else None


def _cron_day_of_week_gap(field: str) -> int | None:
    if field == "*":
        return 1
    if re.fullmatch(rf"{_WEEKDAY}(?:-{_WEEKDAY})?(?:,{_WEEKDAY}(?:-{_WEEKDAY})?)*", field, re.IGNORECASE):
        return 7
    # The n-th (n <= 4) or last weekday of every month: at most 35 days apart. A fifth one skips months.
    if re.fullmatch(rf"{_WEEKDAY}(?:#[1-4]|L)", field, re.IGNORECASE):
        return 35
    return None


def schedule_max_gap_days(expression: str) -> int | None:
    """The longest a schedule can go between rotations, in days; None when that cannot be shown.

    A cron counts only when it fires in every month of every year (month and year `*`) on a day that
    every month has; anything else (selected months, 29th-31st, fifth weekdays) cannot be shown to
    rotate in time and is judged as not rotating often enough.
    """
    text = expression.strip()
    rate = _RATE.fullmatch(text)
    if rate:
        amount = int(rate.group(1))
        if amount < 1:
            return None
        return -(-amount // 24) if rate.group(2).lower().startswith("hour") else amount
    cron = _CRON.fullmatch(text)
    fields = cron.group(1).split() if cron else []
    if len(fields) != 6 or fields[3] not in {"*", "*/1"} or fields[5] not in {"*", "*/1"}:
        return None
    day_of_month, day_of_week = fields[2], fields[4]
    if day_of_month == "?" and day_of_week != "?":
        return _cron_day_of_week_gap(day_of_week)
    if day_of_week == "?" and day_of_month != "?":
        return _cron_day_of_month_gap(day_of_month)
    return None


def _rotation_problem(rotation: PolicyResource, max_days: int) -> str | None:
    days = get(rotation.props, "rotationRules", "automaticallyAfterDays")
    if days is not None:
        count = as_int(days)
        return None if count is not None and 1 <= count <= max_days else f"automaticallyAfterDays {days!r}"
    schedule = get(rotation.props, "rotationRules", "scheduleExpression")
    if isinstance(schedule, str):
        gap = schedule_max_gap_days(schedule)
        return None if gap is not None and gap <= max_days else f"scheduleExpression {schedule!r}"
    return "no automaticallyAfterDays or scheduleExpression"


def _rotations_of(stack: StackCheck, secret: PolicyResource) -> list[PolicyResource]:
    found = stack.attached_to(secret, [SECRET_ROTATION], "secretId")
    arn = known(secret.props, "arn")
    if isinstance(arn, str):
        found += [
            r for r in stack.of_type(SECRET_ROTATION) if r not in found and known(r.props, "secretId") == arn
        ]
    return found


def _unresolved(stack: StackCheck, type_: str, prop: str) -> list[PolicyResource]:
    """Resources whose `prop` is unknown and has no dependency information: they may refer to anything."""
    return [
        r
        for r in stack.of_type(type_)
        if known(r.props, prop) is UNKNOWN and not stack.referenced_by(r, prop)
    ]


@stack_rule(
    "sec-03-secret-rotation",
    control="SEC-03",
    types=[SECRET, SECRET_ROTATION],
    severity=Severity.MEDIUM,
    description="Every Secrets Manager secret has a SecretRotation (secretId from the secret) whose "
    "rotationRules rotate it at least every `maxRotationDays` (default 90) days: automaticallyAfterDays, "
    "rate(N days), or a cron that fires every month.",
    remediation="Add aws.secretsmanager.SecretRotation(secret_id=secret.id, rotation_lambda_arn=..., "
    "rotation_rules={'automatically_after_days': 30}) for each secret (or a managed-rotation schedule).",
    config={"maxRotationDays": {"type": "integer", "default": 90}},
)
def secret_rotation(stack: StackCheck) -> None:
    max_days = stack.config["maxRotationDays"]
    required = f"rotation at least every {max_days} days"
    for secret in stack.of_type(SECRET):
        with stack.deciding(secret):
            rotations = _rotations_of(stack, secret)
            if not rotations:
                unresolved = _unresolved(stack, SECRET_ROTATION, "secretId")
                if unresolved:
                    raise Undecided([f"secretId of {label(unresolved[0])} is unknown, with no dependencies"])
                stack.fail(secret, f"{label(secret)} has no {SECRET_ROTATION}; required: {required}")
                continue
            problems = [(rotation, _rotation_problem(rotation, max_days)) for rotation in rotations]
            if all(problem for _, problem in problems):
                rotation, problem = problems[0]
                stack.fail(
                    secret,
                    f"{label(secret)} rotates through {label(rotation)} with rotationRules {problem}; "
                    f"required: {required} (automaticallyAfterDays <= {max_days}, rate(N days) with "
                    f"N <= {max_days}, or a cron firing every month)",
                )


# ---------------------------------------------------------------- SEC-04: no plaintext credentials


def _items(value: Any) -> list[tuple[int, Any]]:
    """(index, element) of a sequence, each element read with `known` so one unknown entry does not
    hide the others; [] for anything that is not a sequence."""
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        return []
    return [(index, known(value, index)) for index in range(len(value))]


class _EnvScan:
    """Reports every definite finding first, then defers the resource if any value was unknown.

    A computed (unknown) value is not a literal typed into the program, so it matters only under a
    secret-suggesting name, where it may be e.g. a generated password placed in plaintext.
    """

    def __init__(self, r: ResourceCheck, fix: str) -> None:
        self.r, self.fix = r, fix
        self.pending: list[str] = []

    def unknown(self, path: str) -> None:
        self.pending.append(f"{path} is unknown")

    def variable(self, where: str, name: Any, value: Any) -> None:
        if value is UNKNOWN:
            if name is UNKNOWN or (isinstance(name, str) and credentials.secret_name(name)):
                self.unknown(f"{where} '{name}' value")
            return
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value:
            return
        if name is UNKNOWN:
            self.unknown(f"{where} name")
        shown = credentials.display_name(name) if isinstance(name, str) else "<unnamed>"
        finding = credentials.literal_env_findings(name if isinstance(name, str) else None, value)
        if finding:
            self.r.fail(f"{self.r.label} {where} '{shown}' {finding}; required: {self.fix}")

    def mapping(self, where: str, variables: Any) -> None:
        if variables is UNKNOWN:
            self.unknown(where)
        elif isinstance(variables, Mapping):
            for name in variables:
                self.variable(where, name, known(variables, name))

    def name_value_list(self, where: str, entries: Any) -> None:
        if entries is UNKNOWN:
            self.unknown(where)
        for index, entry in _items(entries):
            if entry is UNKNOWN:
                self.unknown(f"{where}[{index}]")
            elif isinstance(entry, Mapping):
                self.variable(where, known(entry, "name"), known(entry, "value"))

    def done(self) -> None:
        if self.pending:
            raise Undecided(self.pending)


@resource_rule(
    "sec-04-k8s-env-secrets",
    control="SEC-04",
    types=list(workloads.WORKLOAD_TYPES),
    severity=Severity.CRITICAL,
    description="No container env var of a Kubernetes workload has a literal value that looks like a "
    "credential, or a literal value under a secret-suggesting name; secrets come from secretKeyRef.",
    remediation="Replace env value=... with value_from={'secret_key_ref': {'name': <Secret>, 'key': ...}} "
    "(or mount the secret as a volume) and rotate the exposed credential.",
)
def k8s_env_secrets(r: ResourceCheck) -> None:
    scan = _EnvScan(r, "valueFrom.secretKeyRef (or a mounted Secret volume)")
    for spec in workloads.pod_specs(r.type, r.props):
        for container in workloads.containers(spec):
            name = known(container.container, "name")
            where = (
                f"container {name!r} ({container.path}) env"
                if isinstance(name, str)
                else f"{container.path} env"
            )
            scan.name_value_list(where, known(container.container, "env"))
    scan.done()


@resource_rule(
    "sec-04-lambda-env-secrets",
    control="SEC-04",
    types=[LAMBDA_FUNCTION],
    severity=Severity.CRITICAL,
    description="No Lambda environment variable has a literal value that looks like a credential, or a "
    "literal value under a secret-suggesting name; functions read secrets from Secrets Manager.",
    remediation="Remove the value from environment={'variables': ...}; pass the secret's ARN instead and "
    "read it at runtime (Secrets Manager / Parameters and Secrets Lambda extension); rotate the credential.",
)
def lambda_env_secrets(r: ResourceCheck) -> None:
    scan = _EnvScan(r, "the secret's ARN, read at runtime from Secrets Manager")
    scan.mapping("environment.variables", known(r.props, "environment", "variables"))
    scan.done()


def _container_definitions(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [d for _, d in _items(value)]


@resource_rule(
    "sec-04-ecs-env-secrets",
    control="SEC-04",
    types=[ECS_TASK_DEFINITION],
    severity=Severity.CRITICAL,
    description="No ECS container definition has an environment entry with a literal value that looks like "
    "a credential, or a literal value under a secret-suggesting name; secrets come from `secrets` valueFrom.",
    remediation="Move the entry from environment to secrets=[{'name': ..., 'valueFrom': <secret ARN>}] in "
    "container_definitions and rotate the credential.",
)
def ecs_env_secrets(r: ResourceCheck) -> None:
    scan = _EnvScan(r, "secrets[{name, valueFrom: <Secrets Manager or SSM ARN>}]")
    definitions = known(r.props, "containerDefinitions")
    if definitions is UNKNOWN:
        scan.unknown("containerDefinitions")
    for index, definition in enumerate(_container_definitions(definitions)):
        name = known(definition, "name")
        where = f"containerDefinitions[{index}]" + (f" ({name!r})" if isinstance(name, str) else "")
        scan.name_value_list(f"{where} environment", known(definition, "environment"))
    scan.done()


@resource_rule(
    "sec-04-sagemaker-env-secrets",
    control="SEC-04",
    types=[SAGEMAKER_MODEL],
    severity=Severity.CRITICAL,
    description="No SageMaker model container environment has a literal value that looks like a credential, "
    "or a literal value under a secret-suggesting name.",
    remediation="Remove the value from primary_container/containers environment; pass the secret's ARN and "
    "read it at runtime with the model's execution role; rotate the credential.",
)
def sagemaker_env_secrets(r: ResourceCheck) -> None:
    scan = _EnvScan(r, "the secret's ARN, read at runtime from Secrets Manager")
    scan.mapping("primaryContainer.environment", known(r.props, "primaryContainer", "environment"))
    containers = known(r.props, "containers")
    if containers is UNKNOWN:
        scan.unknown("containers")
    for index, container in _items(containers):
        environment = UNKNOWN if container is UNKNOWN else known(container, "environment")
        scan.mapping(f"containers[{index}].environment", environment)
    scan.done()


@resource_rule(
    "sec-04-user-data-secrets",
    control="SEC-04",
    types=[LAUNCH_TEMPLATE],
    severity=Severity.CRITICAL,
    description="Launch template user data (plain or base64/gzip) contains no credentials: no access key "
    "ids, private keys, tokens or passwords.",
    remediation="Remove the credential from user_data; fetch it at boot from Secrets Manager or SSM "
    "Parameter Store with the instance role, and rotate it.",
)
def user_data_secrets(r: ResourceCheck) -> None:
    user_data = get(r.props, "userData")
    if not isinstance(user_data, str):
        return
    reported: set[str] = set()
    for how, text in credentials.user_data_texts(user_data):
        for finding in credentials.scan_text(text):
            if finding.kind not in reported:
                reported.add(finding.kind)
                r.fail(
                    f"{r.label} has userData ({how}) containing {finding.kind} at line {finding.line}; "
                    "required: no credentials in user data (fetch them at boot with the instance role)"
                )


# ---------------------------------------------------------------- SEC-05: no long-lived credentials


@resource_rule(
    "sec-05-no-iam-access-keys",
    control="SEC-05",
    types=[ACCESS_KEY],
    severity=Severity.CRITICAL,
    description="The stack creates no IAM access keys; workloads get short-lived credentials through "
    "workload identity (IRSA / instance and task roles).",
    remediation="Delete the aws.iam.AccessKey; give the workload an IAM role (IRSA for pods, task or "
    "instance roles elsewhere).",
)
def no_iam_access_keys(r: ResourceCheck) -> None:
    r.fail(f"{r.label} creates a long-lived IAM access key; required: no access keys (use workload identity)")


@resource_rule(
    "sec-05-no-iam-login-profiles",
    control="SEC-05",
    types=[LOGIN_PROFILE],
    severity=Severity.HIGH,
    description="The stack creates no IAM user login profiles (console passwords); people sign in through "
    "the identity provider.",
    remediation="Delete the aws.iam.UserLoginProfile; grant human access through IAM Identity Center roles.",
)
def no_iam_login_profiles(r: ResourceCheck) -> None:
    r.fail(f"{r.label} creates an IAM console password; required: no login profiles (use federated sign-in)")


# ---------------------------------------------------------------- SEC-06: workload identity trust


def _allows(statement: Mapping[str, Any]) -> bool:
    # A statement without Effect is invalid; judged as Allow so a malformed grant is not waved through.
    return get(statement, "Effect") != "Deny"


def _grants(statement: Mapping[str, Any], action: str) -> bool:
    if get(statement, "NotAction") is not None:
        return not any(action_matches(p, action) for p in statement_values(statement, "NotAction"))
    return any(action_matches(p, action) for p in statement_values(statement, "Action"))


def _everyone(statement: Mapping[str, Any]) -> str | None:
    """How a statement names every principal ("Principal '*'", or Allow with NotPrincipal), or None."""
    if "*" in principals(statement):
        return "Principal '*'"
    if get(statement, "NotPrincipal") is not None:
        return "NotPrincipal (every principal not listed)"
    return None


def _statement_name(index: int, statement: Mapping[str, Any]) -> str:
    sid = as_str(get(statement, "Sid"))
    return f"statement {sid!r}" if sid else f"statement #{index + 1}"


def _trust_statements(props: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Allow statements of the role's trust policy; an unknown assumeRolePolicy raises (undecided)."""
    for index, statement in enumerate(statements(policy_document(get(props, "assumeRolePolicy")))):
        if _allows(statement):
            yield _statement_name(index, statement), statement


def _web_identity(props: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], list[str]]]:
    """Trust statements granting AssumeRoleWithWebIdentity to Federated principals, with the providers."""
    for name, statement in _trust_statements(props):
        providers = [p for p in as_list(get(statement, "Principal", "Federated")) if isinstance(p, str)]
        if providers and _grants(statement, WEB_IDENTITY):
            yield name, statement, providers


def _condition(statement: Mapping[str, Any], operator: str, key: str) -> list[Any] | None:
    """Values of a condition key under one operator (IAM condition keys are case-insensitive)."""
    block = get(statement, "Condition", operator)
    if not isinstance(block, Mapping):
        return None
    for candidate in block:
        if isinstance(candidate, str) and candidate.lower() == key.lower():
            return as_list(get(block, candidate))
    return None


def _provider_prefix(federated: str) -> str:
    """Condition-key prefix of an OIDC provider: the ARN's part after `oidc-provider/`."""
    return federated.split(":oidc-provider/", 1)[1] if ":oidc-provider/" in federated else federated


def _one(values: list[Any]) -> str:
    return repr(values[0]) if len(values) == 1 else repr(values)


def _scope_problems(statement: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    sub, aud = f"{prefix}:sub", f"{prefix}:aud"
    subjects = _condition(statement, "StringEquals", sub)
    exact = "exactly one 'system:serviceaccount:<namespace>:<name>' without wildcards"
    if subjects is None:
        yield f"no StringEquals condition on {sub!r}", f"StringEquals {sub!r}: {exact}"
    elif len(subjects) != 1 or not _SERVICE_ACCOUNT_SUB.fullmatch(str(subjects[0])):
        yield f"StringEquals {sub!r} {_one(subjects)}", exact
    patterns = _condition(statement, "StringLike", sub) or []
    if any(not isinstance(p, str) or "*" in p or "?" in p for p in patterns):
        yield (
            f"StringLike {sub!r} {_one(patterns)}",
            f"StringEquals {sub!r} with {exact}, no StringLike wildcards",
        )
    audiences = _condition(statement, "StringEquals", aud)
    if audiences != ["sts.amazonaws.com"]:
        found = "missing" if audiences is None else _one(audiences)
        yield f"StringEquals {aud!r} {found}", f"StringEquals {aud!r}: 'sts.amazonaws.com'"


@resource_rule(
    "sec-06-irsa-trust-one-service-account",
    control="SEC-06",
    types=[ROLE],
    severity=Severity.HIGH,
    description="Roles trusted through web identity (sts:AssumeRoleWithWebIdentity from a Federated OIDC "
    "provider) require StringEquals <provider>:sub = one system:serviceaccount:<namespace>:<name> and "
    "<provider>:aud = sts.amazonaws.com.",
    remediation='In assume_role_policy add "Condition": {"StringEquals": {"<provider>:sub": '
    '"system:serviceaccount:<namespace>:<name>", "<provider>:aud": "sts.amazonaws.com"}} and drop '
    "StringLike wildcards; use one role per service account.",
)
def irsa_trust_one_service_account(r: ResourceCheck) -> None:
    for name, statement, providers in _web_identity(r.props):
        for provider in providers:
            for problem, required in _scope_problems(statement, _provider_prefix(provider)):
                r.fail(
                    f"{r.label} assumeRolePolicy {name} (web identity) has {problem}; required: {required}"
                )


@resource_rule(
    "sec-06-irsa-session-duration",
    control="SEC-06",
    types=[ROLE],
    severity=Severity.MEDIUM,
    description="Roles trusted through web identity keep maxSessionDuration at most `maxSessionSeconds` "
    "(default 3600); a missing value means the AWS default of 3600 and passes.",
    remediation="Set max_session_duration=3600 (or less) on the aws.iam.Role, or leave it unset.",
    config={"maxSessionSeconds": {"type": "integer", "default": 3600}},
)
def irsa_session_duration(r: ResourceCheck) -> None:
    maximum = r.config["maxSessionSeconds"]
    duration = get(r.props, "maxSessionDuration")
    seconds = as_int(duration)
    # A short enough session passes whoever is trusted, so an unknown trust policy need not be read.
    if duration is None or (seconds is not None and seconds <= maximum):
        return
    if any(True for _ in _web_identity(r.props)):
        r.fail(
            f"{r.label} trusts web identity with maxSessionDuration {duration!r}; required: at most {maximum}"
        )


@resource_rule(
    "sec-06-no-wildcard-trust",
    control="SEC-06",
    types=[ROLE],
    severity=Severity.CRITICAL,
    description="No Allow statement of a role trust policy names every principal (Principal '*', "
    "{'AWS': '*'} or NotPrincipal); Deny statements with '*' only restrict and are fine.",
    remediation="Name the trusted principals in assume_role_policy (an account root, a role ARN, a service, "
    "or the cluster's OIDC provider as Federated).",
)
def no_wildcard_trust(r: ResourceCheck) -> None:
    for name, statement in _trust_statements(r.props):
        everyone = _everyone(statement)
        if everyone:
            r.fail(f"{r.label} assumeRolePolicy {name} allows {everyone}; required: named principals")


# ---------------------------------------------------------------- SEC-07: service account tokens


@resource_rule(
    "sec-07-sa-token-automount",
    control="SEC-07",
    types=[SERVICE_ACCOUNT],
    severity=Severity.MEDIUM,
    description="ServiceAccounts set automountServiceAccountToken false unless they carry the IRSA "
    f"annotation {IRSA_ANNOTATION}.",
    remediation="Set automount_service_account_token=False on the ServiceAccount (pods that need the API "
    "opt in with a projected token), or annotate it with eks.amazonaws.com/role-arn for IRSA.",
)
def sa_token_automount(r: ResourceCheck) -> None:
    # The role ARN is usually unknown in a first preview; an unknown annotation value is still set. An
    # unknown annotations map as a whole may or may not hold it: `get` raises and the SA is undecided.
    role_arn = known(get(r.props, "metadata", "annotations"), IRSA_ANNOTATION)
    if role_arn is UNKNOWN or (isinstance(role_arn, str) and role_arn.strip()):
        return
    automount = get(r.props, "automountServiceAccountToken")
    if as_bool(automount) is not False:
        found = "missing (Kubernetes default: true)" if automount is None else repr(automount)
        r.fail(
            f"{r.label} has automountServiceAccountToken {found}; required: false, or the annotation "
            f"{IRSA_ANNOTATION}"
        )


# ---------------------------------------------------------------- SEC-08: key policies


def _key_policies(stack: StackCheck, key: PolicyResource) -> list[PolicyResource]:
    found = stack.attached_to(key, [KMS_KEY_POLICY], "keyId")
    ids = {v for v in (known(key.props, p) for p in ("keyId", "arn", "id")) if isinstance(v, str)}
    for policy in stack.of_type(KMS_KEY_POLICY):
        key_id = known(policy.props, "keyId")
        if policy not in found and isinstance(key_id, str) and key_id in ids:
            found.append(policy)
    return found


@stack_rule(
    "sec-08-kms-explicit-key-policy",
    control="SEC-08",
    types=[KMS_KEY, KMS_KEY_POLICY],
    severity=Severity.HIGH,
    description="Every KMS key has an explicit key policy: its own `policy`, or an "
    "aws:kms/keyPolicy:KeyPolicy whose keyId comes from the key (the AWS default policy delegates the "
    "key to every principal of the account).",
    remediation="Pass policy=<key policy JSON> to aws.kms.Key, or add aws.kms.KeyPolicy(key_id=key.id, "
    "policy=...), naming only the tenant's principals.",
)
def kms_explicit_key_policy(stack: StackCheck) -> None:
    for key in stack.of_type(KMS_KEY):
        with stack.deciding(key):
            policy = known(key.props, "policy")
            # A computed (unknown) policy is still an explicit one; its content is judged at update time.
            if policy is UNKNOWN or (isinstance(policy, str | Mapping) and len(policy) > 0):
                continue
            if _key_policies(stack, key):
                continue
            unresolved = _unresolved(stack, KMS_KEY_POLICY, "keyId")
            if unresolved:
                raise Undecided([f"keyId of {label(unresolved[0])} is unknown, with no dependencies"])
            stack.fail(
                key,
                f"{label(key)} has policy missing and no {KMS_KEY_POLICY} attached; "
                "required: an explicit key policy",
            )


def _has_condition(statement: Mapping[str, Any]) -> bool:
    condition = get(statement, "Condition")
    if not isinstance(condition, Mapping):
        return False
    return any(isinstance(get(condition, op), Mapping) and len(get(condition, op)) > 0 for op in condition)


@resource_rule(
    "sec-08-kms-no-public-decrypt",
    control="SEC-08",
    types=[KMS_KEY, KMS_KEY_POLICY],
    severity=Severity.CRITICAL,
    description="No Allow statement of a key policy grants kms:Decrypt (kms:*, *, kms:Decr*, ...) to "
    "Principal '*' without a Condition.",
    remediation="Name the tenant's principals in the key policy statement, or add a Condition limiting the "
    "callers (e.g. kms:CallerAccount, aws:PrincipalOrgID, aws:PrincipalTag/tenant).",
)
def kms_no_public_decrypt(r: ResourceCheck) -> None:
    for index, statement in enumerate(statements(policy_document(get(r.props, "policy")))):
        everyone = _everyone(statement)
        if (
            _allows(statement)
            and everyone
            and _grants(statement, "kms:Decrypt")
            and not _has_condition(statement)
        ):
            key = "NotAction" if get(statement, "NotAction") is not None else "Action"
            actions = _one(statement_values(statement, key))
            r.fail(
                f"{r.label} policy {_statement_name(index, statement)} allows kms:Decrypt ({key} {actions}) "
                f"to {everyone} without a Condition; required: named principals or a Condition"
            )


RULES: list[Rule] = [
    kms_key_rotation,
    kms_deletion_window,
    secret_tenant_key,
    secret_rotation,
    k8s_env_secrets,
    lambda_env_secrets,
    ecs_env_secrets,
    sagemaker_env_secrets,
    user_data_secrets,
    no_iam_access_keys,
    no_iam_login_profiles,
    irsa_trust_one_service_account,
    irsa_session_duration,
    no_wildcard_trust,
    sa_token_automount,
    kms_explicit_key_policy,
    kms_no_public_decrypt,
]
