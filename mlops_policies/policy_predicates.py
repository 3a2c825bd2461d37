"""The judgements of a policy document that a gate rule and an audit check both make, one function each.

A rule judges the document a stack declares, an audit check the document AWS returns; both call the
same predicate here so they cannot drift apart. No Pulumi import (the audit uses this module).

- `public_grant` (SEC-08, key policies): an Allow granting an action to everyone without a Condition.
- `admin_grant` (TEN-04, identity policies): `*` or iam/kms/sts `*` on every resource.
- `denies_insecure_transport` (DATA-03, bucket policies): every S3 action denied to everyone without TLS.
- `undenied` (AUD-02, audit-log bucket policies): actions not denied to everyone unconditionally.
- `wide_trust` (SEC-06, trust policies): an Allow trusting everyone or a foreign account's every
  principal; `web_identity_providers`, `web_identity_scope_problems` (SEC-06): web-identity trust
  scoped to one service account.
- `trusted_subjects`, `subject_namespaces` (TEN-05, trust policies): which service accounts a role trusts.
- `s3_grant_outside` (DATA-06, the S3 endpoint's policy): S3 grants beyond the tenant's buckets.
- `REGISTRY_WRITES` (PROV-07): the S3 actions that write to a model registry's objects.
- `matches_every_tag` (PROV-03, ECR exclusion filters): a wildcard filter that matches every tag.

About 270 lines: one short section per control whose documents both sides judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from mlops_policies.iam_match import (
    account_of,
    effect,
    everyone,
    foreign_account_roots,
    grants_action,
    is_allow,
    pattern_covers,
    patterns_overlap,
    resources_outside,
    values,
)
from mlops_policies.policy_documents import (
    Document,
    condition_values,
    conditions,
    denies,
    has_condition,
    statements,
    string_values,
)
from mlops_policies.policy_statements import shown_values
from mlops_policies.shapes import as_list, get

WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
SERVICE_ACCOUNT_SUB = re.compile(r"system:serviceaccount:[a-z0-9][-a-z0-9]*:[a-z0-9][-.a-z0-9]*")
# The AWS-owned bucket holding ECR image layers (one per region), which image pulls read through the
# S3 endpoint; its owner is AWS, so the region wildcard cannot reach a tenant's bucket.
ECR_LAYER_OBJECTS = "arn:aws:s3:::prod-*-starport-layer-bucket/*"
ADMIN_ACTIONS = ("*", "iam:*", "kms:*", "sts:*")
# Resource patterns that match every ARN: `arn:*` is Resource '*' spelt otherwise.
EVERY_RESOURCE = ("*", "arn:*", "arn:aws:*")


def bucket_arn(bucket_name: str) -> str:
    return f"arn:aws:s3:::{bucket_name}"


# Writing to the registry is anything that changes what a model version is or whether it stays: creating
# or overwriting objects (PutObject, ReplicateObject/Delete/Tags into it, RestoreObject's copy), deleting
# them or their versions, and changing their ACL, tags, retention or legal hold, or bypassing governance
# retention. Concrete actions come first so a message names the action; the trailing patterns catch
# object actions AWS adds to these families later. (s3:CopyObject is an API call, not an IAM action: a
# copy is s3:PutObject on the target.)
REGISTRY_WRITES = [
    "s3:PutObject",
    "s3:PutObjectAcl",
    "s3:PutObjectVersionAcl",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionTagging",
    "s3:PutObjectRetention",
    "s3:PutObjectLegalHold",
    "s3:BypassGovernanceRetention",
    "s3:ReplicateObject",
    "s3:ReplicateDelete",
    "s3:ReplicateTags",
    "s3:RestoreObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:DeleteObjectTagging",
    "s3:DeleteObjectVersionTagging",
    "s3:PutObject*",
    "s3:DeleteObject*",
    "s3:Replicate*",
]


def matches_every_tag(text: object) -> bool:
    """Whether a wildcard filter matches every tag: one made only of '*' (any run of them is still "any
    characters"), or empty once whitespace, which no tag contains, is removed."""
    return set("".join(str(text).split())) <= {"*"}


def objects_arn(bucket_name: str) -> str:
    return f"arn:aws:s3:::{bucket_name}/*"


def bucket_space(bucket_names: Iterable[str]) -> list[str]:
    """ARN patterns of exactly these buckets and their objects."""
    return [pattern for name in bucket_names for pattern in (bucket_arn(name), objects_arn(name))]


# ---------------------------------------------------------------- S3 endpoint policies (DATA-06)


def s3_grant_outside(statement: Mapping[str, Any], spaces: Sequence[str]) -> list[str]:
    """The Resource patterns through which an Allow grants S3 actions beyond `spaces` (the tenant's
    buckets) and the ECR layer bucket: wildcards such as `*`, `arn:*` or `<tenant>-*` (which also
    reaches tenant `<tenant>-labs`), `NotResource`; [] when the statement stays inside."""
    if not is_allow(statement) or not grants_action(statement, "s3:*"):
        return []
    return resources_outside(statement, [*spaces, ECR_LAYER_OBJECTS])


# ---------------------------------------------------------------- grants to everyone (SEC-08)


def public_grant(statement: Mapping[str, Any], action: str) -> str | None:
    """How an Allow grants `action` (or some action matching it) to every principal without a Condition
    (`Principal '*'`, `{'AWS': '*'}`, NotPrincipal, ...); None when it does not."""
    named = everyone(statement)
    if named and is_allow(statement) and grants_action(statement, action) and not has_condition(statement):
        return named
    return None


# ---------------------------------------------------------------- trust policies (SEC-06)


def wide_trust(statement: Mapping[str, Any], account_id: str | None) -> list[str]:
    """Whom an Allow of a trust policy admits too widely, one description each: every principal
    (`Principal '*'`, `{'AWS': '*'}`, `arn:aws:iam::*:root`, NotPrincipal), or every principal of an
    account other than `account_id` (its root or bare id); [] when it names principals."""
    if not is_allow(statement):
        return []
    named = everyone(statement)
    return ([named] if named else []) + [
        f"Principal {{'AWS': {root!r}}} (every principal of account {account_of(root)}, not the platform "
        f"account {account_id})"
        for root in foreign_account_roots(statement, account_id)
    ]


def web_identity_providers(statement: Mapping[str, Any]) -> list[str]:
    """The Federated principals an Allow trusts through AssumeRoleWithWebIdentity; [] for other statements."""
    if not is_allow(statement) or not grants_action(statement, WEB_IDENTITY):
        return []
    return [p for p in as_list(get(statement, "Principal", "Federated")) if isinstance(p, str)]


def web_identity_scope_problems(statement: Mapping[str, Any], provider: str) -> Iterator[tuple[str, str]]:
    """(problem, required) for each way a web-identity statement trusting `provider` (an OIDC provider
    ARN) reaches more than one service account: StringEquals `<provider>:sub` must name exactly one
    `system:serviceaccount:<namespace>:<name>`, no StringLike wildcard on it, `<provider>:aud` must be
    `sts.amazonaws.com`."""
    prefix = provider.split(":oidc-provider/", 1)[1] if ":oidc-provider/" in provider else provider
    sub, aud = f"{prefix}:sub", f"{prefix}:aud"
    subjects = condition_values(statement, "StringEquals", sub)
    exact = "exactly one 'system:serviceaccount:<namespace>:<name>' without wildcards"
    if subjects is None:
        yield f"no StringEquals condition on {sub!r}", f"StringEquals {sub!r}: {exact}"
    elif len(subjects) != 1 or not SERVICE_ACCOUNT_SUB.fullmatch(subjects[0]):
        yield f"StringEquals {sub!r} {shown_values(subjects)}", exact
    patterns = condition_values(statement, "StringLike", sub) or []
    if any("*" in p or "?" in p for p in patterns):
        yield (
            f"StringLike {sub!r} {shown_values(patterns)}",
            f"StringEquals {sub!r} with {exact}, no StringLike wildcards",
        )
    audiences = condition_values(statement, "StringEquals", aud)
    if audiences != ["sts.amazonaws.com"]:
        found = "missing" if audiences is None else shown_values(audiences)
        yield f"StringEquals {aud!r} {found}", f"StringEquals {aud!r}: 'sts.amazonaws.com'"


def trusted_subjects(document: Document | None) -> list[str]:
    """The `:sub` condition values (IAM patterns) of a trust policy's Allow statements, under any
    operator. A web-identity statement without a `:sub` condition trusts every service account: `*`."""
    patterns = []
    for statement in statements(document):
        if not is_allow(statement):
            continue
        subs = [
            value
            for operator in conditions(statement)
            for value in condition_values(statement, operator, suffix=":sub") or []
        ]
        patterns.extend(subs)
        if not subs and grants_action(statement, WEB_IDENTITY):
            patterns.append("*")
    return patterns


def subject_namespaces(subjects: list[str]) -> list[str]:
    """The namespaces trusted `:sub` patterns reach: the literal `<ns>` of
    `system:serviceaccount:<ns>:<name>`, `*` for a pattern that can reach more than one namespace;
    patterns that reach no service account are left out."""
    found = set()
    for subject in subjects:
        if not patterns_overlap(subject, "system:serviceaccount:*:*"):
            continue
        parts = subject.split(":", 3)
        literal = (
            len(parts) == 4 and parts[:2] == ["system", "serviceaccount"] and not set(parts[2]) & {"*", "?"}
        )
        found.add(parts[2] if literal else "*")
    return sorted(found)


# ---------------------------------------------------------------- administrator grants (TEN-04)


def admin_grant(document: Document | None) -> str | None:
    """How an identity document grants `*` or iam/kms/sts `*` on Resource `*`; None when it does not.

    Conditions and Deny statements are not subtracted: the control forbids writing such an Allow at all.
    """
    for statement in statements(document):
        if effect(statement) != "allow":
            continue
        # A missing Resource is taken as '*' (AWS rejects it; the reading stays on the safe side).
        resources = values(statement, "Resource")
        resources = ["*"] if resources is None else resources
        if not any(pattern_covers(r.strip(), e) for r in resources for e in EVERY_RESOURCE) and (
            get(statement, "NotResource") is None
        ):
            continue
        if get(statement, "NotAction") is not None:
            return "Allow with NotAction on Resource '*' (every action not listed)"
        for action in string_values(statement, "Action"):
            covered = next((a for a in ADMIN_ACTIONS if pattern_covers(action, a, ignore_case=True)), None)
            if covered:
                return f"Allow Action {action!r} on Resource '*'"
    return None


# ---------------------------------------------------------------- bucket policies (DATA-03, AUD-02)


def applies_to_everyone(statement: Mapping[str, Any]) -> bool:
    """Principal `*` (or AWS `*`) and no NotPrincipal: the statement binds every caller."""
    if get(statement, "NotPrincipal") is not None:
        return False
    principal = get(statement, "Principal")
    if principal == "*":
        return True
    return "*" in [p for p in as_list(get(principal, "AWS")) if isinstance(p, str)]


def denies_everyone(document: Document | None, action: str, resource: str) -> bool:
    """Whether the policy denies `action` on `resource` (wildcards allowed) to everyone, unconditionally."""
    return any(
        effect(s) == "deny"
        and not get(s, "Condition")
        and applies_to_everyone(s)
        and denies(s, [action], [resource])
        for s in statements(document)
    )


def undenied(document: Document | None, required: Mapping[str, str]) -> list[str]:
    """The actions of `required` (action -> resource ARN) that the policy does not deny everyone."""
    return [
        action for action, resource in required.items() if not denies_everyone(document, action, resource)
    ]


def append_only_actions(bucket_name: str) -> dict[str, str]:
    """What an audit-log bucket policy must deny everyone (AUD-02): action -> the ARN it acts on."""
    return {
        "s3:DeleteObject": objects_arn(bucket_name),
        "s3:DeleteObjectVersion": objects_arn(bucket_name),
        "s3:PutLifecycleConfiguration": bucket_arn(bucket_name),
    }


def _insecure_transport_condition(condition: Any) -> bool:
    """Exactly `{"Bool" or "BoolIfExists": {"aws:SecureTransport": "false"}}`: narrows nothing else."""
    if not isinstance(condition, Mapping) or len(condition) != 1:
        return False
    operator, tests = next(iter(condition.items()))
    if operator not in {"Bool", "BoolIfExists"} or not isinstance(tests, Mapping) or len(tests) != 1:
        return False
    key, value = next(iter(tests.items()))
    listed = as_list(value)
    return (
        isinstance(key, str)
        and key.lower() == "aws:securetransport"
        and len(listed) == 1
        and str(listed[0]).lower() == "false"
    )


def denies_insecure_transport(document: Document | None, bucket_name: str) -> bool:
    """Whether the policy denies every S3 action to everyone on the bucket and its objects without TLS."""
    return any(
        effect(statement) == "deny"
        and applies_to_everyone(statement)
        and _insecure_transport_condition(get(statement, "Condition"))
        and denies(statement, ["s3:*"], [bucket_arn(bucket_name)])
        and denies(statement, ["s3:*"], [objects_arn(bucket_name)])
        for statement in statements(document)
    )
