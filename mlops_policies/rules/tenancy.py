"""Tenancy: everything labelled with its tenant, nothing of another tenant, no admin, environments apart."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pulumi_policy import PolicyResource, Severity

from mlops_policies.core import (
    ResourceCheck,
    Rule,
    StackCheck,
    Undecided,
    config_value,
    label,
    resource_rule,
    stack_rule,
)
from mlops_policies.iam import pattern_covers, patterns_overlap
from mlops_policies.namespaces import (
    NAMESPACE,
    NETWORK_POLICY,
    RESOURCE_QUOTA,
    TenantNamespace,
    tenant_namespaces,
)
from mlops_policies.props import (
    UNKNOWN,
    as_int,
    as_list,
    as_str,
    get,
    known,
    policy_document,
    shown,
    statement_values,
    statements,
)

BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
ROLE = "aws:iam/role:Role"
CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"
BUCKET_PURPOSES = (
    "model-registry", "audit-log", "dataset", "checkpoint", "feature-store", "experiment-tracking",
    "artifacts",
)  # fmt: skip
ENVIRONMENTS = ("dev", "eval", "train", "staging", "prod")
DEFAULT_ENVIRONMENTS = ("dev", "prod")  # TenantConfig.environments' default
NO_TENANT = "stack config landingzone:tenant.id is missing"


# ---------------------------------------------------------------- TEN-01: tags and labels


@cache
def taggable_aws_types() -> frozenset[str]:
    """AWS types whose pulumi-aws resource class takes a `tags` input.

    Derived from the installed pulumi_aws package by reading its sources (every resource class assigns
    `__props__.__dict__["tags"] = tags` before registering its type token), not by importing ~1,700
    modules: about a second, once per policy-pack process. Without pulumi_aws installed the set is
    empty and only resources that pass a `tags` input are judged.
    """
    spec = importlib.util.find_spec("pulumi_aws")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    token = re.compile(r"super\(\w+, __self__\)\.__init__\(\s*'(aws:[^']+)'")
    found: set[str] = set()
    for path in Path(next(iter(spec.submodule_search_locations))).glob("*/*.py"):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if '__props__.__dict__["tags"] = tags' in text:
            found.update(token.findall(text))
    return frozenset(found)


def _is_taggable(r: ResourceCheck) -> bool:
    # Iterating keys never touches values, so an unknown `tags` does not raise here.
    return r.type.startswith("aws:") and (any(k == "tags" for k in r.props) or r.type in taggable_aws_types())


def _tag(props: Any, key: str) -> Any:
    """A tag's value: from a map, or from a list of {key, value} (autoscaling groups)."""
    tags = get(props, "tags")
    if isinstance(tags, Mapping):
        return get(tags, key)
    for entry in as_list(tags):
        if get(entry, "key") == key:
            return get(entry, "value")
    return None


@resource_rule(
    "ten-01-aws-tenant-tags",
    control="TEN-01",
    types=[],
    severity=Severity.MEDIUM,
    description="Every taggable AWS resource (its pulumi-aws class takes `tags`, or it passes `tags`) "
    "carries tags tenant=<stack tenant>, environment and managed-by.",
    remediation="Pass tags={'tenant': '<tenant id>', 'environment': '<env or shared>', 'managed-by': "
    "'mlops-landing-zone', ...} to the resource (or merge them into every resource's tags in the component).",
)
def aws_tenant_tags(r: ResourceCheck) -> None:
    if not _is_taggable(r):
        return
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to check tags.tenant")
    elif (tenant := _tag(r.props, "tenant")) != r.tenant.id:
        r.fail(f"{r.label} has tags.tenant {shown(tenant)}; required: '{r.tenant.id}'")
    for key in ("environment", "managed-by"):
        if not as_str(_tag(r.props, key)):
            r.fail(f"{r.label} has tags.{key} {shown(_tag(r.props, key))}; required: a non-empty value")


@resource_rule(
    "ten-01-bucket-purpose-tags",
    control="TEN-01",
    types=BUCKETS,
    severity=Severity.MEDIUM,
    description="Every S3 bucket carries tags purpose (one of the landing-zone purposes) and "
    "data-classification.",
    remediation="Add tags={'purpose': '<model-registry|audit-log|dataset|checkpoint|feature-store|"
    "experiment-tracking|artifacts>', 'data-classification': '<internal|confidential|restricted>'} to the "
    "aws.s3.Bucket.",
)
def bucket_purpose_tags(r: ResourceCheck) -> None:
    purpose = _tag(r.props, "purpose")
    if purpose not in BUCKET_PURPOSES:
        r.fail(f"{r.label} has tags.purpose {shown(purpose)}; required: one of {', '.join(BUCKET_PURPOSES)}")
    classification = _tag(r.props, "data-classification")
    if not as_str(classification):
        r.fail(f"{r.label} has tags.data-classification {shown(classification)}; required: a non-empty value")


# Kinds that live in a namespace even when metadata.namespace is left to the provider's default.
NAMESPACED_KINDS = frozenset({
    "Pod", "PodTemplate", "ReplicationController", "Service", "ServiceAccount", "ConfigMap", "Secret",
    "Endpoints", "Event", "LimitRange", "ResourceQuota", "PersistentVolumeClaim", "Binding",
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision", "Job", "CronJob",
    "HorizontalPodAutoscaler", "NetworkPolicy", "Ingress", "Role", "RoleBinding", "PodDisruptionBudget",
    "Lease", "EndpointSlice", "CSIStorageCapacity", "ResourceClaim", "ResourceClaimTemplate",
})  # fmt: skip


def _is_labelled_kubernetes_object(r: ResourceCheck) -> bool:
    """Namespaces and namespaced objects; Patch types change objects the stack does not own."""
    if not r.type.startswith("kubernetes:") or r.type.endswith("Patch"):
        return False
    kind = r.type.rsplit(":", 1)[-1]
    return (
        r.type == NAMESPACE or kind in NAMESPACED_KINDS or known(r.props, "metadata", "namespace") is not None
    )


@resource_rule(
    "ten-01-kubernetes-tenant-label",
    control="TEN-01",
    types=[],
    severity=Severity.MEDIUM,
    description="Every Namespace and every namespaced Kubernetes object carries metadata.labels.tenant "
    "=<stack tenant>.",
    remediation="Add metadata={'labels': {'tenant': '<tenant id>', ...}, ...} to the Kubernetes resource.",
)
def kubernetes_tenant_label(r: ResourceCheck) -> None:
    if not _is_labelled_kubernetes_object(r):
        return
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to check metadata.labels.tenant")
        return
    value = get(r.props, "metadata", "labels", "tenant")
    if value != r.tenant.id:
        r.fail(f"{r.label} has metadata.labels.tenant {shown(value)}; required: '{r.tenant.id}'")


# ---------------------------------------------------------------- TEN-02: other tenants' names

# Landing-zone names are `<tenant>-<purpose>...`: only a name ending in one of these tells a tenant
# segment apart from an ordinary word. Longest first, so `-model-registry` wins over `-registry`.
PURPOSE_SUFFIXES = tuple(sorted(
    {*BUCKET_PURPOSES, "data", "logs", "secrets", "registry", "cluster", "workload"}, key=len, reverse=True
))  # fmt: skip
# AWS enum values and well-known names that happen to end in a purpose suffix.
AWS_VOCABULARY = frozenset({
    "cloud-watch-logs", "cloudwatch-logs", "viewer-request-log-data", "viewer-response-log-data",
    "certificate-authority-data", "agent-registry", "db-cluster", "user-data", "meta-data",
    "flow-logs", "access-logs", "vpc-flow-logs", "audit-logs", "eks-cluster", "ecs-cluster",
})  # fmt: skip
_TENANT_ID = re.compile(r"[a-z][a-z0-9-]{1,18}[a-z0-9]")
_ARN = re.compile(r"arn:[a-z0-9-]+:([a-z0-9-]+):[a-z0-9-]*:[a-z0-9*]*:([^\s\"',;}\]]+)")
_ALIAS = re.compile(r"(?<![a-z0-9:/])alias/([a-z0-9][a-z0-9/_-]*)")
_S3_URI = re.compile(r"s3://([a-z0-9][a-z0-9.-]*)")
_ECR_IMAGE = re.compile(r"[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/([a-z0-9][a-z0-9._-]*)/")
_SERVICE_ACCOUNT = re.compile(r"system:serviceaccount:([a-z0-9][a-z0-9-]*):")
_BARE_NAME = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]")
# ECR repositories and secrets are named `<tenant>/<name>`; other `a/b` values (MIME types...) are not names.
_TENANT_PATH = re.compile(r"([a-z][a-z0-9-]*[a-z0-9])/[A-Za-z0-9][A-Za-z0-9._/-]*")
_TENANT_PATH_KEYS = frozenset({"name", "namePrefix", "repository", "repositoryName", "secretId"})
# A whole value is taken for a resource name only under a key that holds names (bucket, roleName,
# clusterName, kmsKeyId, namespace...): rule ids and descriptions such as 'expire-old-artifacts' are not.
_NAME_KEY = re.compile(
    r"(?:bucket|role|roles|name|nameprefix|cluster|repository|keyid|key|secretid|namespace|arn|arns|target|"
    r"destination|source|group|alias)$",
    re.IGNORECASE,
)
_TAIL = re.compile(r"-(?:[0-9]{12}|[0-9a-f]{7}|[a-z]{2}(?:-gov)?-[a-z]+-[0-9])$")  # account, autoname, region


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, string) for every known string in the inputs; unknown values are skipped, never raised."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key in list(value):
            item = known(value, key)
            if item is not UNKNOWN:
                yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, Sequence) and not isinstance(value, bytes):
        for index in range(len(value)):
            item = known(value, index)
            if item is not UNKNOWN:
                yield from _walk(item, f"{path}[{index}]")


def _candidates(path: str, value: str) -> Iterator[tuple[str, str]]:
    """(kind, name) pairs: 'name' a resource name to test for a purpose suffix, 'tenant' a bare tenant
    segment, 'namespace' a Kubernetes namespace name (`<tenant>-<environment>`)."""
    for service, resource in _ARN.findall(value):
        segments = [s for s in re.split(r"[/:]", resource) if s]
        if service == "s3":
            segments = segments[:1]
        if service == "ecr" and segments[:1] == ["repository"] and len(segments) > 2:
            yield "tenant", segments[1]
        if service == "secretsmanager" and segments[:1] == ["secret"] and "/" in resource:
            yield "tenant", re.split(r"[/:]", resource.split(":", 1)[-1])[0]
        yield from (("name", s) for s in segments)
    yield from (("name", a.split("/")[0]) for a in _ALIAS.findall(value))
    yield from (("name", b) for b in _S3_URI.findall(value))
    yield from (("tenant", t) for t in _ECR_IMAGE.findall(value))
    yield from (("namespace", n) for n in _SERVICE_ACCOUNT.findall(value))
    key = re.sub(r"\[[0-9]+\]$", "", path.rsplit(".", 1)[-1])
    if _BARE_NAME.fullmatch(value) and _NAME_KEY.search(key):
        yield ("namespace" if key == "namespace" else "name"), value
    if (
        key in _TENANT_PATH_KEYS
        and not value.startswith("alias/")
        and (owner := _TENANT_PATH.fullmatch(value))
    ):
        yield "tenant", owner.group(1)


def _owner(kind: str, name: str) -> tuple[str, str] | None:
    """(tenant segment, why) when `name` is a landing-zone name of some tenant; None for ordinary words."""
    if kind == "tenant":
        return (name, "a tenant path segment") if _TENANT_ID.fullmatch(name) else None
    if name in AWS_VOCABULARY or name in PURPOSE_SUFFIXES:
        return None
    stem = name
    for _ in range(3):
        stem = _TAIL.sub("", stem)
    suffixes = (*ENVIRONMENTS, *PURPOSE_SUFFIXES) if kind == "namespace" else PURPOSE_SUFFIXES
    for suffix in suffixes:
        if stem.endswith(f"-{suffix}"):
            prefix = stem[: -len(suffix) - 1]
            while (env := next((e for e in ENVIRONMENTS if prefix.endswith(f"-{e}")), None)) is not None:
                prefix = prefix[: -len(env) - 1]
            what = "a namespace name" if kind == "namespace" else "a name"
            return (prefix, f"{what} ending in '-{suffix}'") if _TENANT_ID.fullmatch(prefix) else None
    return None


def _platform_names() -> set[str]:
    """Names in the platform config (security archive bucket, admin role...), never another tenant's."""
    names: set[str] = set()
    for path, value in _walk(config_value("landingzone:platform")):
        names.add(value)
        names.update(name for _, name in _candidates(path, value))
    return names


def foreign_references(props: Any, tenant: str, shared: Sequence[str]) -> dict[tuple[str, str], str]:
    """{(input path, other tenant): why} for every name of a tenant other than `tenant`."""
    platform = _platform_names()
    found: dict[tuple[str, str], str] = {}
    for path, value in _walk(props):
        for kind, name in _candidates(path, value):
            if name == tenant or name.startswith(f"{tenant}-") or name in platform:
                continue
            owner = _owner(kind, name)
            if (
                owner
                and owner[0] != tenant
                and not any(owner[0] == s or owner[0].startswith(f"{s}-") for s in shared)
            ):
                found.setdefault((path, owner[0]), owner[1])
    return found


@resource_rule(
    "ten-02-no-other-tenant-references",
    control="TEN-02",
    types=[],
    config={
        "sharedPrefixes": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["platform"],
            "description": "Name prefixes of shared (platform) resources that any tenant may reference.",
        },
    },
    description="No input of an AWS or Kubernetes resource names another tenant's resource: ARNs, bucket, "
    "key alias, role, ECR repository, secret and namespace names are the stack tenant's (`<tenant>-...`) "
    "or the platform's; tags.tenant and metadata.labels.tenant name the stack tenant.",
    remediation="Refer only to the tenant's own resources (take them from this stack's outputs, never from "
    "another tenant's names); share data through the platform (names in the landingzone:platform config or "
    "with a sharedPrefixes prefix).",
)
def no_other_tenant_references(r: ResourceCheck) -> None:
    if not r.type.startswith(("aws:", "kubernetes:")):
        return
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to tell the tenant's resources from other tenants'")
        return
    for path in ("tags.tenant", "metadata.labels.tenant"):
        tag = known(r.props, *path.split("."))
        if isinstance(tag, str) and tag != r.tenant.id:
            r.fail(f"{r.label} has {path} {tag!r}; required: '{r.tenant.id}'")
    shared = [s for s in as_list(r.config.get("sharedPrefixes")) if isinstance(s, str)]
    for (path, other), why in sorted(foreign_references(r.props, r.tenant.id, shared).items()):
        r.fail(f"{r.label} has {path} referring to tenant '{other}' ({why}); required: only tenant "
               f"'{r.tenant.id}' or platform resources")  # fmt: skip


# ---------------------------------------------------------------- TEN-03: pod security


@resource_rule(
    "ten-03-namespace-restricted-pod-security",
    control="TEN-03",
    types=[NAMESPACE],
    description="Every Namespace has label pod-security.kubernetes.io/enforce=restricted.",
    remediation="Add metadata={'labels': {'pod-security.kubernetes.io/enforce': 'restricted', ...}} to the "
    "kubernetes.core.v1.Namespace.",
)
def namespace_restricted_pod_security(r: ResourceCheck) -> None:
    labels = get(r.props, "metadata", "labels")
    level = get(labels, "pod-security.kubernetes.io/enforce") if isinstance(labels, Mapping) else None
    if level != "restricted":
        r.fail(f"{r.label} has metadata.labels.pod-security.kubernetes.io/enforce {shown(level)}; "
               "required: 'restricted'")  # fmt: skip


# ---------------------------------------------------------------- TEN-04: no administrator

IDENTITY_POLICIES = (
    "aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)  # fmt: skip
ADMIN_ACTIONS = ("*", "iam:*", "kms:*", "sts:*")


def admin_grant(document: Mapping[str, Any] | None) -> str | None:
    """How an identity document grants `*` or iam/kms/sts `*` on Resource `*`; None when it does not.

    Conditions and Deny statements are not subtracted: the control forbids writing such an Allow at all.
    """
    for statement in statements(document):
        if as_str(get(statement, "Effect")) != "Allow":
            continue
        # A missing Resource is taken as '*' (AWS rejects it; the reading stays on the safe side).
        resources = (
            statement_values(statement, "Resource") if get(statement, "Resource") is not None else ["*"]
        )
        if not any(pattern_covers(r, "*") for r in resources) and get(statement, "NotResource") is None:
            continue
        if get(statement, "NotAction") is not None:
            return "Allow with NotAction on Resource '*' (every action not listed)"
        for action in statement_values(statement, "Action"):
            covered = next((a for a in ADMIN_ACTIONS if pattern_covers(action, a, ignore_case=True)), None)
            if covered:
                return f"Allow Action {action!r} on Resource '*'"
    return None


def _documents(r: ResourceCheck) -> Iterator[tuple[str, Any]]:
    if r.type == ROLE:
        for index, inline in enumerate(as_list(get(r.props, "inlinePolicies"))):
            yield f"inlinePolicies[{index}].policy", get(inline, "policy")
    else:
        yield "policy", get(r.props, "policy")


@resource_rule(
    "ten-04-no-admin-policy-document",
    control="TEN-04",
    types=[*IDENTITY_POLICIES, ROLE],
    severity=Severity.CRITICAL,
    description="No identity policy document (Policy, RolePolicy, UserPolicy, GroupPolicy, role inline "
    "policies) allows Action '*', 'iam:*', 'kms:*' or 'sts:*' on Resource '*'. Resource policies such as "
    "key policies are not identity documents and are judged elsewhere.",
    remediation="Grant the specific actions the workload needs on the tenant's resource ARNs in the policy= "
    "document (for example s3:GetObject on the dataset bucket ARN).",
)
def no_admin_policy_document(r: ResourceCheck) -> None:
    for path, value in _documents(r):
        grant = admin_grant(policy_document(value))
        if grant:
            r.fail(f"{r.label} has {path} with {grant}; required: no administrator grants")


ATTACHMENTS = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    ROLE: "managedPolicyArns",
}
_ADMINISTRATOR_ACCESS = re.compile(r"arn:[a-z-]+:iam::aws:policy/AdministratorAccess")


@stack_rule(
    "ten-04-no-administrator-access",
    control="TEN-04",
    types=list(ATTACHMENTS),
    severity=Severity.CRITICAL,
    description="No role (or user or group) attaches the AWS-managed AdministratorAccess policy, in any "
    "partition. An ARN computed from a Policy of the stack is that policy's (its document is judged by "
    "ten-04-no-admin-policy-document).",
    remediation="Remove the aws.iam.RolePolicyAttachment (or the managed_policy_arns entry) with policy_arn "
    "'arn:aws:iam::aws:policy/AdministratorAccess'; attach a least-privilege aws.iam.Policy instead.",
)
def no_administrator_access(stack: StackCheck) -> None:
    for resource in stack.of_type(*ATTACHMENTS):
        prop = ATTACHMENTS[resource.resource_type]
        with stack.deciding(resource):
            value = known(resource.props, prop)
            items = [known(value, i) for i in range(len(value))] if isinstance(value, Sequence) and not \
                isinstance(value, str) else [value]  # fmt: skip
            if any(_ADMINISTRATOR_ACCESS.fullmatch(v) for v in items if isinstance(v, str)):
                stack.fail(resource, f"{label(resource)} has {prop} AdministratorAccess; required: "
                           "least-privilege policies of the stack")  # fmt: skip
            elif UNKNOWN in items and not stack.referenced_by(resource, prop):
                raise Undecided([f"{prop} is unknown and has no dependency information"])


@resource_rule(
    "ten-04-no-cluster-admin-binding",
    control="TEN-04",
    types=[CLUSTER_ROLE_BINDING],
    severity=Severity.CRITICAL,
    description="No ClusterRoleBinding in a tenant stack binds the cluster-admin ClusterRole.",
    remediation="Remove the kubernetes.rbac.v1.ClusterRoleBinding to cluster-admin; bind a namespaced Role "
    "with the needed verbs through a RoleBinding in the tenant's namespaces.",
)
def no_cluster_admin_binding(r: ResourceCheck) -> None:
    role = get(r.props, "roleRef", "name")
    if role == "cluster-admin":
        r.fail(f"{r.label} has roleRef.name 'cluster-admin'; required: no cluster-admin binding in a tenant "
               "stack")  # fmt: skip


# ---------------------------------------------------------------- TEN-05: environments apart


def configured_environments() -> list[str] | None:
    """`landingzone:tenant.environments`; TenantConfig's default (dev, prod) when absent; None if unusable."""
    tenant = config_value("landingzone:tenant")
    raw = tenant.get("environments") if isinstance(tenant, Mapping) else None
    if raw is None:
        return list(DEFAULT_ENVIRONMENTS)
    if not isinstance(raw, list) or not raw or not all(isinstance(e, str) and e for e in raw):
        return None
    return list(dict.fromkeys(raw))


def _serves(namespace: TenantNamespace, env: str, tenant: str | None) -> bool | None:
    """Whether a Namespace is the environment's: label environment=<env> or name <tenant>-<env>."""
    env_label = known(namespace.resource.props, "metadata", "labels", "environment")
    if env_label == env or (tenant is not None and namespace.name == f"{tenant}-{env}"):
        return True
    return (
        None
        if env_label is UNKNOWN or known(namespace.resource.props, "metadata", "name") is UNKNOWN
        else False
    )


def environment_namespaces(stack: StackCheck) -> dict[str, TenantNamespace | None]:
    """Each configured environment's Namespace, None when it has none; an environment whose Namespace
    cannot be told (a name or label unknown) is left out and recorded as undecided."""
    environments = configured_environments()
    if environments is None:
        stack.fail(None, "stack config landingzone:tenant.environments is not a list of environment names; "
                   f"required: a non-empty list such as {list(ENVIRONMENTS)}")  # fmt: skip
        return {}
    namespaces = tenant_namespaces(stack.resources)
    found: dict[str, TenantNamespace | None] = {}
    for env in environments:
        verdicts = [(ns, _serves(ns, env, stack.tenant.id)) for ns in namespaces]
        match = next((ns for ns, serves in verdicts if serves), None)
        if match is None and any(serves is None for _, serves in verdicts):
            stack.undecided.append(f"environment '{env}': a Namespace's name or environment label is unknown")
        else:
            found[env] = match
    return found


@stack_rule(
    "ten-05-environment-namespaces",
    control="TEN-05",
    types=[NAMESPACE],
    description="Every configured environment has its own Namespace (metadata.labels.environment=<env> or "
    "metadata.name <tenant>-<env>), and no Namespace serves two environments.",
    remediation="Create one kubernetes.core.v1.Namespace per environment in landingzone:tenant.environments, "
    "named '<tenant>-<env>' with metadata.labels.environment '<env>'.",
)
def environment_namespaces_exist(stack: StackCheck) -> None:
    found = environment_namespaces(stack)
    served: dict[str, tuple[PolicyResource, list[str]]] = {}
    for env, namespace in found.items():
        if namespace is None:
            stack.fail(None, f"stack has no Namespace for environment '{env}' (metadata.labels.environment "
                       f"'{env}' or metadata.name '{stack.tenant.id}-{env}'); required: one Namespace per "
                       "configured environment")  # fmt: skip
        else:
            served.setdefault(namespace.resource.urn, (namespace.resource, []))[1].append(env)
    for resource, envs in served.values():
        if len(envs) > 1:
            stack.fail(resource, f"{label(resource)} serves environments {', '.join(envs)}; required: one "
                       "Namespace per environment")  # fmt: skip


def _dns_to_kube_system(rule: Any) -> bool:
    """An egress rule that only lets pods resolve names: port 53 to the kube-system namespace."""
    ports = as_list(get(rule, "ports"))
    peers = as_list(get(rule, "to"))
    only_dns = bool(ports) and all(as_int(get(p, "port")) == 53 for p in ports)
    kube_system = bool(peers) and all(
        get(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "kube-system"
        and get(peer, "ipBlock") is None
        for peer in peers
    )
    return only_dns and kube_system


def is_default_deny(policy: PolicyResource) -> bool:
    """spec.podSelector selects every pod, policyTypes has Ingress and Egress, no ingress rule allows
    anything, and egress rules allow at most DNS to kube-system (pods must resolve names)."""
    spec = get(policy.props, "spec")
    selector = get(spec, "podSelector")
    every_pod = not get(selector, "matchLabels") and not get(selector, "matchExpressions")
    types = {t for t in as_list(get(spec, "policyTypes")) if isinstance(t, str)}
    no_ingress = not as_list(get(spec, "ingress"))
    dns_only = all(_dns_to_kube_system(rule) for rule in as_list(get(spec, "egress")))
    return every_pod and {"Ingress", "Egress"} <= types and no_ingress and dns_only


def _judge_environment_namespace(stack: StackCheck, env: str, namespace: TenantNamespace) -> None:
    where = f"{label(namespace.resource)} (environment '{env}')"
    if not namespace.of_type(RESOURCE_QUOTA):
        if namespace.unresolved_of_type(RESOURCE_QUOTA):
            raise Undecided(["a ResourceQuota's metadata.namespace is unknown"])
        stack.fail(
            namespace.resource, f"{where} has no ResourceQuota; required: one per environment namespace"
        )
    policies = namespace.of_type(NETWORK_POLICY)
    if not any(is_default_deny(p) for p in policies):
        if namespace.unresolved_of_type(NETWORK_POLICY):
            raise Undecided(["a NetworkPolicy's metadata.namespace is unknown"])
        stack.fail(namespace.resource, f"{where} has no default-deny NetworkPolicy (spec.podSelector {{}}, "
                   "policyTypes [Ingress, Egress], no ingress rules, egress at most DNS to kube-system); "
                   "required: one per environment namespace")  # fmt: skip


@stack_rule(
    "ten-05-environment-quota-and-network-policy",
    control="TEN-05",
    types=[NAMESPACE, RESOURCE_QUOTA, NETWORK_POLICY],
    description="Every environment Namespace has a ResourceQuota and a default-deny NetworkPolicy "
    "(podSelector {}, policyTypes [Ingress, Egress], no ingress rules, egress rules at most DNS (port 53) to "
    "kube-system); allow policies may be added next to it.",
    remediation="Create in each environment namespace a kubernetes.core.v1.ResourceQuota and a "
    "kubernetes.networking.v1.NetworkPolicy with spec={'pod_selector': {}, 'policy_types': ['Ingress', "
    "'Egress']} and metadata={'namespace': ns.metadata.name}.",
)
def environment_quota_and_network_policy(stack: StackCheck) -> None:
    for env, namespace in environment_namespaces(stack).items():
        if namespace is not None:
            with stack.deciding(namespace.resource):
                _judge_environment_namespace(stack, env, namespace)


def trusted_subjects(role: PolicyResource) -> list[str]:
    """The `:sub` condition values (IAM patterns) of the Allow statements in a role's trust policy.

    A web-identity statement without a `:sub` condition trusts every service account: pattern `*`.
    """
    patterns = []
    for statement in statements(policy_document(get(role.props, "assumeRolePolicy"))):
        if as_str(get(statement, "Effect")) != "Allow":
            continue
        condition = get(statement, "Condition")
        subs = [
            value
            for operator in (condition.values() if isinstance(condition, Mapping) else [])
            if isinstance(operator, Mapping)
            for key, values in operator.items() if isinstance(key, str) and key.lower().endswith(":sub")
            for value in as_list(values) if isinstance(value, str)
        ]  # fmt: skip
        patterns.extend(subs)
        web_identity = any(pattern_covers(a, "sts:AssumeRoleWithWebIdentity", ignore_case=True)
                           for a in statement_values(statement, "Action"))  # fmt: skip
        if web_identity and not subs:
            patterns.append("*")
    return patterns


def _trusts(subjects: list[str], namespace: str) -> bool:
    """Whether some trusted subject pattern can be a service account of `namespace`."""
    return any(patterns_overlap(s, f"system:serviceaccount:{namespace}:*") for s in subjects)


@stack_rule(
    "ten-05-environment-workload-role",
    control="TEN-05",
    types=[NAMESPACE, ROLE],
    description="Every environment Namespace has a workload identity role: an IAM role whose trust policy "
    "`:sub` condition names system:serviceaccount:<that namespace>:<service account>.",
    remediation="Create an aws.iam.Role per environment with assume_role_policy allowing "
    "sts:AssumeRoleWithWebIdentity from the cluster's OIDC provider with condition StringEquals "
    "{'<oidc>:sub': 'system:serviceaccount:<tenant>-<env>:<service account>'}.",
)
def environment_workload_role(stack: StackCheck) -> None:
    for env, namespace in environment_namespaces(stack).items():
        if namespace is None:
            continue
        with stack.deciding(namespace.resource):
            if namespace.name is None:
                raise Undecided(["metadata.name is unknown, so no trust policy can be matched to it"])
            unresolved = []
            for role in stack.of_type(ROLE):
                if known(role.props, "assumeRolePolicy") is UNKNOWN:
                    unresolved.append(label(role))
                elif _trusts(trusted_subjects(role), namespace.name):
                    break
            else:
                if unresolved:
                    raise Undecided([f"trust policies of {', '.join(unresolved)} are unknown"])
                stack.fail(namespace.resource, f"{label(namespace.resource)} (environment '{env}') has no "
                           f"IAM role trusting system:serviceaccount:{namespace.name}:*; required: one "
                           "workload identity role per environment")  # fmt: skip


@stack_rule(
    "ten-05-role-single-environment",
    control="TEN-05",
    types=[NAMESPACE, ROLE],
    severity=Severity.HIGH,
    description="No IAM role's trust policy names service accounts of two environments' namespaces "
    "(wildcards and web-identity trust without a `:sub` condition count for every namespace they match).",
    remediation="Give each environment its own aws.iam.Role whose assume_role_policy `:sub` condition names "
    "exactly one namespace: 'system:serviceaccount:<tenant>-<env>:<service account>'.",
)
def role_single_environment(stack: StackCheck) -> None:
    found = environment_namespaces(stack)
    named = {env: ns.name for env, ns in found.items() if ns is not None and ns.name is not None}
    for role in stack.of_type(ROLE):
        with stack.deciding(role):
            patterns = trusted_subjects(role)
            envs = [env for env, name in named.items() if _trusts(patterns, name)]
            if len(envs) > 1:
                spaces = ", ".join(named[e] for e in envs)
                stack.fail(role, f"{label(role)} has assumeRolePolicy trusting service accounts of "
                           f"environments {', '.join(envs)} (namespaces {spaces}); required: one environment "
                           "per role")  # fmt: skip


RULES: list[Rule] = [
    aws_tenant_tags,
    bucket_purpose_tags,
    kubernetes_tenant_label,
    no_other_tenant_references,
    namespace_restricted_pod_security,
    no_admin_policy_document,
    no_administrator_access,
    no_cluster_admin_binding,
    environment_namespaces_exist,
    environment_quota_and_network_policy,
    environment_workload_role,
    role_single_environment,
]
