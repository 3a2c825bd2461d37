"""Pod-spec and ServiceAccount fixtures judged by both layers: CrossGuard rules and admission policies.

One compliant baseline per shape and one change per case, each naming the CrossGuard policy it
exercises (`rule`) and that policy's verdict (`passes`). Credentials in fixtures are the documented
AWS example key or runs of one character assembled at import time: nothing here is a real secret.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TENANT = "acme"
NAMESPACE = "acme-dev"
DIGEST = "sha256:" + "a" * 64
REGISTRY = "111122223333.dkr.ecr.us-east-1.amazonaws.com"
IMAGE = f"{REGISTRY}/acme/models@{DIGEST}"

POD_TYPES = {
    "Pod": "kubernetes:core/v1:Pod",
    "Deployment": "kubernetes:apps/v1:Deployment",
    "StatefulSet": "kubernetes:apps/v1:StatefulSet",
    "DaemonSet": "kubernetes:apps/v1:DaemonSet",
    "Job": "kubernetes:batch/v1:Job",
    "CronJob": "kubernetes:batch/v1:CronJob",
}
"""The six kinds CrossGuard judges; ReplicaSet and ReplicationController are admission-only."""
API_VERSIONS = {
    "Pod": "v1",
    "ReplicationController": "v1",
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
}

AWS_EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"  # AWS documentation's example access key id
FAKE_HF = "hf_" + "x" * 34
FAKE_GITHUB = "ghp_" + "y" * 36
FAKE_SK = "sk-" + "z" * 22 + "9"
FAKE_BEARER = "Bearer " + "q" * 24
FAKE_SLACK = "xoxb-" + "1" * 12


def container(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "trainer",
        "image": IMAGE,
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "env": [
            {"name": "MODEL_NAME", "value": "llama-3-8b"},
            {"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf-token", "key": "token"}}},
        ],
    }
    base.update(changes)
    return base


def pod_spec(**changes: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"automountServiceAccountToken": False, "containers": [container()]}
    spec.update(changes)
    return spec


GPU_LIMITS = {"limits": {"nvidia.com/gpu": "1"}}
TENANT_TOLERATION = {"key": "tenant", "operator": "Equal", "value": TENANT, "effect": "NoSchedule"}


# What kube-apiserver's mutating admission plugins add to every Pod before validating admission sees it
# (templates are not mutated): DefaultTolerationSeconds' two NoExecute tolerations, and
# ExtendedResourceToleration's one per extended resource requested.
NOT_READY = {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 300}  # fmt: skip
UNREACHABLE = {**NOT_READY, "key": "node.kubernetes.io/unreachable"}


def resource_toleration(resource: str) -> dict[str, Any]:
    return {"key": resource, "operator": "Exists", "effect": "NoSchedule"}


def gpu_spec(**changes: Any) -> dict[str, Any]:
    spec = pod_spec(
        containers=[container(resources=GPU_LIMITS)],
        nodeSelector={"tenant": TENANT},
        tolerations=[TENANT_TOLERATION],
    )
    spec.update(changes)
    return spec


def affinity(*terms: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": term} for term in terms]
            }
        }
    }


def pinned(values: list[str], operator: str = "In") -> list[dict[str, Any]]:
    return [{"key": "tenant", "operator": operator, "values": values}]


def env_spec(name: str, value: str) -> dict[str, Any]:
    return pod_spec(containers=[container(env=[{"name": name, "value": value}])])


def envs_spec(*entries: tuple[str, str]) -> dict[str, Any]:
    """One container whose env is the baseline's plus `entries` (name, value), in order."""
    env = [*container()["env"], *({"name": n, "value": v} for n, v in entries)]
    return pod_spec(containers=[container(env=env)])


def with_context(**context: Any) -> dict[str, Any]:
    merged = {**container()["securityContext"], **context}
    return pod_spec(containers=[container(securityContext=merged)])


@dataclass(frozen=True)
class Case:
    id: str
    rule: str
    """The CrossGuard policy this case exercises."""
    passes: bool
    """That policy's verdict on the case (asserted against CrossGuard itself, then against CEL)."""
    spec: Mapping[str, Any]


GPU_NODES = "gpu-06-gpu-pods-on-tenant-nodes"
GPU_TOLERATIONS = "gpu-06-gpu-pods-tolerate-only-tenant"
UNPRIVILEGED = "gpu-06-pods-unprivileged"
OFF_HOST = "gpu-06-pods-off-the-host"
DIGESTS = "prov-06-images-pinned-by-digest"
ENV_SECRETS = "sec-04-k8s-env-secrets"
SA_TOKENS = "sec-07-sa-token-automount"

POD_CASES: tuple[Case, ...] = (
    Case("gpu-baseline", GPU_NODES, True, gpu_spec()),
    Case("gpu-without-node-selector", GPU_NODES, False, gpu_spec(nodeSelector={})),
    Case("gpu-other-tenant-selector", GPU_NODES, False, gpu_spec(nodeSelector={"tenant": "globex"})),
    Case(
        "gpu-affinity-pins-tenant",
        GPU_NODES,
        True,
        gpu_spec(nodeSelector={}, affinity=affinity(pinned([TENANT]))),
    ),
    Case(
        "gpu-affinity-second-term-escapes",
        GPU_NODES,
        False,
        gpu_spec(
            nodeSelector={}, affinity=affinity(pinned([TENANT]), [{"key": "zone", "operator": "Exists"}])
        ),
    ),
    Case(
        "gpu-affinity-two-tenants",
        GPU_NODES,
        False,
        gpu_spec(nodeSelector={}, affinity=affinity(pinned([TENANT, "globex"]))),
    ),
    Case(
        "gpu-affinity-not-in",
        GPU_NODES,
        False,
        gpu_spec(nodeSelector={}, affinity=affinity(pinned(["globex"], "NotIn"))),
    ),
    Case(
        "mig-in-init-container-unpinned",
        GPU_NODES,
        False,
        pod_spec(
            initContainers=[container(name="warmup", resources={"requests": {"nvidia.com/mig-3g.40gb": "1"}})]
        ),
    ),
    Case(
        "gpu-in-requests-unpinned",
        GPU_NODES,
        False,
        pod_spec(containers=[container(resources={"requests": {"nvidia.com/gpu": "2"}})]),
    ),
    Case("cpu-only-unpinned", GPU_NODES, True, pod_spec()),
    Case("gpu-tolerations-baseline", GPU_TOLERATIONS, True, gpu_spec()),
    Case("gpu-tolerates-everything", GPU_TOLERATIONS, False, gpu_spec(tolerations=[{"operator": "Exists"}])),
    Case(
        "gpu-tolerates-every-tenant",
        GPU_TOLERATIONS,
        False,
        gpu_spec(tolerations=[{"key": "tenant", "operator": "Exists", "effect": "NoSchedule"}]),
    ),
    Case(
        "gpu-tolerates-other-tenant",
        GPU_TOLERATIONS,
        False,
        gpu_spec(tolerations=[{"key": "tenant", "operator": "Equal", "value": "globex"}]),
    ),
    Case(
        "gpu-tolerates-other-key",
        GPU_TOLERATIONS,
        False,
        gpu_spec(tolerations=[TENANT_TOLERATION, {"key": "CriticalAddonsOnly", "operator": "Exists"}]),
    ),
    Case(
        "gpu-toleration-default-operator",
        GPU_TOLERATIONS,
        True,
        gpu_spec(tolerations=[{"key": "tenant", "value": TENANT, "effect": "NoSchedule"}]),
    ),
    Case("cpu-tolerates-everything", GPU_TOLERATIONS, True, pod_spec(tolerations=[{"operator": "Exists"}])),
    Case(
        "gpu-with-the-tolerations-kube-apiserver-adds",
        GPU_TOLERATIONS,
        True,
        gpu_spec(
            tolerations=[TENANT_TOLERATION, NOT_READY, UNREACHABLE, resource_toleration("nvidia.com/gpu")]
        ),
    ),
    Case(
        "mig-with-the-tolerations-kube-apiserver-adds",
        GPU_TOLERATIONS,
        True,
        gpu_spec(
            containers=[container(resources={"limits": {"nvidia.com/mig-3g.40gb": "1"}})],
            tolerations=[TENANT_TOLERATION, NOT_READY, resource_toleration("nvidia.com/mig-3g.40gb")],
        ),
    ),
    Case(
        "mig-tolerates-a-gpu-it-does-not-request",
        GPU_TOLERATIONS,
        False,
        gpu_spec(
            containers=[container(resources={"limits": {"nvidia.com/mig-3g.40gb": "1"}})],
            tolerations=[TENANT_TOLERATION, resource_toleration("nvidia.com/gpu")],
        ),
    ),
    Case(
        "gpu-tolerates-a-native-resource-it-requests",
        GPU_TOLERATIONS,
        False,
        gpu_spec(
            containers=[container(resources={"limits": {"nvidia.com/gpu": "1", "cpu": "1"}})],
            tolerations=[TENANT_TOLERATION, resource_toleration("cpu")],
        ),
    ),
    Case(
        "gpu-not-ready-toleration-with-no-schedule",
        GPU_TOLERATIONS,
        False,
        gpu_spec(tolerations=[TENANT_TOLERATION, {**NOT_READY, "effect": "NoSchedule"}]),
    ),
    Case(
        "gpu-unreachable-toleration-with-operator-equal",
        GPU_TOLERATIONS,
        False,
        gpu_spec(tolerations=[TENANT_TOLERATION, {**UNREACHABLE, "operator": "Equal", "value": ""}]),
    ),
    Case("unprivileged-baseline", UNPRIVILEGED, True, pod_spec()),
    Case("privileged", UNPRIVILEGED, False, with_context(privileged=True)),
    Case("privileged-false", UNPRIVILEGED, True, with_context(privileged=False)),
    Case("privilege-escalation-true", UNPRIVILEGED, False, with_context(allowPrivilegeEscalation=True)),
    Case(
        "capability-added",
        UNPRIVILEGED,
        False,
        with_context(capabilities={"add": ["NET_ADMIN"], "drop": ["ALL"]}),
    ),
    Case(
        "ephemeral-container-privileged",
        UNPRIVILEGED,
        False,
        pod_spec(ephemeralContainers=[container(name="debug", securityContext={"privileged": True})]),
    ),
    Case(
        "init-container-escalates",
        UNPRIVILEGED,
        False,
        pod_spec(
            initContainers=[container(name="setup", securityContext={"allowPrivilegeEscalation": True})]
        ),
    ),
    Case("off-host-baseline", OFF_HOST, True, pod_spec()),
    Case("host-network", OFF_HOST, False, pod_spec(hostNetwork=True)),
    Case("host-pid", OFF_HOST, False, pod_spec(hostPID=True)),
    Case("host-ipc", OFF_HOST, False, pod_spec(hostIPC=True)),
    Case("host-network-false", OFF_HOST, True, pod_spec(hostNetwork=False)),
    Case(
        "host-path-volume",
        OFF_HOST,
        False,
        pod_spec(volumes=[{"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}}]),
    ),
    Case("empty-dir-volume", OFF_HOST, True, pod_spec(volumes=[{"name": "scratch", "emptyDir": {}}])),
    Case("digest-baseline", DIGESTS, True, pod_spec()),
    Case("tag-only", DIGESTS, False, pod_spec(containers=[container(image=f"{REGISTRY}/acme/models:1.0")])),
    Case(
        "tag-and-digest",
        DIGESTS,
        True,
        pod_spec(containers=[container(image=f"{REGISTRY}/acme/models:1.0@{DIGEST}")]),
    ),
    Case(
        "upper-case-digest",
        DIGESTS,
        False,
        pod_spec(containers=[container(image=f"{REGISTRY}/acme/models@sha256:{'A' * 64}")]),
    ),
    Case(
        "short-digest",
        DIGESTS,
        False,
        pod_spec(containers=[container(image=f"{REGISTRY}/acme/models@sha256:abc")]),
    ),
    Case(
        "space-in-image",
        DIGESTS,
        False,
        pod_spec(containers=[container(image=f"{REGISTRY}/acme/my models@{DIGEST}")]),
    ),
    Case(
        "no-break-space-in-image",
        DIGESTS,
        False,
        pod_spec(containers=[container(image=f"acme\u00a0models@{DIGEST}")]),
    ),
    Case(
        "foreign-registry-pinned",
        DIGESTS,
        True,
        pod_spec(containers=[container(image=f"docker.io/library/python@{DIGEST}")]),
    ),
    Case(
        "init-container-unpinned",
        DIGESTS,
        False,
        pod_spec(initContainers=[container(name="fetch", image="busybox")]),
    ),
    Case("env-baseline", ENV_SECRETS, True, pod_spec()),
    Case("password-literal", ENV_SECRETS, False, env_spec("DB_PASSWORD", "hunter2")),
    Case("password-file-path", ENV_SECRETS, True, env_spec("DB_PASSWORD_FILE", "/run/secrets/db")),
    Case("password-file-trailing-separator", ENV_SECRETS, True, env_spec("DB_PASSWORD_FILE_", "db")),
    Case("api-key-literal", ENV_SECRETS, False, env_spec("OPENAI_API_KEY", "abc123")),
    Case("camel-api-key", ENV_SECRETS, False, env_spec("openaiApiKey", "abc123")),
    Case("upper-api-then-capitalized-key", ENV_SECRETS, False, env_spec("APIKey", "abc123")),
    # One word OPENAIAPI, then Key: the heuristic does not see API_KEY here, in either layer.
    Case("api-glued-to-vendor", ENV_SECRETS, True, env_spec("OPENAIAPIKey", "abc123")),
    Case("api-key-reference", ENV_SECRETS, True, env_spec("OPENAI_API_KEY", "$(OPENAI_KEY_FROM_SECRET)")),
    Case("api-key-id", ENV_SECRETS, True, env_spec("API_KEY_ID", "key-42")),
    Case("max-new-tokens", ENV_SECRETS, True, env_spec("MAX_NEW_TOKENS", "512")),
    Case("tokenizers-parallelism", ENV_SECRETS, True, env_spec("TOKENIZERS_PARALLELISM", "false")),
    Case("token-literal", ENV_SECRETS, False, env_spec("WANDB_TOKEN", "abcdef")),
    Case("token-camel", ENV_SECRETS, False, env_spec("wandbToken", "abcdef")),
    Case(
        "secret-arn",
        ENV_SECRETS,
        True,
        env_spec("DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db"),
    ),
    Case("secret-name", ENV_SECRETS, True, env_spec("SECRET_NAME", "db-credentials")),
    Case("password-flag-value", ENV_SECRETS, True, env_spec("REQUIRE_PASSWORD", "'true'")),
    Case("password-empty", ENV_SECRETS, True, env_spec("DB_PASSWORD", "")),
    Case("credentials-literal", ENV_SECRETS, False, env_spec("GOOGLE_APPLICATION_CREDENTIALS", "{json}")),
    Case(
        "credentials-path", ENV_SECRETS, True, env_spec("GOOGLE_APPLICATION_CREDENTIALS", "/var/run/key.json")
    ),
    Case("aws-key-value-innocuous-name", ENV_SECRETS, False, env_spec("CONFIG", f"key={AWS_EXAMPLE_KEY}")),
    Case("hf-token-value", ENV_SECRETS, False, env_spec("MODEL_SOURCE", FAKE_HF)),
    Case("github-token-value", ENV_SECRETS, False, env_spec("REPO", FAKE_GITHUB)),
    Case("sk-key-value", ENV_SECRETS, False, env_spec("LLM", FAKE_SK)),
    Case("sk-kebab-identifier", ENV_SECRETS, True, env_spec("LLM", "sk-learn-pipeline-preprocessing")),
    Case("bearer-value", ENV_SECRETS, False, env_spec("AUTH_HEADER_VALUE", FAKE_BEARER)),
    Case("slack-value", ENV_SECRETS, False, env_spec("NOTIFY", FAKE_SLACK)),
    Case("private-key-value", ENV_SECRETS, False, env_spec("TLS", "-----BEGIN RSA PRIVATE KEY-----")),
    Case("url-password", ENV_SECRETS, False, env_spec("DATABASE_URL", "postgres://app:s3cr3t@db:5432/x")),
    Case(
        "url-password-reference",
        ENV_SECRETS,
        True,
        env_spec("DATABASE_URL", "postgres://app:$(DB_PASS)@db/x"),
    ),
    Case("url-without-password", ENV_SECRETS, True, env_spec("DATABASE_URL", "postgres://db:5432/x")),
    Case("password-assignment", ENV_SECRETS, False, env_spec("JDBC_OPTS", "user=app;password=s3cr3t")),
    # Kubernetes expands only $(VAR) in env values: ${PASS} is the literal text, $(PASS) a reference.
    Case(
        "password-assignment-shell-syntax",
        ENV_SECRETS,
        False,
        env_spec("JDBC_OPTS", "user=app;password=${PASS}"),
    ),
    Case(
        "password-assignment-reference", ENV_SECRETS, True, env_spec("JDBC_OPTS", "user=app;password=$(PASS)")
    ),
    Case("pwd-assignment", ENV_SECRETS, False, env_spec("ODBC", "Server=db;Uid=app;Pwd=s3cr3t;")),
    Case("password-assignment-flag", ENV_SECRETS, True, env_spec("PG_OPTS", "require_password=true")),
    # Tokenizer special tokens and token counts under TOKEN names cannot be credentials (both layers).
    *(
        Case(f"special-token-{token.strip('[]<>/').lower()}", ENV_SECRETS, True, env_spec(name, token))
        for name, token in (
            ("UNK_TOKEN", "[UNK]"),
            ("MASK_TOKEN", "[MASK]"),
            ("CLS_TOKEN", "[CLS]"),
            ("SEP_TOKEN", "[SEP]"),
            ("PAD_TOKEN", "[PAD]"),
            ("BOS_TOKEN", "<s>"),
            ("EOS_TOKEN", "</s>"),
        )
    ),
    Case("special-token-quoted", ENV_SECRETS, True, env_spec("pad_token", ' "[PAD]" ')),
    Case("max-token-count", ENV_SECRETS, True, env_spec("MAX_TOKEN", "512")),
    Case("max-tokens-count", ENV_SECRETS, True, env_spec("MAX_TOKENS", "512")),
    Case("token-count-seven-digits", ENV_SECRETS, True, env_spec("CONTEXT_TOKEN", "1048576")),
    Case("token-budget", ENV_SECRETS, True, env_spec("TOKEN_BUDGET", "1000")),
    Case("password-hash-algo", ENV_SECRETS, True, env_spec("PASSWORD_HASH_ALGO", "bcrypt")),
    Case("access-key-rotation-days", ENV_SECRETS, True, env_spec("ACCESS_KEY_ROTATION_DAYS", "30")),
    Case("token-refresh-interval", ENV_SECRETS, True, env_spec("tokenRefreshInterval", "5m")),
    # ... but a TOKEN name still holds what could be a token, and other secret words get no exemption.
    Case("jupyter-token-literal", ENV_SECRETS, False, env_spec("JUPYTER_TOKEN", "c8de56fa4deed24899803e9")),
    Case("hf-token-under-token-name", ENV_SECRETS, False, env_spec("HF_TOKEN", FAKE_HF)),
    Case("token-eight-digits", ENV_SECRETS, False, env_spec("HF_TOKEN", "12345678")),
    Case("token-long-bracketed-word", ENV_SECRETS, False, env_spec("API_TOKEN", "[ABCDEFGHIJK]")),
    Case("token-bracketed-lower-case", ENV_SECRETS, False, env_spec("API_TOKEN", "[abc]")),
    Case("token-negative-number", ENV_SECRETS, False, env_spec("API_TOKEN", "-512")),
    Case("secret-token-number", ENV_SECRETS, False, env_spec("SECRET_TOKEN", "512")),
    Case("password-pin", ENV_SECRETS, False, env_spec("DB_PASSWORD", "1234")),
    Case("pgpassword-literal", ENV_SECRETS, False, env_spec("PGPASSWORD", "hunter2")),
    Case("pwd-literal", ENV_SECRETS, False, env_spec("DB_PWD", "hunter2")),
    Case("pwd-camel", ENV_SECRETS, False, env_spec("dbPwd", "hunter2")),
    Case("pwd-inside-a-word", ENV_SECRETS, True, env_spec("PWDX", "hunter2")),
    # URL passwords read as Kubernetes reads them: only $(VAR) refers to something.
    Case(
        "url-password-dollar-literal",
        ENV_SECRETS,
        False,
        env_spec("DATABASE_URL", "postgres://app:$s3cr3t@db/x"),
    ),
    Case(
        "url-password-percent-literal",
        ENV_SECRETS,
        False,
        env_spec("DATABASE_URL", "postgres://app:%s3cr3t@db/x"),
    ),
    Case(
        "url-password-escaped-reference",
        ENV_SECRETS,
        False,
        env_spec("DATABASE_URL", "postgres://app:$$(P)@db/x"),
    ),
    Case("url-password-empty-user", ENV_SECRETS, False, env_spec("REDIS_URL", "redis://:s3cr3t@cache:6379")),
    Case(
        "url-password-placeholder",
        ENV_SECRETS,
        True,
        env_spec("DATABASE_URL", "postgres://app:<password>@db/x"),
    ),
    Case("url-password-template", ENV_SECRETS, True, env_spec("DATABASE_URL", "postgres://app:{{pw}}@db/x")),
    # Kubernetes expands $(NAME) from the container's other env vars: a literal routed through one.
    Case(
        "expansion-of-a-literal-into-a-password",
        ENV_SECRETS,
        False,
        envs_spec(("X", "hunter2"), ("DB_PASSWORD", "$(X)")),
    ),
    Case(
        "expansion-of-a-literal-into-a-url-password",
        ENV_SECRETS,
        False,
        envs_spec(("P", "s3cr3t"), ("DATABASE_URL", "postgres://app:$(P)@db/x")),
    ),
    Case(
        "expansion-of-a-literal-after-an-escape",
        ENV_SECRETS,
        False,
        envs_spec(("P", "s3cr3t"), ("DATABASE_URL", "postgres://app:$$$(P)@db/x")),
    ),
    Case(
        "expansion-through-a-chain",
        ENV_SECRETS,
        False,
        envs_spec(("X", "hunter2"), ("Y", "$(X)"), ("DB_PASSWORD", "$(Y)")),
    ),
    Case(
        "expansion-of-a-literal-into-a-password-assignment",
        ENV_SECRETS,
        False,
        envs_spec(("P", "s3cr3t"), ("JDBC_OPTS", "user=app;password=$(P)")),
    ),
    Case(
        "expansion-of-a-literal-defined-later",
        ENV_SECRETS,
        False,
        envs_spec(("DB_PASSWORD", "$(X)"), ("X", "hunter2")),
    ),
    Case(
        "expansion-of-a-secret-ref-beside-literal-user-and-host",
        ENV_SECRETS,
        True,
        pod_spec(
            containers=[
                container(
                    env=[
                        {"name": "DB_USER", "value": "app"},
                        {"name": "DB_HOST", "value": "db.acme-dev.svc"},
                        {"name": "DB_PASS", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}},
                        {"name": "DATABASE_URL", "value": "postgres://$(DB_USER):$(DB_PASS)@$(DB_HOST)/x"},
                        {"name": "ADMIN_PASSWORD", "value": "$(DB_PASS)"},
                    ]
                )
            ]
        ),
    ),
    Case(
        "expansion-escaped-is-no-reference",
        ENV_SECRETS,
        True,
        envs_spec(("P", "s3cr3t"), ("GREETING", "echo $$(P)")),
    ),
    Case(
        "expansion-of-a-path-into-a-password",
        ENV_SECRETS,
        True,
        envs_spec(("P", "/run/secrets/db"), ("DB_PASSWORD", "$(P)")),
    ),
    Case(
        "expansion-of-a-token-count",
        ENV_SECRETS,
        True,
        envs_spec(("N", "512"), ("MAX_TOKEN", "$(N)")),
    ),
    Case(
        "expansion-in-another-container-is-not-expanded",
        ENV_SECRETS,
        True,
        pod_spec(
            containers=[
                container(env=[{"name": "X", "value": "hunter2"}]),
                container(name="sidecar", env=[{"name": "DB_PASSWORD", "value": "$(X)"}]),
            ]
        ),
    ),
    Case(
        "secret-in-init-container",
        ENV_SECRETS,
        False,
        pod_spec(initContainers=[container(name="migrate", env=[{"name": "ADMIN_PASSWORD", "value": "x"}])]),
    ),
)


def service_account(**changes: Any) -> dict[str, Any]:
    account: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": "pipeline", "namespace": NAMESPACE, "labels": {"tenant": TENANT}},
        "automountServiceAccountToken": False,
    }
    account.update(changes)
    return account


def irsa(role_arn: str) -> dict[str, Any]:
    return {
        "name": "pipeline",
        "namespace": NAMESPACE,
        "annotations": {"eks.amazonaws.com/role-arn": role_arn},
    }


_WITHOUT_AUTOMOUNT = {k: v for k, v in service_account().items() if k != "automountServiceAccountToken"}

SA_CASES: tuple[Case, ...] = (
    Case("sa-baseline", SA_TOKENS, True, service_account()),
    Case("sa-automount-unset", SA_TOKENS, False, _WITHOUT_AUTOMOUNT),
    Case("sa-automount-true", SA_TOKENS, False, service_account(automountServiceAccountToken=True)),
    Case(
        "sa-irsa-annotation",
        SA_TOKENS,
        True,
        {**_WITHOUT_AUTOMOUNT, "metadata": irsa("arn:aws:iam::111122223333:role/acme-dev-workload")},
    ),
    Case("sa-blank-irsa-annotation", SA_TOKENS, False, {**_WITHOUT_AUTOMOUNT, "metadata": irsa("  ")}),
    Case(
        "sa-irsa-annotation-not-a-role-arn",
        SA_TOKENS,
        False,
        service_account(automountServiceAccountToken=True, metadata=irsa("x")),
    ),
    Case(
        "sa-irsa-annotation-user-arn",
        SA_TOKENS,
        False,
        service_account(automountServiceAccountToken=True, metadata=irsa("arn:aws:iam::111122223333:user/a")),
    ),
    Case(
        "sa-irsa-annotation-gov-role-with-path",
        SA_TOKENS,
        True,
        service_account(
            automountServiceAccountToken=True,
            metadata=irsa("arn:aws-us-gov:iam::111122223333:role/service/acme-dev-workload"),
        ),
    ),
)


def workload(kind: str, spec: Mapping[str, Any], name: str = "subject") -> dict[str, Any]:
    """A workload object of `kind` carrying `spec` as its pod spec (Kubernetes' own field layout)."""
    template = {"metadata": {"labels": {"app": name}}, "spec": copy.deepcopy(dict(spec))}
    selector = {"matchLabels": {"app": name}}
    body: dict[str, Any]
    if kind == "Pod":
        body = copy.deepcopy(dict(spec))
    elif kind == "CronJob":
        body = {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": template}}}
    elif kind == "Job":
        body = {"template": template}
    elif kind == "ReplicationController":
        body = {"selector": {"app": name}, "template": template}
    else:
        body = {"selector": selector, "template": template}
    return {
        "apiVersion": API_VERSIONS[kind],
        "kind": kind,
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": {"tenant": TENANT}},
        "spec": body,
    }
