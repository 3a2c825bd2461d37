"""The rule `ten-02-no-other-tenant-references`, one of the TEN-02 rules.

TEN-02: No reference to another tenant's resources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy import Severity

from landingzone.admission.policies import POLICY_PREFIX
from mlops_policies import aws_names
from mlops_policies.props import UNKNOWN, as_list, known
from mlops_policies.rule import ResourceCheck, config_value, resource_rule
from mlops_policies.tenancy import BUCKET_PURPOSES, ENVIRONMENTS, NO_TENANT

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
# Keys whose bare value names an account-wide AWS resource (bucket, role, cluster, repository, key, secret):
# such a name can only be another tenant's if it is theirs, so the looser `<tenant>-<word>-<more>` grammar
# applies to it. Other name keys (a container's, a variant's, anything inside a Kubernetes object, which
# resolves in its own namespace) keep the suffix grammar: `llm-eval-runner` there is a tenant's own word.
_ACCOUNT_NAME_KEY = re.compile(
    r"(?:bucket|role|roles|cluster|repository|keyid|secretid|alias)(?:name|names)?$", re.IGNORECASE
)
# Owners the `<tenant>-<word>-<more>` grammar never yields: prefixes of names AWS and its tooling create in
# every account (`aws-cloudtrail-logs-<account>-...`, `amazon-cloudwatch-logs-agent`, `eks-cluster-sg-...`)
# and the landing zone's own admission policies (`mlops-data-07-egress-allowlist`).
_RESERVED_OWNERS = frozenset({"aws", "amazon", "amzn", "eks", "eksctl", POLICY_PREFIX.rstrip("-")})
# The words that, inside a name, end its tenant segment: an environment (`globex-prod-trainer`) or a purpose
# (`globex-dataset-raw`, `globex-model-registry-mirror`), as word sequences, longest first.
_INNER_WORDS = tuple(
    sorted({tuple(w.split("-")) for w in (*ENVIRONMENTS, *PURPOSE_SUFFIXES)}, key=len, reverse=True)
)
_VOCABULARY_WORDS = tuple(tuple(v.split("-")) for v in AWS_VOCABULARY)
_MAX_NAME = 512  # the longest AWS resource names (Secrets Manager); buckets and roles stop at 63 and 64


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


def _candidates(path: str, value: str, *, kubernetes: bool = False) -> Iterator[tuple[str, str]]:
    """(kind, name) pairs: 'name' an account-wide resource name (from an ARN, alias, S3 or ECR address, or
    under a bucket/role/cluster... key), 'local' a name under another name key (tested for a purpose suffix
    only), 'tenant' a bare tenant segment, 'namespace' a Kubernetes namespace name
    (`<tenant>-<environment>`)."""
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
    # Buckets and images are read from the URL's structure (virtual-hosted, path-style, FIPS, dual-stack).
    yield from (("name", b) for b in aws_names.s3_buckets(value))
    for image in aws_names.ecr_images(value):
        first, _, rest = image.repository.partition("/")
        yield ("tenant", first) if rest else ("name", first)
    yield from (("namespace", n) for n in _SERVICE_ACCOUNT.findall(value))
    key = re.sub(r"\[[0-9]+\]$", "", path.rsplit(".", 1)[-1])
    if path in OWN_NAME_PATHS or (kubernetes and key == "name" and not path.startswith("roleRef.")):
        # The resource's own name is not a reference (TEN-01 says whose it is); a `name` inside a Kubernetes
        # object names a container, port, volume or an object of the same namespace, never another tenant's
        # (except roleRef, which may name a cluster-scoped ClusterRole).
        return
    if _BARE_NAME.fullmatch(value) and _NAME_KEY.search(key):
        if key == "namespace":
            yield "namespace", value
        elif not kubernetes and _ACCOUNT_NAME_KEY.search(key):
            yield "name", value
        else:
            yield "local", value
    if (
        key in _TENANT_PATH_KEYS
        and not value.startswith("alias/")
        and (owner := _TENANT_PATH.fullmatch(value))
    ):
        yield "tenant", owner.group(1)


# A resource's own name inputs: naming is not referring (a Job named `import-dataset` names no tenant).
OWN_NAME_PATHS = frozenset({"metadata.name", "metadata.generateName", "name", "namePrefix"})


def fleet_tenants() -> frozenset[str] | None:
    """The fleet's tenant ids from `landingzone:platform.tenants`; None when the platform does not list them.

    The platform knows its fleet (stacks/ is not visible to a policy pack); with the list, another tenant's
    name is told structurally, `<fleet id>` or `<fleet id>-<anything>`, with no word lists.
    """
    platform = config_value("landingzone:platform")
    raw = platform.get("tenants") if isinstance(platform, Mapping) else None
    if not isinstance(raw, list) or not raw:
        return None
    return frozenset(t for t in raw if isinstance(t, str) and _TENANT_ID.fullmatch(t))


def _fleet_owner(kind: str, name: str, fleet: frozenset[str]) -> tuple[str, str] | None:
    """The fleet tenant a name belongs to (the longest fleet id it is or starts with), and why."""
    owners = [t for t in fleet if name == t or name.startswith(f"{t}-")]
    if not owners:
        return None
    owner = max(owners, key=len)
    what = {"tenant": "a tenant path segment", "namespace": "a namespace name"}.get(kind, "a name")
    return owner, f"{what} of fleet tenant '{owner}'"


def _owner(kind: str, name: str, fleet: frozenset[str] | None = None) -> tuple[str, str] | None:
    """(tenant segment, why) when `name` is a landing-zone name of some tenant; None for ordinary words.

    With the fleet known, only its tenant ids count; without it, the naming grammar
    `<tenant>-<purpose>...` (purposes in PURPOSE_SUFFIXES) tells a tenant segment from a word.
    """
    if fleet is not None:
        return _fleet_owner(kind, name, fleet)
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
    return _inner_owner(stem) if kind == "name" else None


def _inner_owner(stem: str) -> tuple[str, str] | None:
    """(tenant segment, why) for an account-wide name `<tenant>-<environment or purpose>-<more>`.

    Landing-zone names put the environment or purpose right after the tenant id (`globex-prod-trainer`,
    `globex-dataset-raw`), whatever follows; the first such word ends the tenant segment. A word inside an
    AWS term (`amazon-cloudwatch-logs-agent`) ends nothing, and AWS's and the landing zone's own prefixes
    are no tenant's.
    """
    if len(stem) > _MAX_NAME:
        return None  # no AWS resource name is this long: text, not a name (and not worth splitting)
    parts = stem.split("-")
    covered = {
        i + k
        for vocabulary in _VOCABULARY_WORDS
        for i in range(len(parts) - len(vocabulary) + 1)
        if tuple(parts[i : i + len(vocabulary)]) == vocabulary
        for k in range(len(vocabulary))
    }
    # The word must have a tenant segment before it and more of the name after it (a final word is the
    # suffix grammar's, already tried).
    for index in range(1, len(parts) - 1):
        if index in covered:
            continue
        word = next((w for w in _INNER_WORDS if tuple(parts[index : index + len(w)]) == w), None)
        if word is None or index + len(word) >= len(parts):
            continue
        prefix = "-".join(parts[:index])
        if parts[0] in _RESERVED_OWNERS or not _TENANT_ID.fullmatch(prefix):
            return None
        return prefix, f"a name containing '-{'-'.join(word)}-'"
    return None


def _platform_names() -> set[str]:
    """Names in the platform config (security archive bucket, admin role...), never another tenant's."""
    names: set[str] = set()
    for path, value in _walk(config_value("landingzone:platform")):
        names.add(value)
        names.update(name for _, name in _candidates(path, value))
    return names


def foreign_references(
    props: Any, tenant: str, shared: Sequence[str], *, kubernetes: bool = False
) -> dict[tuple[str, str], str]:
    """{(input path, other tenant): why} for every name of a tenant other than `tenant`."""
    platform = _platform_names()
    fleet = fleet_tenants()
    found: dict[tuple[str, str], str] = {}
    for path, value in _walk(props):
        for kind, name in _candidates(path, value, kubernetes=kubernetes):
            # With the fleet known, `acme-labs-data` is tenant acme-labs's even for tenant acme: the longest
            # fleet id decides. Without it, a name starting with the tenant's id is taken as the tenant's.
            own_prefix = fleet is None and name.startswith(f"{tenant}-")
            if name == tenant or own_prefix or name in platform:
                continue
            owner = _owner(kind, name, fleet)
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
    severity=Severity.CRITICAL,
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
    for (path, other), why in sorted(
        foreign_references(r.props, r.tenant.id, shared, kubernetes=r.type.startswith("kubernetes:")).items()
    ):
        r.fail(f"{r.label} has {path} referring to tenant '{other}' ({why}); required: only tenant "
               f"'{r.tenant.id}' or platform resources")  # fmt: skip
