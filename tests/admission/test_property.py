"""Property-based: generated pod specs get the same verdict from both layers on every mirrored rule.

Specs are built from the fields the CrossGuard pod-spec rules read (GPU requests, node selection,
tolerations, security contexts, host namespaces, volumes, images, env vars), each drawn from values
on both sides of every rule's boundary, under every workload kind CrossGuard judges. Env names are
composed from the words and spellings (UPPER, lower, Capitalized, glued or separated) the secret-name
heuristic splits on, and env values from literals, references and credential shapes, plus free text.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.admission import fixtures as fx
from tests.admission.layers import admission_verdicts, crossguard_passes, mirrored_rules

WORDS = (
    "DB", "PASSWORD", "Password", "password", "PASSWD", "API", "Api", "api", "KEY", "Key", "key", "KEYS",
    "TOKEN", "Token", "token", "TOKENS", "SECRET", "Secret", "CREDENTIALS", "ACCESS", "PRIVATE", "FILE",
    "File", "file", "ARN", "ID", "Id", "NAME", "MAX", "NEW", "OPENAI", "HF", "2", "URL", "PWD", "Pwd", "pwd",
    "BUDGET", "Budget", "ALGO", "DAYS", "PAD", "X", "P",
)  # fmt: skip
VALUES = (
    "", "x", "hunter2", "true", "'true'", "FALSE", " /run/secrets/x", "$(REF)", "${REF}", "{{ .Values.x }}",
    "<redacted>", "%s", "*****", "arn:aws:secretsmanager:us-east-1:111122223333:secret:x", "https://host/x",
    "postgres://app:s3cr3t@db/x", "postgres://app:$(P)@db/x", "password=abc", "password=$x", "passwd: 'on'",
    fx.AWS_EXAMPLE_KEY, fx.FAKE_HF, fx.FAKE_GITHUB, fx.FAKE_SK, fx.FAKE_BEARER, fx.FAKE_SLACK,
    "sk-learn-pipeline-preprocessing", "Bearer short", "-----BEGIN PRIVATE KEY-----", "  ",
    "[PAD]", "'[CLS]'", "[pad]", "[ABCDEFGHIJK]", "<s>", "512", " 1048576 ", "12345678", "-1",
    "$(X)", "$(P)", "$$(X)", "$$$(X)", "$(X)$(P)", "pre-$(X)", "postgres://app:$$(P)@db/x",
    "postgres://app:$x@db/x", "postgres://app:%s@db/x", "redis://:pw@h", "password=$(X)", "$(X",
)  # fmt: skip
IMAGES = (
    fx.IMAGE,
    f"{fx.REGISTRY}/acme/serving:2.1@{fx.DIGEST}",
    f"{fx.REGISTRY}/acme/models:1.0",
    f"docker.io/library/python@{fx.DIGEST}",
    f"{fx.REGISTRY}/acme/models@sha256:{'A' * 64}",
    "busybox",
    f"acme models@{fx.DIGEST}",
)
RESOURCE_KEYS = ("cpu", "memory", "nvidia.com/gpu", "nvidia.com/mig-3g.40gb", "nvidia.com/gpu.shared")
TOLERATIONS = (
    fx.TENANT_TOLERATION,
    {"key": "tenant", "value": "acme"},
    {"operator": "Exists"},
    {"key": "tenant", "operator": "Exists"},
    {"key": "tenant", "operator": "Equal", "value": "globex"},
    {"key": "CriticalAddonsOnly", "operator": "Exists"},
    fx.NOT_READY,
    {**fx.UNREACHABLE, "effect": "NoSchedule"},
    fx.resource_toleration("nvidia.com/gpu"),
    fx.resource_toleration("nvidia.com/mig-3g.40gb"),
    fx.resource_toleration("cpu"),
)
EXPRESSIONS = (
    {"key": "tenant", "operator": "In", "values": ["acme"]},
    {"key": "tenant", "operator": "In", "values": ["acme", "globex"]},
    {"key": "tenant", "operator": "In", "values": []},
    {"key": "tenant", "operator": "NotIn", "values": ["globex"]},
    {"key": "zone", "operator": "In", "values": ["a"]},
)
VOLUMES = (
    {"name": "host", "hostPath": {"path": "/"}},
    {"name": "scratch", "emptyDir": {}},
    {"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
)

optional_bool = st.sampled_from([None, True, False])
env_names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).flatmap(
    lambda words: st.lists(
        st.sampled_from(["", "_", "-", "."]), min_size=len(words) - 1, max_size=len(words) - 1
    ).map(lambda seps: words[0] + "".join(sep + word for sep, word in zip(seps, words[1:], strict=True)))
)
env_values = st.one_of(
    st.sampled_from(VALUES),
    st.text(alphabet="abcXYZ019_-=:/@$'\" ;", max_size=24),
)


def _drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}


@st.composite
def containers(draw: st.DrawFn) -> dict[str, Any]:
    context = _drop_none(
        {
            "privileged": draw(optional_bool),
            "allowPrivilegeEscalation": draw(optional_bool),
            "capabilities": draw(
                st.sampled_from([None, {"drop": ["ALL"]}, {"add": ["NET_ADMIN"]}, {"add": []}])
            ),
        }
    )
    section = st.dictionaries(st.sampled_from(RESOURCE_KEYS), st.just("1"), max_size=2)
    resources = _drop_none({"requests": draw(st.none() | section), "limits": draw(st.none() | section)})
    env = draw(st.lists(st.builds(lambda n, v: {"name": n, "value": v}, env_names, env_values), max_size=3))
    return _drop_none(
        {
            "name": draw(st.sampled_from(["a", "b", "c"])),
            "image": draw(st.sampled_from(IMAGES)),
            "securityContext": context or None,
            "resources": resources or None,
            "env": env or None,
        }
    )


@st.composite
def pod_specs(draw: st.DrawFn) -> dict[str, Any]:
    terms = st.lists(st.lists(st.sampled_from(EXPRESSIONS), min_size=1, max_size=2), min_size=1, max_size=2)
    node_terms = draw(st.none() | terms)
    return _drop_none(
        {
            "containers": draw(st.lists(containers(), min_size=1, max_size=2)),
            "initContainers": draw(st.none() | st.lists(containers(), min_size=1, max_size=1)),
            "ephemeralContainers": draw(st.none() | st.lists(containers(), min_size=1, max_size=1)),
            "nodeSelector": draw(
                st.sampled_from([None, {"tenant": "acme"}, {"tenant": "globex"}, {"zone": "a"}])
            ),
            "affinity": fx.affinity(*node_terms) if node_terms else None,
            "tolerations": draw(st.none() | st.lists(st.sampled_from(TOLERATIONS), max_size=2)),
            "hostNetwork": draw(optional_bool),
            "hostPID": draw(optional_bool),
            "hostIPC": draw(optional_bool),
            "volumes": draw(st.none() | st.lists(st.sampled_from(VOLUMES), max_size=2)),
        }
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=pod_specs(), kind=st.sampled_from(sorted(fx.POD_TYPES)))
def test_generated_pod_specs_get_the_same_verdict_from_both_layers(spec: dict[str, Any], kind: str) -> None:
    obj = fx.workload(kind, spec)
    admission = admission_verdicts(obj)
    disagreements = [
        rule_name
        for rule_name in mirrored_rules()
        if rule_name != fx.SA_TOKENS
        and crossguard_passes(rule_name, fx.POD_TYPES[kind], obj) != admission[rule_name]
    ]
    assert disagreements == []


@settings(max_examples=300, deadline=None)
@given(name=env_names, value=env_values)
def test_generated_env_vars_get_the_same_verdict_from_both_layers(name: str, value: str) -> None:
    obj = fx.workload("Pod", fx.env_spec(name, value))
    assert (
        crossguard_passes(fx.ENV_SECRETS, fx.POD_TYPES["Pod"], obj) == admission_verdicts(obj)[fx.ENV_SECRETS]
    )
