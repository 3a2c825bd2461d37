"""The closed vocabulary of policy names: `<control prefix><words>`, every word from these sets.

A name says what it judges (nouns), what must hold (one predicate, or the prohibition `no`)
and how (connectives). A new word is a decision: add it here, in the set it belongs to, so that one
idea keeps one word (`has`, never `with`/`contains`; `no-`, never `deny-`/`forbid-`).
"""

from __future__ import annotations

PROHIBITION = "no"
"""At most once, before what may not exist: first (`sec-05-no-iam-access-keys`) or after the subject
that may not have it (`sec-08-kms-no-public-decrypt`)."""

PREDICATES = frozenset({
    "automount", "declares", "dedicated", "denies", "encrypted", "enforced", "exists", "explicit", "has",
    "immutable", "internal", "isolated", "keeps", "managed", "matches", "pinned", "private", "restricted",
    "revokes", "scoped", "stops", "tolerate", "unmodified", "unprivileged",
})  # fmt: skip
"""What must hold of the subject; at most one per name."""

CONNECTIVES = frozenset({
    "across", "all", "and", "by", "cross", "declared", "default", "direct", "from", "global", "in", "max",
    "multi", "of", "off", "on", "one", "only", "open", "or", "other", "public", "remote", "single",
    "the", "time", "to", "true", "under", "via",
})  # fmt: skip

NOUNS = frozenset({
    "access", "account", "acl", "admin", "administrator", "admission", "allowlist", "artifact", "association",
    "attachment",
    "audit", "aws", "balancer", "binding", "bindings", "block", "bucket", "claims", "cluster", "compliance",
    "config", "control", "controls", "data", "decrypt", "delete", "deletion", "deny", "device",
    "digest", "disks", "document", "domain", "duration", "duties", "ebs", "ecr", "ecs", "efs", "egress",
    "eks", "encryption", "endpoint", "endpoints", "entries", "env", "environment", "events", "evidence",
    "file", "flow", "fsx", "gateway", "gpu", "gpus", "group", "groups", "host", "iam", "identity", "images",
    "imdsv2", "ingress", "instance", "interface", "internet", "irsa", "k8s", "key", "keys", "kms",
    "kubernetes",
    "label", "lambda", "launch", "layout", "lifecycle", "list", "load", "lock", "log", "login", "logs",
    "lustre", "map", "mig", "mode", "model", "namespace", "namespaces", "nat", "network", "node",
    "nodes", "notebook", "object", "owner", "ownership", "path", "peering", "peers", "plane", "plugin",
    "pod", "pods", "policies", "policy", "prefix", "profile", "profiles", "purpose", "push", "quarantine",
    "quota",
    "references", "region", "registry", "regulated", "replication", "retention", "role", "root",
    "rotation", "route", "routes", "rules", "s3", "sa", "sagemaker", "scan", "scheduling", "secret",
    "secrets", "security", "separation", "service", "session", "sessions", "sg", "sharing", "signing",
    "size", "slicing", "stack", "subnet", "subnets", "tags", "taint", "template", "tenant", "tgw", "tls",
    "token", "traffic", "trail", "trust", "user", "validation", "versioning", "volume", "volumes", "vpc",
    "wildcard", "window", "workload",
})  # fmt: skip

VOCABULARY = PREDICATES | CONNECTIVES | NOUNS | {PROHIBITION}


def name_problems(name: str, prefix: str) -> list[str]:
    """Why `name` does not follow the vocabulary (empty when it does)."""
    if not name.startswith(prefix):
        return [f"{name} does not start with its control prefix {prefix!r}"]
    words = name.removeprefix(prefix).split("-")
    problems = [f"{name}: word {w!r} is not in the vocabulary" for w in words if w not in VOCABULARY]
    if words.count(PROHIBITION) > 1 or words[-1] == PROHIBITION:
        problems.append(f"{name}: {PROHIBITION!r} once, before what may not exist")
    predicates = [w for w in words if w in PREDICATES]
    if len(predicates) > 1:
        problems.append(f"{name}: more than one predicate ({', '.join(predicates)})")
    return problems
